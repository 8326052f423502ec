"""The Welsh of the data request tables and of the fixed text of the chapters that ask for
data (:mod:`alliance.report.sna.requests`): titles, captions, headings, each request's
partner, dataset, fields and period, and the paragraphs said while nothing is pooled. The
indicator codes and the legal bases (names of Acts, which the key under each table explains in
Welsh) read the same in both languages."""

from __future__ import annotations

from alliance.report.sna import requests, who
from alliance.report.sna.common import Context
from alliance.report.sna.requests import CDA, GDPR, PCSC, Need

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
}

#: each data request's Welsh, row for row with the chapter's (indicators and legal bases, the
#: names of Acts the key under the table explains, are the same in both)
_HEALTH_CY = {
    "istv_ae": ("Ymddiriedolaethau acíwt", "Ymweliadau ISTV yn dilyn ymosodiad",
                "dyddiad, awr, band oedran, rhyw, lleoliad yr ymosodiad, arf"),
    "ambulance": ("East Midlands Ambulance Service",
                  "Galwadau ambiwlans am ymosodiadau ac anafiadau cyllell",
                  "cyfeirnod y digwyddiad, dyddiad, awr, lleoliad (ACEHI), categori")}
_CORE_CY = {
    "istv_ae": ("Ymddiriedolaethau acíwt (adrannau brys); ICB / OHID (HES)",
                "Ymweliadau ISTV / ECDS yn dilyn ymosodiad; gofal cleifion mewnol HES",
                "mis, dull yr ymosodiad (cyllell neu wrthrych miniog), band oedran, lleoliad "
                "(cod post neu ACEHI)"),
    "police_extract": ("Heddlu", "Detholiad o droseddau a gofnodwyd",
                       "cod trosedd y Swyddfa Gartref, dyddiad ac amser y drosedd, ACEHI neu "
                       "gyfeirnod grid, baner cyllell (ADR 160), baner cam-drin domestig, band "
                       "oedran y dioddefwr")}
_ED = ("Ymddiriedolaethau acíwt (adrannau brys)",
       "Ymweliadau ISTV / ECDS yn dilyn ymosodiad (ISB 1594)",
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
             "mis, achos allanol ICD-10 X99, band oedran, ACEHI preswylio (cyfanredol)"),
            ("Heddlu", "Detholiad o droseddau a gofnodwyd",
             "cod trosedd y Swyddfa Gartref, dyddiad ac amser y drosedd, ACEHI neu gyfeirnod "
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
            ("Y Gwasanaeth Prawf", "Llwyth achosion â throsedd o'r mynegai trais",
             "nifer yn ôl band oedran a lefel risg")]),
        (requests.health_needs(ctx), [
            _HEALTH_CY["istv_ae"], _HEALTH_CY["ambulance"],
            ("ICB / OHID", "Derbyniadau HES am drais (X85–Y09, X99)",
             "blwyddyn, band oedran, ACEHI preswylio (cyfanredol)")]),
        (requests.risk_needs(ctx), [
            ("Addysg yr awdurdod lleol", "Gwaharddiadau, ataliadau, absenoldeb a NEET yn ôl "
             "ysgol neu breswylfa'r disgybl", "niferoedd a chyfraddau yn ôl ACEHI neu ward "
             "preswylio"),
            ("Gofal cymdeithasol plant", "CIN, CLA, cynlluniau CP; asesiadau camfanteisio",
             "niferoedd yn ôl ward, band oedran"),
            ("Gwasanaeth tân ac achub", "Tanau bwriadol (IRS)", "dyddiad, ACEHI, math")]),
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



def sentences(ctx: Context) -> dict[str, str]:
    """English -> Welsh for the data requests and the chapters' fixed text of this build."""
    return {**FIXED, **_requests(ctx)}
