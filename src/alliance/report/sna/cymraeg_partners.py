"""The Welsh of the SNA chapters built from partners' data and data requests: the core
measures, who is involved, youth justice, the health lens, risk factors, community voice and
services (:mod:`alliance.report.sna.requests`, :mod:`~alliance.report.sna.who`,
:mod:`~alliance.report.sna.partners`, :mod:`~alliance.report.sna.voice`).

Every key is made by the chapter's own code: its constants, its caption templates and the
functions that write its sentences, called here with the same values from the same context
(the same lattice cells, formatted the same way), so a number reads the same in both
languages and a change to the English drops its Welsh rather than leaving it stale. Names of
places, partners' own services, publishers and Acts (the legal bases, explained in Welsh by the
key under each table) stay as they are.
"""

from __future__ import annotations

import itertools
import re

import numpy as np

from alliance.figures import monthly as monthly_figures
from alliance.figures import who as who_figures
from alliance.figures.publication import MARKER, Period
from alliance.geo import geocode
from alliance.pool import geocoding, measures
from alliance.privacy.suppression import TOTAL_LABEL
from alliance.report.sna import partners as pooled
from alliance.report.sna import requests, voice, who
from alliance.report.sna.common import Context
from alliance.report.sna.cymraeg_fixed import FIXED as SUMMARY
from alliance.report.sna.requests import CDA, GDPR, PCSC, Need
from alliance.report.welsh import and_word, month_cy, soft, year_cy
from alliance.voice import felt_unsafe

_POLICE = measures.police_scheme(frozenset())
#: each partner source's name and what it counts, in Welsh
LABELS = {measures.ISTV.label: "Ymweliadau ag adrannau brys yn dilyn ymosodiad (ISTV)",
          measures.AMBULANCE.label: "Galwadau ambiwlans am ymosodiad",
          _POLICE.label: "Trais difrifol a gofnodwyd gan yr heddlu (detholiad lleol)"}
UNITS = {"attendances": "ymweliadau", "call-outs": "galwadau", "offences": "troseddau"}
#: one of a unit, after "pob" ("every")
UNIT_ONE = {"attendances": "ymweliad", "call-outs": "galwad", "offences": "trosedd"}
PERSONS = {"patients": "cleifion", "victims": "dioddefwyr", "people": "pobl"}
PERSON_ONE = {"patients": "claf", "victims": "dioddefwr", "people": "person"}
#: the core measures' definitions, by measure (the scorecard's own order and keys)
_DEFINITIONS = {
    "sharp": ("Ymweliadau ag adrannau brys yn dilyn ymosodiad (ISTV, ISB 1594) lle'r oedd "
              "dull yr ymosodiad yn gyllell neu'n wrthrych miniog (gan gynnwys gwydr wedi "
              "torri, fel y mae ICD-10 X99 yn ei gyfrif). Mae mesur y Swyddfa Gartref yn cyfrif "
              "derbyniadau (HES X99); ymweliadau yw'r rhain."),
    "knife_enabled": ("Troseddau a gofnodwyd gan yr heddlu o dan y diffiniad lleol y mae eu "
                      "cod y Swyddfa Gartref yn un o droseddau cyllyll dethol ADR 160 (gan "
                      "gynnwys dynladdiad) ac y mae eu baner cyllell wedi'i gosod."),
    "homicide_nondomestic": ("Dynladdiad a gofnodwyd gan yr heddlu (codau'r Swyddfa Gartref "
                             "1, 4.1, 4.2) heb ei nodi'n gam-drin domestig.")}
_GROUPS = {"sharp": "Cyllell neu wrthrych miniog",
           "weapon_other": "Arf arall, dim arf neu heb ei nodi"}
_MISSING = {"istv_ae": "ymweliadau ag adrannau brys yn dilyn ymosodiad (ISTV, ISB 1594) gan "
                       "yr ymddiriedolaethau acíwt",
            "police_extract": "detholiad lleol o droseddau a gofnodwyd gan yr heddlu gyda "
                              "chodau troseddau'r Swyddfa Gartref, y faner cyllell, y faner "
                              "cam-drin domestig a bandiau oedran dioddefwyr",
            "ambulance": "galwadau ambiwlans am ymosodiad"}
_BANDS = {"0-17": "Dan 18 oed", "18-24": "18 i 24 oed", "25-34": "25 i 34 oed",
          "35+": "35 oed a hŷn", "not known": "Oedran heb ei nodi",
          who_figures.UNDER_25_LABEL: "Dan 25 oed (dan 18 oed a 18 i 24 oed)",
          who_figures.ALL_AGES: "Pob oed"}
_SEXES = {"Male": "Gwryw", "Female": "Benyw", "Not known": "Heb ei nodi",
          who_figures.ALL_SEXES: "Pawb"}
_METHODS = {pooled.NOT_PLACED: "heb ei leoli", geocoding.POINT_GIVEN: "pwynt wedi'i roi",
            geocoding.LSOA_GIVEN: "LSOA wedi'i rhoi", geocode.DECISION: "penderfyniad dadansoddwr",
            geocode.POSTCODE_METHOD: "cod post", geocode.STREET: "stryd",
            geocode.STREET_TOWN: "stryd a thref",
            geocode.STREET_FUZZY: "stryd, sillafu wedi'i gywiro",
            geocode.STREET_LIKELY: "stryd, y fwyaf tebygol o sawl un",
            geocode.VENUE: "safle", geocode.JUNCTION: "cyffordd",
            geocode.NO_PLACE: "dim lle wedi'i enwi", geocode.AMBIGUOUS: "amwys: sawl lle",
            geocode.NOT_FOUND: "heb ei ganfod", geocode.UNKNOWN_POSTCODE: "cod post anhysbys"}
_STATUS = re.compile(rf"(\d+) figure\(s\) hidden as {re.escape(MARKER)}: counts of 1 to (\d+), "
                     "and others where they would let one be worked out from published "
                     "figures")
#: the parts of a monthly series' suppression line (:func:`alliance.figures.monthly.status`)
_MONTHS_STATUS = (
    (re.compile(r"published by year only: too few offences a month for a monthly series "
                r"\(most months would be hidden\)"),
     "wedi'u cyhoeddi fesul blwyddyn yn unig: rhy ychydig o droseddau bob mis ar gyfer cyfres "
     "fisol (byddai'r rhan fwyaf o'r misoedd yn gudd)"),
    (re.compile(r"not suppressed: record-level figures, not for publication"),
     "heb eu hatal: ffigurau lefel cofnod, nid i'w cyhoeddi"),
    (re.compile(rf"(\d+) month\(s\) hidden as {re.escape(MARKER)} \(counts of 1 to (\d+), or "
                r"figures that would let one be worked out\)"),
     rf"\1 mis wedi'u cuddio fel {MARKER} (niferoedd o 1 i \2, neu ffigurau a fyddai'n gadael "
     "i rywun gyfrifo un)"),
    (re.compile(r"no months hidden"), "dim misoedd wedi'u cuddio"),
    (re.compile(r"(\d+) month\(s\) not held, shown as gaps"),
     r"\1 mis heb eu cadw, wedi'u dangos fel bylchau"))
#: how the share with no police record nearby was judged (the notes the web layer gives)
_WINDOW = re.compile(r"within ([\d,]+) metres and (?:the same month|(\d+) days? either side)")
_NOTES = (
    (re.compile(r" of a police\.uk record \(its map points are anonymised, so no tighter\); "
                r"assaults without a map point, or in months police data is not held for, are "
                r"not judged"),
     " i gofnod police.uk (mae ei bwyntiau map wedi'u gwneud yn ddienw, felly dim agosach); "
     "nid aseswyd ymosodiadau heb bwynt ar y map, nac ymosodiadau mewn misoedd nad oes "
     "gennym ddata'r heddlu ar eu cyfer"),
    (re.compile(r" of a record in the local police extract; assaults without a map point or a "
                r"date, or in months the extract does not cover, are not judged"),
     " i gofnod yn y detholiad lleol o ddata'r heddlu; nid aseswyd ymosodiadau heb bwynt ar y "
     "map na dyddiad, nac ymosodiadau mewn misoedd nad yw'r detholiad yn eu cwmpasu"))

FIXED: dict[str, str] = {
    requests.WHO_TITLE: "Pwy sy'n gysylltiedig: dioddefwyr a'r sawl a ddrwgdybir",
    requests.YOUTH_TITLE: "Cyfiawnder ieuenctid a throseddu",
    requests.HEALTH_TITLE: "Safbwynt iechyd",
    requests.RISK_TITLE: "Ffactorau risg a ffactorau amddiffynnol",
    requests.SERVICES_TITLE: "Gwasanaethau, asedau a chynnydd y strategaeth",
    requests.REQUEST_CAPTIONS["core-measures"]: "Cais am ddata: mesurau canlyniad craidd",
    requests.REQUEST_CAPTIONS["who"]: "Cais am ddata: dioddefwyr a'r sawl a ddrwgdybir",
    requests.REQUEST_CAPTIONS["youth-justice"]: "Cais am ddata: cyfiawnder ieuenctid",
    requests.REQUEST_CAPTIONS["health"]: "Cais am ddata: iechyd",
    requests.REQUEST_CAPTIONS["risk-factors"]: ("Cais am ddata: ffactorau risg a ffactorau "
                                                "amddiffynnol"),
    requests.REQUEST_CAPTIONS["community-voice"]: "Cais am ddata: llais y gymuned",
    requests.REQUEST_CAPTIONS["services"]: "Cais am ddata: gwasanaethau a strategaeth",
    **dict(zip(requests.REQUEST_COLUMNS, ("Dangosyddion", "Partner sy'n dal y data",
                                          "Set ddata", "Meysydd sydd eu hangen", "Cyfnod",
                                          "Sail gyfreithiol"), strict=True)),
    requests.REQUEST_SOURCE: ("Cais Alliance am ddata ar gyfer yr asesiad (geiriadur "
                              "dangosyddion)"),
    requests.WHO_NOT_POOLED: (
        "Nid yw police.uk yn cyhoeddi data am bobl ar lefel cofnod: dim oedran, rhyw, "
        "ethnigrwydd, perthynas na statws ailadrodd ar gyfer dioddefwyr na'r sawl a "
        "ddrwgdybir. Ni ellir ysgrifennu'r bennod hon o ddata agored; mae angen cofnodion "
        "ffugenwol yr heddlu o ddioddefwyr a'r sawl a ddrwgdybir, a data ysbytai, y gofynnir "
        "amdanynt isod. Unwaith y byddant wedi'u cyfuno, bydd Alliance yn proffilio dioddefwyr "
        "a'r sawl a ddrwgdybir yn ôl oedran a rhyw, gyda chyfraddau fesul 1,000, dioddef dro "
        "ar ôl tro a chymarebau gwahaniaeth, wedi'u hatal o dan y trothwy."),
    requests.YOUTH_CAPTION: ("Ystadegau cyfiawnder ieuenctid (y cyfnod diweddaraf sydd "
                             "gennym, gyda ffigurau sydd wedi dyddio wedi'u nodi)"),
    requests.YOUTH_INTRO: (
        "Ystadegau cyfiawnder ieuenctid cyhoeddedig ar gyfer yr ardal, fel y'u llwythwyd i'r "
        "gronfa, pob un gyda'i gyfnod. Ni ddangosir byth ffigurau cynghorau nad ydynt yn bodoli "
        "mwyach fel rhai cyfredol: cânt eu hadio at y cyngor a ddaeth yn eu lle lle mae hynny'n "
        "union, ac fel arall cânt eu gadael allan a'u rhestru."),
    requests.NO_YOUTH: "Nid oes ystadegau cyfiawnder ieuenctid wedi'u llwytho i'r gronfa.",
    requests.HEALTH_POOLED: (
        "Mae data adrannau brys a gwasanaethau ambiwlans yn dangos trais nad yw'r heddlu byth "
        "yn ei gofnodi (yng Nghymru, nid oedd gan 59% o ymweliadau ag adrannau brys yn dilyn "
        "ymosodiad gofnod gan yr heddlu). Mae data cyfunol y partneriaid yn dilyn, o'r un "
        "ffigurau cyhoeddedig â'r dangosfwrdd."),
    requests.HEALTH_NOT_POOLED: (
        "Mae data adrannau brys, gwasanaethau ambiwlans a derbyniadau i'r ysbyty yn dangos "
        "trais nad yw'r heddlu byth yn ei gofnodi (yng Nghymru, nid oedd gan 59% o ymweliadau "
        "ag adrannau brys yn dilyn ymosodiad gofnod gan yr heddlu). Nid oes dim ohono wedi'i "
        "gyfuno eto."),
    requests.RISK_CAPTION: ("Ystadegau ffactorau risg (y cyfnod diweddaraf sydd gennym, gyda "
                            "ffigurau sydd wedi dyddio wedi'u nodi)"),
    requests.RISK_INTRO: (
        "Ffactorau risg a ffactorau amddiffynnol: gwaharddiadau o'r ysgol, ataliadau ac "
        "absenoldeb, pobl ifanc nad ydynt mewn addysg, cyflogaeth na hyfforddiant, gofal "
        "cymdeithasol plant (gan gynnwys gangiau a chamfanteisio troseddol fel ffactorau "
        "asesu) ac amddifadedd plant (IDACI, yn nhablau'r IMD)."),
    requests.SERVICES_NOT_HELD: (
        "Nid yw'r gofrestr asedau, sgôr tystiolaeth yr ymyriadau na'r cynnydd yn erbyn y "
        "strategaeth flaenorol yn cael eu cadw yn Alliance eto."),
    # the health lens's tables
    "Month": "Mis",
    pooled.KNIFE: "Cyllell neu wrthrych miniog",
    "Local authority": "Awdurdod lleol",
    "How the row was placed": "Sut y lleolwyd y rhes",
    "Rows": "Rhesi",
    TOTAL_LABEL: "Cyfanswm",
    "By": "Yn ôl",
    "Group": "Grŵp",
    "Whole area": "Yr ardal gyfan",
    "Area": "Ardal",
    "Unknown local authority": "Awdurdod lleol anhysbys",
    "Assaults judged": "Ymosodiadau a aseswyd",
    "No police record nearby": "Dim cofnod heddlu gerllaw",
    "95% CI": "Cyfwng hyder 95%",
    "Weapon": "Arf",
    "unsuppressed (record-level)": "heb eu hatal (lefel cofnod)",
    # who is involved
    "Age band": "Band oedran",
    who.SHARE: "% o'r cyfan",
    **{who.BAND_WORDS[k]: v for k, v in _BANDS.items() if k in who.BAND_WORDS},
    **_SEXES,
    # community voice, once its data is pooled
    voice.CONVERSATIONS_SOURCE: "Sgyrsiau datganiadau Alliance (dull Pol.is)",
    voice.CONSULTATIONS_SOURCE: "Ymgynghoriadau Alliance",
    voice.THEME_SOURCE: ("Dadansoddiad themâu Alliance (mewnblaniadau brawddegau "
                         "all-MiniLM-L6-v2, wedi'u rhedeg yn lleol)"),
    voice.NO_COUNTS: "dim angen (dim niferoedd)",
    **{pooled.method_words(m): pooled.method_words(w) for m, w in _METHODS.items()},
}

#: each data request's Welsh, row for row with the chapter's (indicators and legal bases, the
#: names of Acts the key under the table explains, are the same in both)
_HEALTH_CY = {
    "istv_ae": ("Ymddiriedolaethau acíwt", "Ymweliadau ymosod ISTV",
                "dyddiad, awr, band oedran, rhyw, lleoliad yr ymosodiad, arf"),
    "ambulance": ("East Midlands Ambulance Service",
                  "Galwadau ambiwlans am ymosodiadau ac anafiadau cyllell",
                  "cyfeirnod y digwyddiad, dyddiad, awr, lleoliad (LSOA), categori")}
_CORE_CY = {
    "istv_ae": ("Ymddiriedolaethau acíwt (adrannau brys); ICB / OHID (HES)",
                "Ymweliadau ymosod ISTV / ECDS; gofal cleifion mewnol HES",
                "mis, dull yr ymosodiad (cyllell neu wrthrych miniog), band oedran, lleoliad "
                "(cod post neu LSOA)"),
    "police_extract": ("Heddlu", "Detholiad o droseddau a gofnodwyd",
                       "cod trosedd y Swyddfa Gartref, dyddiad ac amser y drosedd, LSOA neu "
                       "gyfeirnod grid, baner cyllell (ADR 160), baner cam-drin domestig, band "
                       "oedran y dioddefwr")}
_ED = ("Ymddiriedolaethau acíwt (adrannau brys)", "Ymweliadau ymosod ISTV / ECDS (ISB 1594)",
       "dyddiad, awr, band oedran, rhyw, lleoliad yr ymosodiad, arf, ardal cod post")
_PERIODS = {"5 years, monthly": "5 mlynedd, fesul mis", "last 5 years": "y 5 mlynedd diwethaf",
            "latest quarter": "y chwarter diweddaraf",
            "last 3 academic years": "y 3 blynedd academaidd diwethaf",
            "last 3 years": "y 3 blynedd diwethaf", "latest survey": "yr arolwg diweddaraf",
            "since the last SNA": "ers yr asesiad diwethaf", "current": "cyfredol"}


def _needs_cy(ctx: Context) -> list[tuple[list[Need], list[tuple[str, str, str]]]]:
    """Each data request of the chapters (for every set of pooled sources) beside its Welsh
    partner, dataset and fields."""
    pairs: list[tuple[list[Need], list[tuple[str, str, str]]]] = [
        (requests.core_needs(ctx), [
            ("Bwrdd Gofal Integredig / OHID (HES)", "Gofal cleifion mewnol HES",
             "mis, achos allanol ICD-10 X99, band oedran, LSOA preswylio (cyfanredol)"),
            ("Heddlu", "Detholiad o droseddau a gofnodwyd",
             "cod trosedd y Swyddfa Gartref, dyddiad ac amser y drosedd, LSOA neu gyfeirnod "
             "grid, baner cyllell (ADR 160), baner cam-drin domestig, band oedran a rhyw y "
             "dioddefwr"),
            ("Heddlu / y Swyddfa Gartref", "Mynegai Dynladdiad",
             "blwyddyn, band oedran y dioddefwr, baner cam-drin domestig, dull (offeryn "
             "miniog)")]),
        (list(requests.CORE_NEEDS.values()), [_CORE_CY[k] for k in requests.CORE_NEEDS]),
        (list(requests.HEALTH_NEEDS.values()), [_HEALTH_CY[k] for k in requests.HEALTH_NEEDS]),
        (requests.who_needs(ctx), [
            ("Heddlu", "Dioddefwyr a'r sawl a ddrwgdybir mewn troseddau trais difrifol "
                       "(ffugenwol)",
             "allwedd person ffugenwol, rôl, oedran, rhyw, ethnigrwydd, y berthynas rhwng "
             "dioddefwr a'r sawl a ddrwgdybir, baner cam-drin domestig, cyfeirnod y drosedd"),
            _ED]),
        (requests.youth_needs(ctx), [
            ("Gwasanaeth Cyfiawnder Ieuenctid",
             "Detholiad o system rheoli achosion y Gwasanaeth Cyfiawnder Ieuenctid "
             "(cyfanredol)",
             "y rhai sy'n dod i'r system am y tro cyntaf, troseddau yn ôl sgôr difrifoldeb, "
             "meddu ar arf, carfan aildroseddu, yn ôl band oedran, rhyw ac ethnigrwydd"),
            ("Y Gwasanaeth Prawf", "Llwyth achosion â throsedd ym mynegai trais",
             "nifer yn ôl band oedran a lefel risg")]),
        (requests.health_needs(ctx), [
            _HEALTH_CY["istv_ae"], _HEALTH_CY["ambulance"],
            ("ICB / OHID", "Derbyniadau HES am drais (X85–Y09, X99)",
             "blwyddyn, band oedran, LSOA preswylio (cyfanredol)")]),
        (requests.risk_needs(ctx), [
            ("Addysg yr awdurdod lleol", "Gwaharddiadau, ataliadau, absenoldeb a NEET yn ôl "
             "ysgol neu breswylfa'r disgybl", "niferoedd a chyfraddau yn ôl LSOA neu ward "
             "preswylio"),
            ("Gofal cymdeithasol plant", "CIN, CLA, cynlluniau CP; asesiadau camfanteisio",
             "niferoedd yn ôl ward, band oedran"),
            ("Gwasanaeth tân ac achub", "Tanau bwriadol (IRS)", "dyddiad, LSOA, math")]),
        (list(requests.VOICE_NEEDS), [
            ("Awdurdodau lleol, OPCC, y sector gwirfoddol", "Arolygon pobl ifanc a thrigolion",
             "cwestiwn, ymateb, band oedran, rhyw, ardal, pwysoliad"),
            ("Y bartneriaeth arweiniol", "Cofnod ymgysylltu a sgyrsiau Pol.is",
             "dull, dyddiad, cyfranogwyr yn ôl grŵp, themâu")]),
        (list(requests.SERVICES_NEEDS), [
            ("Pob deiliad dyletswydd a darparwr a gomisiynwyd", "Cofrestr asedau",
             "darparwr, nod, carfan, ardal, cyllid a dyddiad gorffen, llwybr atgyfeirio, "
             "gwerthusiad"),
            ("Y bartneriaeth arweiniol",
             "Argymhellion blaenorol a cherdyn sgorio'r strategaeth",
             "argymhelliad, perchennog, mesur, llinell sylfaen, statws")])]
    for here in ([], ["istv_ae"], ["police_extract"], ["istv_ae", "police_extract"]):
        fields = ("allwedd person ffugenwol, rôl (y sawl a ddrwgdybir), ethnigrwydd, y berthynas "
                  "rhwng dioddefwr a'r sawl a ddrwgdybir, dioddef dro ar ôl tro, cyfeirnod y "
                  "drosedd" + ("" if "police_extract" in here else
                               ", oedran a rhyw y dioddefwr"))
        pairs.append((who.still_missing(ctx, here),
                      [("Heddlu", "Dioddefwyr a'r sawl a ddrwgdybir mewn troseddau trais "
                                  "difrifol (ffugenwol)", fields),
                       *([] if "istv_ae" in here else [_ED])]))
    return pairs


def _requests(ctx: Context) -> dict[str, str]:
    out = {requests.request_suppression(ctx.threshold): (
               f"niferoedd o dan {ctx.threshold} mewn ffurflenni cyfanredol i'w hatal pan "
               "ddônt i law"),
           requests.years_words(ctx): f"5 mlynedd hyd at {ctx.period.last}, fesul mis",
           f"{PCSC}; {GDPR} (consent where identifiable)": (
               f"{PCSC}; {GDPR} (caniatâd lle gellir adnabod pobl)")}
    for needs, welsh in _needs_cy(ctx):
        for need, (partner, dataset, fields) in zip(needs, welsh, strict=True):
            out.update({need.partner: partner, need.dataset: dataset, need.fields: fields})
            out.setdefault(need.period, _PERIODS.get(need.period, need.period))
            # codes of the indicator dictionary and names of Acts: the same in Welsh
            out.setdefault(need.indicators, need.indicators)
            if need.basis in (PCSC, f"{PCSC}; {CDA}", f"{PCSC}; {GDPR}",
                              f"{PCSC}; {CDA}; {GDPR}"):
                out.setdefault(need.basis, need.basis)
    return out


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _hidden_cy(threshold: int) -> str:
    return (f"mae niferoedd o 1 i {threshold - 1} wedi'u cuddio, ynghyd ag unrhyw ffigur a "
            "fyddai'n datgelu un")


def _missing(ctx: Context) -> dict[str, str]:
    """The 'still missing' sentences, for every order of sources a chapter may name."""
    out = {}
    for n in range(1, len(_MISSING) + 1):
        for sources in itertools.permutations(_MISSING, n):
            wanted = "; ".join(_MISSING[s] for s in sources)
            out[pooled.missing_words(list(sources))] = (
                f"Ar goll o hyd, ac yn y cais isod: {wanted}.")
    for here in ([], ["istv_ae"]):
        out[who.missing_words(here)] = (
            "Ar goll o hyd, ac yn y cais isod: y sawl a ddrwgdybir, ethnigrwydd, y "
            "berthynas rhwng y dioddefwr a'r sawl a ddrwgdybir, a dioddef dro ar ôl tro"
            + ("" if "istv_ae" in here else "; oedran a rhyw cleifion adrannau brys") + ".")
    return out


def _core(ctx: Context) -> dict[str, str]:
    """The scorecard once partners' data is pooled: its paragraph, years and source line."""
    sources = requests.core_sources(ctx)
    if not sources or any(s not in LABELS for s in sources):
        return {}
    out = {}
    held = [m for m in pooled.CORE_MEASURES if m.source in ctx.inputs.partners]
    if all(m.key in _DEFINITIONS for m in held):
        out[requests.pooled_core_intro(ctx, sources)] = (
            "Mesurau craidd y Swyddfa Gartref, pob un gyda'i olwg ar bobl dan 25 oed, o ddata "
            f"cyfunol y partneriaid ({'; '.join(LABELS[s] for s in sources)}). Caiff pob un ei "
            "gyfrif ar gyfer y flwyddyn adrodd gyfan ddiweddaraf sydd gan ei ffynhonnell (gall "
            "data partneriaid fod ar ei hôl hi o gymharu â data'r heddlu), gyda'i gyfradd fesul "
            "1,000 o drigolion y flwyddyn a chyfwng Poisson union 95%. Diffiniadau: "
            + " ".join(f"*{_measure(m.label)}*: {_DEFINITIONS[m.key]}" for m in held))
    out["; ".join(sources)] = "; ".join(LABELS[s] for s in sources)
    return out


def _measure(label: str) -> str:
    return SUMMARY.get(label, label)


def _years(ctx: Context) -> dict[str, str]:
    """Each partner's reporting year, as the scorecard and captions give it."""
    out = {}
    for data in ctx.inputs.partners.values():
        period = pooled.partner_period(data.publication, ctx.fperiod)
        if period is not None:
            out[period.label] = year_cy(period.label)
    return out


def _unit_words(data: pooled.PartnerData) -> dict[str, str]:
    """Headings and provenance that name a source's unit, and its label."""
    unit = UNITS.get(data.unit)
    out = {data.label: LABELS[data.label]} if data.label in LABELS else {}
    if data.publication.threshold is not None:
        out[pooled.hidden_words(data.publication.threshold)] = _hidden_cy(
            data.publication.threshold)
    if unit is not None:
        out[f"All {data.unit}"] = f"Pob {UNIT_ONE[data.unit]}"
        out[data.unit.capitalize()] = unit.capitalize()
        out[pooled.PLACED.format(unit=data.unit)] = (
            f"Sut y rhoddwyd {unit} ar y map (ansawdd geogodio)")
        out[pooled.not_judged_words(data.unit)] = (
            f"Ni ellir dweud eto faint o {soft(unit)} nad yw data'r heddlu yn eu dangos: nid "
            "oes gan yr un ohonynt bwynt ar y map a mis y mae gennym ddata'r heddlu ar ei "
            "gyfer. Gofynnwch am leoliad yr ymosodiad (cod post neu gyfeirnod grid) yn y "
            "ffurflen.")
    return out


def _health(ctx: Context, data: pooled.PartnerData) -> dict[str, str]:
    """The health lens of one pooled source: captions, paragraphs, messages and alt text."""
    label, unit = LABELS.get(data.label), UNITS.get(data.unit)
    if label is None or unit is None:
        return {}
    held = data.publication.cube.months
    out = {pooled.BY_MONTH.format(label=data.label): f"{label} fesul mis",
           pooled.HIDDEN.format(label=data.label): f"{label} heb gofnod heddlu gerllaw",
           pooled.HIDDEN_LOCAL.format(label=data.label): (
               f"{label} heb gofnod gerllaw yn y detholiad lleol o ddata'r heddlu"),
           pooled.pooled_words(data): (
               f"{label}: {held[0]} i {held[-1]} wedi'u cyfuno. Mae'r niferoedd yn cyfrif "
               f"{unit} a leolwyd yng nghymdogaethau'r ardal; mae misoedd rhy dawel i'w "
               "cyhoeddi fesul un yn wag.")}
    period = pooled.partner_period(data.publication, ctx.fperiod)
    if period is not None:
        out[pooled.BY_AREA.format(label=data.label, period=period.label)] = (
            f"{label} yn ôl awdurdod lleol, {year_cy(period.label)}")
        out[pooled.BY_WEAPON.format(label=data.label, period=period.label)] = (
            f"{label} yn ôl arf, {year_cy(period.label)}")
        out.update(_weapon(ctx, data, period))
    found = pooled.monthly_series(data, level=ctx.level, code=ctx.code)
    if found is not None:
        series, extra = found
        span, peak, count = pooled.busiest(series)
        first, last = span.split(" to ")
        out[pooled.monthly_alt(data, span, peak, count, knife=bool(extra))] = (
            f"Siart llinell o {_lower(label)} bob mis, {first} i {last}"
            + (", gyda'r rhai a oedd yn cynnwys cyllell neu wrthrych miniog" if extra else "")
            + f"; y mis cyhoeddedig uchaf yw {month_cy(peak)} gyda {count:,.0f}. Mae misoedd "
            "cudd yn fylchau.")
        status = monthly_figures.status(series, data.publication.threshold)
        if (welsh := _months_status(status)) is not None:
            out[status] = welsh
        out[pooled.monthly_message(data, peak, count)] = (
            f"Y mis cyhoeddedig prysuraf oedd {month_cy(peak)} ({count:,.0f} o {soft(unit)}); "
            "ni all blwyddyn neu ddwy o fisoedd ddangos tuedd na phatrwm tymhorol yn sicr.")
    out.update(_shares(ctx, data, unit))
    for local in (False, True):
        table = pooled.hidden_table(data, ctx.threshold, local=local)
        if table is not None:
            out.update({v: v.replace(" to ", " i ") for v in table["95% CI"]})
    return out


def _months_status(text: str) -> str | None:
    """A monthly series' suppression line in Welsh, or None if a part is not known."""
    parts = []
    for part in text.split("; "):
        for pattern, welsh in _MONTHS_STATUS:
            if pattern.fullmatch(part):
                parts.append(pattern.sub(welsh, part))
                break
        else:
            return None
    return "; ".join(parts)


def _note(text: str) -> str | None:
    """How the share with no police record nearby was judged, in Welsh (None if not known)."""
    window = _WINDOW.match(text)
    if window is None:
        return None
    when = (f"o fewn {window[2]} diwrnod bob ochr" if window[2] else "yn yr un mis")
    for pattern, welsh in _NOTES:
        if pattern.fullmatch(text[window.end():]):
            return f"o fewn {window[1]} metr ac {when}{welsh}"
    return None


def _shares(ctx: Context, data: pooled.PartnerData, unit: str) -> dict[str, str]:
    """The paragraphs over the tables of the share with no police record nearby."""
    out = {}
    the = "yr" if and_word(unit) == "ac" else "y"
    note = _note(data.hidden_note)
    if note is not None:
        out[pooled.share_words(data, ctx.threshold)] = (
            f"Mae cyfran {the} {unit} heb gofnod heddlu gerllaw ({note}) yn drais nad yw data'r "
            "heddlu yn ei ddangos. Dim ond lleoedd a dyddiadau a gymherir, byth pobl. Mae "
            f"cyfrannau wedi'u cuddio lle'r oedd gan lai na {ctx.threshold} o {soft(unit)} "
            "gofnod heddlu gerllaw, neu lle'r oedd llai na hynny hebddo.")
    local = _note(data.hidden_local_note)
    if local is not None:
        out[pooled.local_share_words(data)] = (
            "Yr un peth o gymharu â detholiad lleol y bartneriaeth o ddata'r heddlu, y mae gan "
            f"ei gofnodion ddyddiad a lle ({local}): cymhariaeth fanylach nag y mae police.uk "
            "yn ei chaniatáu. Mae cyfrannau wedi'u cuddio fel uchod.")
    return out


def _weapon(ctx: Context, data: pooled.PartnerData, period: Period) -> dict[str, str]:
    found = pooled.weapon_counts(data, level=ctx.level, code=ctx.code, period=period)
    if found is None:
        return {}
    labels, values, share = found
    groups = data.publication.cube.groups
    welsh = {groups[k].label: v for k, v in _GROUPS.items() if k in groups}
    unit = UNITS[data.unit]
    out = {**welsh, pooled.weapon_message(data, share): (
        f"Roedd {share:.0f}% o'r {unit} yn cynnwys cyllell neu wrthrych miniog."
        if not np.isnan(share) else
        "Rhy ychydig i ddweud pa gyfran a oedd yn cynnwys cyllell neu wrthrych miniog.")}
    if all(lab in welsh for lab in labels):
        label = LABELS[data.label]
        out[pooled.weapon_alt(data, period.label, labels, values)] = (
            f"Siart bar o {_lower(label)} yn ystod {year_cy(period.label)} yn ôl arf: "
            + "; ".join(f"{welsh[lab]} {_figure(v)}" for lab, v in zip(labels, values,
                                                                      strict=True)) + ".")
    return out


def _figure(value: float) -> str:
    return MARKER if np.isnan(value) else f"{value:,.0f}"


def _message_cy(table: who_figures.WhoTable, person: str) -> str:
    """:func:`alliance.report.sna.who.message` in Welsh."""
    words = PERSONS[person]
    total = table.cell(who_figures.ALL_AGES)
    if np.isnan(total) or total == 0:
        return f"Rhy ychydig o {soft(words)} i'w disgrifio yn ôl oedran a rhyw."
    parts = []
    young = table.share(who_figures.UNDER_25_LABEL)
    if not np.isnan(young):
        parts.append(f"roedd {young:.0f}% o'r {words} dan 25 oed")
    male = table.share(who_figures.ALL_AGES, "Male")
    if not np.isnan(male):
        parts.append(f"roedd {male:.0f}% yn wrywod")
    bands = {str(b): table.share(str(b)) for b in table.counts.index
             if b not in (who_figures.UNDER_25_LABEL, who_figures.ALL_AGES, "not known")}
    bands = {b: v for b, v in bands.items() if not np.isnan(v)}
    if bands:
        top = max(bands, key=lambda b: bands[b])
        parts.append(f"y band oedran mwyaf oedd {_lower(_BANDS.get(top, top))} "
                     f"({bands[top]:.0f}%)")
    if not parts:
        return (f"{total:,.0f} o {soft(words)}; mae eu bandiau oedran yn rhy fach i'w "
                "cyhoeddi fesul un.")
    return f"O'r {total:,.0f} o {soft(words)}, {'; '.join(parts)}."


def _who(ctx: Context) -> dict[str, str]:
    """Who is involved, from the pooled sources that carry age or sex."""
    sources = who.people_sources(ctx)
    out: dict[str, str] = {}
    if sources and all(d.label in LABELS for d in sources):
        area = sources[0].publication.cube.geography.name
        whole = ctx.level == "area"
        out[who.intro(ctx, sources)] = (
            "Pwy y mae data cyfunol y partneriaid yn eu cyfrif, yn ôl band oedran a rhyw: "
            + "; ".join(f"{LABELS[d.label]} ({PERSONS[who.PERSON.get(d.source, 'people')]})"
                        for d in sources)
            + f". Mae'r ffigurau ar gyfer {'y cyfan o ' if not whole else ''}{area}, ar gyfer "
            "y flwyddyn adrodd gyfan ddiweddaraf sydd gan bob ffynhonnell, ac maent yn dod o'r "
            "un ffigurau cyhoeddedig â'r dangosfwrdd a'r mesurau craidd: mae niferoedd o 1 i "
            f"{ctx.threshold - 1} wedi'u cuddio fel {MARKER}, ynghyd ag unrhyw ffigur arall a "
            "fyddai'n gadael i rywun gyfrifo un ohonynt o gyfansymiau'r tabl neu o ffigurau a "
            "gyhoeddwyd mewn mannau eraill. Mae cyfraddau yn ôl oedran yn gofyn am "
            "boblogaethau preswyl yn ôl band oedran, nad ydynt wedi'u llwytho.")
    for data in sources:
        label = LABELS.get(data.label)
        person = who.PERSON.get(data.source, "people")
        if label is None:
            continue
        period = pooled.partner_period(data.publication, ctx.fperiod)
        if period is None:
            out[who.no_year_words(data.label, person)] = (
                f"{label}: nid oes blwyddyn adrodd gyfan gennym eto, felly nid yw'r "
                f"{PERSONS[person]} wedi'u disgrifio yn ôl oedran a rhyw eto.")
            continue
        table = who_figures.who_table(data.publication, period=period)
        if table is None:
            continue
        bands = list(data.publication.cube.age_bands)
        values = [table.cell(b) for b in bands]
        out[who.BY_AGE.format(label=data.label, period=period.label)] = (
            f"{label} yn ôl band oedran, {year_cy(period.label)}")
        out[who.BY_AGE_SEX.format(label=data.label, period=period.label)] = (
            f"{label} yn ôl band oedran a rhyw, {year_cy(period.label)}")
        out[who.message(table, person)] = _message_cy(table, person)
        if all(b in _BANDS for b in bands):
            out[who.chart_words(data.label, period.label, person,
                                [who.BAND_WORDS.get(b, b) for b in bands], values)] = (
                f"Siart bar o {_lower(label)} yn ystod {year_cy(period.label)} yn ôl band "
                f"oedran y {PERSON_ONE[person]}, gyda'r bandiau dan 25 oed wedi'u hamlygu: "
                + "; ".join(f"{_BANDS[b]} {_figure(v)}" for b, v in zip(bands, values,
                                                                       strict=True)) + ".")
        status = who_figures.status(data.publication, table)
        if (m := _STATUS.fullmatch(status)) is not None:
            out[status] = (f"{m[1]} ffigur wedi'u cuddio fel {MARKER}: niferoedd o 1 i {m[2]}, "
                           "ac eraill lle byddent yn gadael i rywun gyfrifo un o ffigurau a "
                           "gyhoeddwyd")
    return out


#: how feeling unsafe compares with recorded violence in a ward (alliance.voice.felt_unsafe)
_VERDICTS = {felt_unsafe.FELT: "teimlo'n anniogel, ychydig wedi'i gofnodi",
             felt_unsafe.RECORDED: "wedi'i gofnodi, heb deimlo'n anniogel",
             felt_unsafe.AS_EXPECTED: "fel y disgwylid"}


def _voice(ctx: Context) -> dict[str, str]:
    t = ctx.threshold
    out = {voice.sizes_words(t): f"dangosir grwpiau o lai na {t} fel {MARKER}",
           voice.theme_counts_words(t): (f"dangosir themâu o lai na {t} fel {MARKER}, heb eu "
                                         "dyfyniadau"),
           voice.counts_words(t): f"dangosir niferoedd o lai na {t} fel {MARKER}"}
    for c in ctx.inputs.consultations:
        if c.differing and all(v in _VERDICTS for _, v in c.differing[:8]):
            places = "; ".join(f"{ward} ({_VERDICTS[v]})" for ward, v in c.differing[:8])
            out[voice.differing_words(c.differing)] = (
                f"Lle mae teimlo'n anniogel a thrais a gofnodwyd yn gwahaniaethu fwyaf: {places}.")
        if c.you_said:
            out[voice.YOU_SAID.format(title=c.title)] = f"Dywedoch chi, gwnaethom ni: {c.title}"
    return out


def sentences(ctx: Context) -> dict[str, str]:
    """English -> Welsh for the partner-data and data-request chapters of this build."""
    table = dict(FIXED)
    table.update(_requests(ctx))
    table.update(_missing(ctx))
    table.update(_years(ctx))
    t = ctx.threshold
    table.update({pooled.hidden_words(t): _hidden_cy(t),
                  pooled.placed_words(t): (f"mae niferoedd o 1 i {t - 1} wedi'u cuddio, ynghyd "
                                           "ag unrhyw un a fyddai'n datgelu un"),
                  pooled.shares_words(t): (f"cyfrannau wedi'u cuddio lle mae'r naill ran neu'r "
                                           f"llall rhwng 1 a {t - 1}")})
    for data in ctx.inputs.partners.values():
        table.update(_unit_words(data))
        if data.source in pooled.HEALTH_SOURCES:
            table.update(_health(ctx, data))
    table.update(_core(ctx))
    table.update(_who(ctx))
    table.update(_voice(ctx))
    return table

