"""The Welsh of the SNA's introduction and annexes, and of the shared notes and source lines
of :mod:`alliance.report.sna.common`, keyed by the English the chapters print.

Every key is made by the chapter's own function or constant (:mod:`alliance.report.sna.front`,
:mod:`alliance.report.sna.common`), called with this build's context; the Welsh beside it is
made from the same values (counts, months, threshold, seed), formatted the same way, so the
numbers of both languages are one. Names of datasets, publishers and places stay as they are.
Text that is the partnership's own (a definition's "what gives the real measure" when it is
not the default, an import batch's description) or that comes from a reference table this
module has no Welsh for (a harm-weight unit) has no entry, so the Welsh edition marks it
``lang="en"``.

The licences annex gives the Open Government Licence's attribution statements in Welsh: the
licence has an official Welsh version (The National Archives, "Trwydded Llywodraeth Agored
v3.0"), which is how Welsh public bodies attribute ONS and Ordnance Survey data; the English
edition of the same report carries each publisher's statement word for word.
"""

from __future__ import annotations

from alliance.pool.definition import REAL_MEASURE_NEEDS
from alliance.pool.quality import GLOSSARY
from alliance.report.sna import front
from alliance.report.sna.common import (
    AS_PUBLISHED,
    IMD,
    NOT_APPLICABLE,
    OGL_IMD,
    OGL_ONS,
    OGL_POLICE,
    ONS_GEOGRAPHY,
    POLICE_UK,
    PROXY_NOTE,
    SNAP_NOTE,
    Context,
    no_cells_suppressed,
)
from alliance.report.sna.cymraeg_fixed import CATEGORIES, FIXED
from alliance.report.sna.period import Comparison
from alliance.report.welsh import dates_cy, month_cy, year_cy

# ----------------------------------------------------------------- shared notes (common.py)

PROXY_NOTE_CY = ("Dim ond y categori bras 'Trais a throseddau rhywiol' y mae police.uk yn ei "
                 "gyhoeddi, sy'n cymysgu'r trais mwyaf difrifol ag ymosodiadau cyffredin, "
                 "aflonyddu, stelcio a phob trosedd rywiol; fe'i defnyddir yma fel procsi ac "
                 "fe'i labelir felly.")
SNAP_NOTE_CY = ("Mae police.uk yn symud lleoliad pob trosedd i bwynt dienw ar y map (canol "
                "stryd neu dirnod), felly mae troseddau'n pentyrru ar y pwyntiau hynny: nid yw "
                "patrymau manylach nag ychydig gannoedd o fetrau, na niferoedd ar gyfer ardaloedd "
                "bach iawn, yn ddibynadwy.")
IMD_CY = "Mynegeion Amddifadedd Lloegr 2025 MHCLG (ACEHI 2021)"
ONS_GEOGRAPHY_CY = ("Ffiniau a thablau cyfatebol ACEHI 2021 SYG; trigolion arferol Cyfrifiad "
                    "2021")
OGL_POLICE_CY = ("Yn cynnwys gwybodaeth y sector cyhoeddus a drwyddedir o dan y Drwydded "
                 "Llywodraeth Agored v3.0. Ffynhonnell: data.police.uk.")
OGL_ONS_CY = ("Ffynhonnell: y Swyddfa Ystadegau Gwladol, wedi'i thrwyddedu o dan y Drwydded "
              "Llywodraeth Agored v.3.0. Yn cynnwys data'r Arolwg Ordnans © Hawlfraint y Goron a "
              "hawl cronfa ddata 2025.")
OGL_IMD_CY = ("Y Weinyddiaeth Tai, Cymunedau a Llywodraeth Leol, Mynegeion Amddifadedd Lloegr "
              "2025, OGL v3.0.")
NOT_APPLICABLE_CY = "amherthnasol (dim niferoedd o bobl na digwyddiadau)"


def no_cells_suppressed_cy(threshold: int) -> str:
    return f"dim celloedd wedi'u hatal (trothwy {threshold})"


# ----------------------------------------------------------------- the chapters' fixed text

TITLES_CY = {
    "about": "Ynglŷn â'r asesiad hwn",
    "annexes": "Atodiadau",
    "methods": "Atodiad A: dulliau",
    "data-currency": "Atodiad B: ansawdd y data a pha mor gyfredol ydyw",
    "definition": "Atodiad C: y diffiniad lleol o drais difrifol",
    "suppression": "Atodiad D: niferoedd bach ac atal ffigurau",
    "licences": "Atodiad E: trwyddedau a chydnabyddiaethau",
    "batches": "Atodiad F: y sypiau mewnforio a ddefnyddiwyd",
    "glossary": "Atodiad G: geirfa",
}
#: the quality terms of :data:`alliance.pool.quality.GLOSSARY` the annexes quote
GLOSSARY_CY = {
    "kept but flagged": (
        "Rhesi a lwythwyd ac a gyfrifwyd, ond gyda phroblem sy'n eu cadw allan o rai ffigurau: "
        "er enghraifft dim pwynt ar y map, neu gategori trosedd nad yw'r diffiniad lleol yn ei "
        "gwmpasu. Mae gan bob un reswm sy'n dweud beth mae'n ei olygu."),
    "set aside": (
        "Rhesi na lwythwyd am na ellid defnyddio gwerth ynddynt (ystadegau partneriaid). Mae'r "
        "adroddiad ansawdd yn rhestru pob un gyda'i ffeil a'i linell."),
}
REAL_MEASURE_NEEDS_CY = (
    "Cofnodion o system droseddau'r heddlu gyda chodau troseddau'r Swyddfa Gartref (codau fel "
    "1, 4.1, 4.2 dynladdiad; 2, 5D, 5E, 8N, 8P, 8S trais ag anaf; 34A/34B lladrata; 10A–10D, "
    "81, 90 arfau), gyda baner cyllell neu wrthrych miniog; ymweliadau ag adrannau brys yn "
    "dilyn ymosodiad o dan ISTV (ISB 1594); derbyniadau i'r ysbyty am ymosodiad â gwrthrych "
    "miniog (HES); y Mynegai Dynladdiad.")
LICENCE_ITEMS_CY = (
    f"police.uk: {OGL_POLICE_CY}",
    f"Ffiniau a'r Cyfrifiad: {OGL_ONS_CY}",
    f"Mynegeion Amddifadedd: {OGL_IMD_CY}",
    "Amcangyfrifon poblogaeth: y Swyddfa Ystadegau Gwladol, OGL v3.0.",
    "Mynegai Niwed Troseddau Caergrawnt (CCHI): Sherman, Neyroud & Neyroud (2016); pwysau ar "
    "gyfer pob categori police.uk fel y'u deilliwyd yn y tabl cyfeirio a enwir yn y dulliau.",
    "Ystadegau partneriaid: fel y'u henwir yn llinell ffynhonnell pob tabl (DfE, MoJ/YJB, "
    "SYG, OHID Fingertips; OGL v3.0).")
GLOSSARY_ITEMS_CY = (
    "**ACEHI** (LSOA yn Saesneg): Ardal Gynnyrch Ehangach Haen Is, cymdogaeth cyfrifiad "
    "o tua 1,500 o drigolion (ffiniau 2021).",
    "**CSP**: Partneriaeth Diogelwch Cymunedol.",
    "**IMD**: Mynegai Amddifadedd Lluosog.",
    "**[c]**: cyfrinachol, wedi'i guddio i ddiogelu niferoedd bach.",
    "**Procsi**: mesur ehangach sy'n sefyll yn lle un nad yw'r data agored yn ei roi.",
    "**FDR**: cyfradd darganfod gau (talfyriad o'r Saesneg).")
ANNEX_POINTER_CY = ("Mae'r atodiadau ar y diwedd yn dweud sut y lluniwyd y ffigurau, pa mor "
                    "gyflawn a chyfredol yw'r data, beth yw'r diffiniad lleol o drais difrifol "
                    "a pha reolau sy'n diogelu niferoedd bach.")
ANNEXES_INTRO_CY = ("Sail y ffigurau: sut y'u lluniwyd, y data a pha mor gyflawn a chyfredol "
                    "ydyw, y diffiniad lleol, y rheolau sy'n diogelu niferoedd bach, "
                    "trwyddedau, y cofnod mewnforio a geirfa.")
DRAFT_WARNING_CY = (" Drafft yw hwn: nid yw ei gyfnod yn un o flynyddoedd adrodd y "
                    "bartneriaeth, felly nid yw ei ffigurau wedi'u diogelu rhag ffigurau eraill "
                    "a gyhoeddwyd ac ni ddylid ei gyhoeddi.")
#: the import log's kinds and sources (codes the import record keeps) in Welsh
KINDS_CY = {"incidents": "digwyddiadau", "geography": "daearyddiaeth",
            "indicators": "dangosyddion"}
SOURCES_CY = {"police_uk": "police.uk", "ons_geography": "daearyddiaeth SYG",
              "partners": "ystadegau partneriaid", "police_extract": "detholiad yr heddlu"}
#: harm-weight descriptions the methods annex quotes: "{scheme} {edition}, {unit}" as the SNA
#: service writes it from the reference table (:mod:`alliance.stats.harm`), by part
HARM_CY = {"no harm weights available": "nid oes pwysau niwed ar gael"}
HARM_SCHEMES_CY = {"CCHI": "CCHI", "ONS CSS": "CSS SYG"}
HARM_EDITIONS_CY = {
    "CCHI 2026 update": "diweddariad CCHI 2026",
    "CCHI 2020 update (guidelines at 6 Oct 2020)": ("diweddariad CCHI 2020 (canllawiau ar 6 "
                                                    "Hydref 2020)"),
    "data tool in use c. 2025-26 (edition not stated by the copy)": (
        "yr offeryn data a ddefnyddiwyd tua 2025-26 (nid yw'r copi'n nodi'r argraffiad)"),
    "launch edition (data tool, Nov 2016)": "argraffiad lansio (offeryn data, Tachwedd 2016)",
    "launch edition (inferred)": "argraffiad lansio (wedi'i gasglu)",
}
HARM_UNITS_CY = {
    "days imprisonment (guideline starting point, first offender)": (
        "diwrnodau o garchar (man cychwyn y canllawiau, troseddwr cyntaf)"),
    "CSS weight (sentencing-based; roughly days-of-custody equivalent)": (
        "pwysau CSS (yn seiliedig ar ddedfrydau; yn cyfateb yn fras i ddiwrnodau yn y "
        "ddalfa)"),
}

_FIXED = {
    PROXY_NOTE: PROXY_NOTE_CY,
    SNAP_NOTE: SNAP_NOTE_CY,
    IMD: IMD_CY,
    ONS_GEOGRAPHY: ONS_GEOGRAPHY_CY,
    NOT_APPLICABLE: NOT_APPLICABLE_CY,
    AS_PUBLISHED: "fel y'u cyhoeddwyd",
    front.AS_IMPORTED: "fel y'u mewnforiwyd",
    OGL_POLICE: OGL_POLICE_CY,
    OGL_ONS: OGL_ONS_CY,
    OGL_IMD: OGL_IMD_CY,
    front.ANNEX_POINTER: ANNEX_POINTER_CY,
    front.ANNEXES_INTRO: ANNEXES_INTRO_CY,
    front.IMPORT_LOG: "cofnod mewnforio Alliance",
    front.CURRENCY_CAPTION: ("Pa mor gyfredol yw'r data: y setiau data a ddefnyddiwyd, y "
                             "cyfnod y maent yn ei gwmpasu, pryd y'u mewnforiwyd a pha mor "
                             "gyflawn ydynt"),
    front.DEFINITION_CAPTION: "Y diffiniad lleol wedi'i gymhwyso i gategorïau police.uk",
    front.BATCHES_CAPTION: "Y sypiau mewnforio y lluniwyd yr adroddiad hwn ohonynt",
    front.FILES_CAPTION: "Ffeiliau ffynhonnell y sypiau hynny",
    front.GEOGRAPHY_PERIOD: "daearyddiaeth 2021; IMD 2025",
    front.GEOGRAPHY_COMPLETE: "mae gan bob ACEHI yn yr ardal ffin, poblogaeth a degradd IMD",
    front.POLICE_PARTNER: "Yr heddlu (drwy data.police.uk)",
    front.GEOGRAPHY_PARTNER: "SYG / MHCLG",
    front.PARTNER_STATISTICS: "Ystadegau a gyhoeddwyd gan bartneriaid",
    front.GEOGRAPHY_DATASET: f"Ffiniau a thablau cyfatebol SYG, trigolion Cyfrifiad 2021, "
                             f"{IMD_CY}",
}
_COLUMNS = {
    "Partner": "Partner", "Dataset": "Set ddata", "Batch": "Swp",
    "Period covered": "Cyfnod", "Imported": "Mewnforiwyd", "Rows used": "Rhesi a ddefnyddiwyd",
    "Completeness": "Cyflawnrwydd", "Kind": "Math", "Source": "Ffynhonnell",
    "Description": "Disgrifiad", "Rows loaded": "Rhesi a lwythwyd", "File": "Ffeil",
    "Month": "Mis", "Rows": "Rhesi", "police.uk category": "Categori police.uk",
    "Counted as serious violence": "Yn cael ei gyfrif yn drais difrifol", "Proxy": "Procsi"}
_CELLS = {"yes": "ie", "no": "na", "proxy": "procsi"}


def _rows(n: int) -> str:
    """'1 rhes', '1,204 o resi'."""
    return "1 rhes" if n == 1 else f"{n:,} o resi"


def comparison_cy(c: Comparison) -> str:
    """:meth:`alliance.report.sna.period.Comparison.describe` in Welsh."""
    if c.kind == "none":
        return "nid oes gennym fisoedd cynharach, felly ni ellir gwneud cymhariaeth"

    def span(months: tuple[str, ...]) -> str:
        if len(months) == 1:
            return month_cy(months[0])
        return f"{month_cy(months[0])}–{month_cy(months[-1])}"

    if c.kind == "full":
        return f"o gymharu â'r cyfnod blaenorol o'r un hyd ({span(c.before)})"
    return (f"dim ond {len(c.before)} mis o'r cyfnod blaenorol sydd gennym, felly mae'r "
            f"gymhariaeth yn cymharu'r un misoedd: {span(c.before)} o gymharu â'r un misoedd "
            f"o'r cyfnod adrodd ({span(c.after)})")


def about_parts_cy(ctx: Context) -> list[str]:
    """:func:`alliance.report.sna.front.about_parts` in Welsh, part for part."""
    area = ctx.inputs.area
    parts = [
        f"Mae'r Asesiad Strategol o Anghenion (SNA) hwn ar gyfer {area.name} "
        f"({area.code or area.level}) yn cwmpasu {year_cy(ctx.period.label)} "
        f"({dates_cy(ctx.period.span())}). Fe'i hysgrifennwyd o dan y Ddyletswydd Trais "
        "Difrifol (Deddf yr Heddlu, Troseddu, Dedfrydu a Llysoedd 2022, Rhan 2 Pennod 1), sy'n "
        "ei gwneud yn ofynnol i'r awdurdodau penodedig nodi mathau ac achosion trais difrifol "
        "yn eu hardal a pharatoi strategaeth; caiff yr SNA ei adnewyddu bob blwyddyn.",
        f"Dangosir newid lle mae'r data'n caniatáu hynny: {comparison_cy(ctx.comparison)}. Mae'r "
        f"duedd fisol yn defnyddio pob mis sydd gennym ({ctx.held[0]} i {ctx.held[-1]}, "
        f"{len(ctx.held)} mis).",
        PROXY_NOTE_CY, ANNEX_POINTER_CY]
    if ctx.rows_outside_months:
        parts.append(f"Gadewir allan {_rows(ctx.rows_outside_months)} a gyhoeddwyd gan "
                     "heddluoedd eraill ar gyfer misoedd nad yw heddlu'r ardal ei hun wedi'u "
                     "cyhoeddi, fel bod pob mis naill ai gennym yn llawn neu ddim o gwbl.")
    missing = front.held_words(ctx)[0]
    if missing:
        parts.append(f"Nid oes gennym {len(missing)} mis o'r cyfnod ({', '.join(missing)}); "
                     "mae ffigurau'r cyfnod yn cwmpasu'r misoedd sydd gennym yn unig.")
    return parts


def currency_row_cy(c: front.Currency) -> list[object]:
    """:func:`alliance.report.sna.front.currency_row` in Welsh, cell for cell."""
    date = dates_cy(front.imported_on(c.imported))
    if c.kind == "incidents":
        period = (f"{c.months[0]} i {c.months[-1]} ({len(c.months)} mis)" if c.months else "")
        return [_FIXED[front.POLICE_PARTNER], FIXED[POLICE_UK], c.batch, period,
                date, c.rows_used, f"{_rows(c.set_aside)} o'r swp wedi'u cadw ond wedi'u "
                f"nodi; {c.no_location:.1f}% o'r rhesi a ddefnyddiwyd heb leoliad"]
    if c.kind == "geography":
        return [_FIXED[front.GEOGRAPHY_PARTNER], _FIXED[front.GEOGRAPHY_DATASET], c.batch,
                _FIXED[front.GEOGRAPHY_PERIOD], date, c.rows_used,
                _FIXED[front.GEOGRAPHY_COMPLETE]]
    return [_FIXED[front.PARTNER_STATISTICS], c.datasets, c.batch,
            f"{c.first} i {c.last}" if c.first else "", date, c.rows_used,
            f"{_rows(c.set_aside)} wedi'u rhoi o'r neilltu"]


def currency_intro_cy() -> str | None:
    """The data-currency annex's paragraph in Welsh (None if a quoted term has no Welsh)."""
    if any(term not in GLOSSARY for term in GLOSSARY_CY):
        return None
    return ("Y setiau data y lluniwyd yr adroddiad hwn ohonynt, y cyfnod y mae pob un yn ei "
            "gwmpasu, pryd y'i mewnforiwyd a pha mor gyflawn ydyw. *Wedi'u cadw ond wedi'u "
            "nodi*: " + GLOSSARY_CY["kept but flagged"] + " *Wedi'u rhoi o'r neilltu*: "
            + GLOSSARY_CY["set aside"])


def definition_parts_cy(ctx: Context) -> list[str | None]:
    """:func:`alliance.report.sna.front.definition_parts` in Welsh; None where the
    partnership wrote its own words (they stay English)."""
    d = ctx.inputs.definition
    n_codes, n_in = front.offence_codes(ctx)
    return [f"Y diffiniad sydd mewn grym: fersiwn {d.version}, *{d.name}*. Ar gyfer cofnodion "
            f"troseddau'r heddlu mae'n rhestru {n_codes} o godau troseddau'r Swyddfa Gartref, "
            f"ac mae {n_in} ohonynt yn cael eu cyfrif yn drais difrifol. Dim ond categori "
            "trosedd sydd yn nata agored police.uk, felly mae'r adroddiad yn cyfrif y "
            "categorïau isod.",
            "Beth sy'n rhoi'r gwir fesur: " + REAL_MEASURE_NEEDS_CY
            if d.real_measure_needs == REAL_MEASURE_NEEDS else None]


def suppression_cy(ctx: Context) -> str:
    """:func:`alliance.report.sna.front.suppression` in Welsh."""
    t = ctx.threshold
    return (f"Nid oes unrhyw ffigur a gyhoeddwyd yn dangos nifer o 1 i {t - 1}: rhoddir [c] yn "
            "lle niferoedd o'r fath. Mae pob nifer y mae'r adroddiad hwn (a dangosfwrdd y "
            "bartneriaeth) yn ei gyhoeddi yn perthyn i un set sefydlog o ffigurau: cymdogaethau "
            "(ACEHI) a degraddau amddifadedd ar gyfer blynyddoedd adrodd cyfan, pob categori a "
            "gyfrifir gyda'i gilydd; dosbarthau, awdurdodau lleol a'r ardal gyfan ar gyfer pob "
            "mis a phob blwyddyn adrodd, pob categori ar ei ben ei hun a phob un gyda'i gilydd. "
            "Caiff y set honno ei hatal yn ei chyfanrwydd: cuddir rhagor o ffigurau nes bod yr "
            "ystod o werthoedd sy'n gyson â phopeth a gyhoeddwyd (pob ffigur, pob cyfanswm, a "
            "bod pob nifer gudd yn 1 o leiaf) yn "
            f"{t} o led o leiaf ar gyfer pob nifer fach gudd, wedi'i wirio drwy raglennu "
            "cyfanrifol. Caiff ystadegau sy'n defnyddio llawer o gymdogaethau ar unwaith "
            "(mannau poeth, crynodiad, dwysedd) eu cyfrifo o ffigurau a gyhoeddwyd yn unig, "
            "gyda phob cymdogaeth gudd yn cael ei chyfran o'r hyn sy'n weddill o gyfanswm "
            "cyhoeddedig ei dosbarth, felly nid ydynt yn datgelu dim sydd wedi'i guddio; nid "
            "yw cymdogaeth gudd yn cael label ei hun. Dim ond lle dangosir eu niferoedd y "
            "dangosir cyfraddau a newidiadau. Dangosir sero fel 0."
            + (DRAFT_WARNING_CY if ctx.draft else ""))


def harm_cy(description: str) -> str | None:
    """A harm-weight description in Welsh, scheme, edition and unit each put into Welsh;
    None when a part has no Welsh here (the methods item then stays English)."""
    if description in HARM_CY:
        return HARM_CY[description]
    for unit, unit_cy in HARM_UNITS_CY.items():  # an edition may hold ", " itself
        head = description.removesuffix(f", {unit}")
        for scheme, scheme_cy in HARM_SCHEMES_CY.items():
            edition = head.removeprefix(f"{scheme} ")
            if head != description and edition != head and edition in HARM_EDITIONS_CY:
                return f"{scheme_cy} {HARM_EDITIONS_CY[edition]}, {unit_cy}"
    return None


def method_items_cy(ctx: Context) -> list[str | None]:
    """:func:`alliance.report.sna.front.method_items` in Welsh, item for item (None: no
    Welsh for this build's item)."""
    t = ctx.threshold
    harm = harm_cy(ctx.inputs.harm_description)
    return [
        "Mae **cyfraddau** yn niferoedd fesul 1,000 o drigolion (trigolion arferol Cyfrifiad "
        "2021) ar gyfer y cyfnod. Cyfyngau 95%: Poisson union (chi-sgwâr) o dan 10 digwyddiad, "
        "brasamcan Byar o 10 ymlaen (dull Fingertips PHE/OHID).",
        "Mae **newid** yn gymhareb rhwng y gyfradd ddiweddarach a'r un gynharach, gyda chyfwng "
        "95% amodol union (binomaidd, Clopper–Pearson) a gwerth-p dwy ochr; dim ond pan fydd y "
        "cyfwng yn diystyru dim newid y gelwir newid yn gynnydd neu'n ostyngiad.",
        "**Tuedd**: prawf Kendall tymhorol (Hirsch, Slack & Smith 1982) gyda goledd tymhorol "
        "Sen, ar o leiaf 24 mis cyhoeddedig yn olynol; gyda llai o fisoedd ni phrofir tuedd, "
        "gan nad yw un flwyddyn yn ddigon i wahaniaethu rhwng tuedd a thymor.",
        "**Plot twndis**: terfynau 95% a 99.8% o amgylch cyfradd yr ardal; pan fydd yr ACEHI "
        "yn amrywio mwy nag y mae siawns yn ei ganiatáu (prawf gorwasgariad Spiegelhalter, "
        "sgorau z wedi'u winsoreiddio), caiff y terfynau eu lledu gan effaith hap adiol "
        "(Spiegelhalter 2005). Ystyrir y ddwy ochr.",
        "**Mannau poeth**: Getis–Ord Gi* ar gyfraddau ACEHI gyda chyffiniaeth brenhines, "
        f"trynewidiadau amodol (hedyn {ctx.seed}) a rheolaeth Benjamini–Hochberg ar y gyfradd "
        "darganfod gau ar 5%; wedi'u cyfrifo o ffigurau a gyhoeddwyd. Dwysedd cnewyllyn: "
        "cnewyllyn Gaussaidd (lled band 400 m, rhagosodiad dogfenedig y modiwl) ar gelloedd "
        "200 m; lluniadir y 10% dwysaf o gelloedd y tu mewn i'r ardal mewn tri band.",
        "**Crynodiad**: cromlin Lorenz a chyfernod Gini niferoedd yr ACEHI; y gyfran yn yr 1%, "
        "5% a 10% uchaf o ACEHI.",
        "**Graddiant amddifadedd**: troseddau wedi'u cyfuno yn ôl degradd IMD 2025 yr ACEHI; "
        "cymhareb cyfraddau degraddau 1–2 o gymharu â 9–10 gyda chyfwng union.",
        None if harm is None else
        "**Niwed**: ni chaiff ei lunio tra mai dim ond categorïau police.uk sydd wedi'u cyfuno "
        f"(gweler y bennod ar y darlun cyffredinol); y pwysau sydd ar gael: {harm}.",
        f"**Atal**: niferoedd 1–{t - 1} wedi'u cuddio; ataliad eilaidd ar dablau â "
        "chyfansymiau, wedi'i archwilio drwy raglennu llinol."]


def _pairs(english: list[str] | tuple[str, ...],
           welsh: list[str | None] | list[str] | tuple[str, ...]) -> dict[str, str]:
    """English and Welsh part for part; a part with no Welsh (None) stays English."""
    return {en: cy for en, cy in zip(english, welsh, strict=True) if cy is not None}


def sentences(ctx: Context) -> dict[str, str]:
    """English -> Welsh for this build's introduction and annexes, and for the shared notes
    and source lines of :mod:`alliance.report.sna.common`."""
    table = dict(_FIXED)
    table.update({front.TITLES[k]: TITLES_CY[k] for k in front.TITLES})
    table.update(_COLUMNS)
    table.update(_pairs(front.about_parts(ctx), about_parts_cy(ctx)))
    table.update(_pairs(front.method_items(ctx), method_items_cy(ctx)))
    table.update(_pairs(front.LICENCE_ITEMS, LICENCE_ITEMS_CY))
    table.update(_pairs(front.GLOSSARY_ITEMS, GLOSSARY_ITEMS_CY))
    table.update(_pairs(front.definition_parts(ctx), definition_parts_cy(ctx)))
    table[front.suppression(ctx)] = suppression_cy(ctx)
    intro = currency_intro_cy()
    if intro is not None:
        table[front.currency_intro()] = intro
    for c in front.currency(ctx):  # the data-currency table, cell for cell
        for en, cy in zip(front.currency_row(c), currency_row_cy(c), strict=True):
            if isinstance(en, str) and isinstance(cy, str) and en != cy:
                table[en] = cy
    # the definition table: police.uk's own Welsh category names, yes/no
    table.update({label: CATEGORIES[label] for label in
                  ctx.inputs.definition.rules["value"].astype(str) if label in CATEGORIES})
    table.update({front.COUNTED[k]: _CELLS[front.COUNTED[k]] for k in front.COUNTED})
    table[front.PROXY[True]] = _CELLS[front.PROXY[True]]
    version = ctx.inputs.definition.version
    table[front.definition_source(ctx)] = f"diffiniad lleol Alliance, fersiwn {version}"
    table[front.version_label(version)] = f"fersiwn {version}"
    table[ctx.definition_line] = f"fersiwn {version} ({ctx.inputs.definition.name})"
    table[no_cells_suppressed(ctx.threshold)] = no_cells_suppressed_cy(ctx.threshold)
    # the import-batch table: the kinds and sources the import record keeps
    batches = ctx.inputs.batches
    table.update({k: KINDS_CY[k] for k in batches["kind"].astype(str) if k in KINDS_CY})
    table.update({s: SOURCES_CY[s] for s in batches["source"].astype(str) if s in SOURCES_CY})
    return table
