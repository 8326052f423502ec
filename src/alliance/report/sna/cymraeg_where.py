"""The Welsh of the SNA's chapters on where and when serious violence happens, and of the key
findings' list items.

Every key is made by the code that prints the English (the chapter's constants, or the small
functions :mod:`alliance.report.sna.where` and :mod:`alliance.report.sna.when` build their
sentences with), and every Welsh sentence from the same figures, read once per build and
formatted the same way, so a number reads the same in both languages and a change to the
English drops its Welsh (the new English is then marked ``lang="en"``) rather than leaving an
out-of-date translation. Names of places (LSOA, ward and partnership names) stay as published.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliance.figures import hotspots as hotspot_figures
from alliance.figures.density import BANDS, DensityBands
from alliance.figures.hotspots import HotSpots
from alliance.figures.universe import Universe, universe
from alliance.privacy.suppression import MARKER
from alliance.report.sna import when, where
from alliance.report.sna.common import SNAP_NOTE, Context
from alliance.report.sna.cymraeg import _in_hot_spots, _place, _places, _towns_by_count
from alliance.report.sna.cymraeg_context import status_cy
from alliance.report.sna.cymraeg_front import SNAP_NOTE_CY
from alliance.report.sna.cymraeg_overall import months_status_cy
from alliance.report.sna.headlines import lsoa_name
from alliance.report.sna.spatial import month_counts
from alliance.report.sna.summary import LISTED, finding_item
from alliance.report.welsh import MONTHS, counted_cy, month_cy, soft, year_cy
from alliance.report.wording import format_percent

PROXY = "trais (mesur procsi)"
#: the chapters' fixed words
FIXED: dict[str, str] = {
    where.TITLE: "Ble mae trais difrifol yn digwydd",
    where.RATE_CAPTION: f"{PROXY.capitalize()} fesul 1,000 o drigolion y flwyddyn, yn ôl ACEHI",
    where.KDE_CAPTION: f"Ble mae {PROXY} ddwysaf (bandiau dwysedd cnewyllyn)",
    where.GI_CAPTION: ("Mannau poeth ac oer: cymdogaethau mewn clystyrau o gyfraddau uchel neu "
                       "isel (Getis–Ord Gi*, cyfradd darganfyddiadau ffug 5%)"),
    where.LORENZ_CAPTION: f"Cromlin grynhoi (Lorenz) {PROXY} ar draws yr ACEHI",
    where.NAME: "Enw", where.LSOA: "ACEHI", where.COUNT: "Nifer",
    where.RATE: "Cyfradd fesul 1,000 y flwyddyn",
    where.EASTING: "Dwyreiniad (canol y gell)", where.NORTHING: "Gogleddiad (canol y gell)",
    where.BAND: "Band", where.CLUSTER: "Clwstwr", where.CSP: "Partneriaeth (PDC)",
    where.SHARE: "% o'r troseddau a leolwyd", where.IMD: "Degradd IMD 2025",
    where.GI: "Gi*",
    where.LORENZ_COLUMNS[0]: "Y % uchaf o ardaloedd",
    where.LORENZ_COLUMNS[1]: "% o'r cyfanswm",
    where.KDE_SUPPRESSION: ("bandiau yn unig, dim niferoedd; mae ACEHI cudd yn cyfrannu "
                            "amcangyfrifon o ffigurau a gyhoeddwyd"),
    where.GI_SUPPRESSION: ("labeli ar gyfer ACEHI a gyhoeddwyd yn unig; wedi'u cyfrifo o "
                           "ffigurau a gyhoeddwyd"),
    where.LORENZ_SUPPRESSION: "cyfrannau cronnus wedi'u cyfrifo o ffigurau a gyhoeddwyd",
    where.ALL_HIDDEN: "Mae nifer pob cymdogaeth wedi'i chuddio i ddiogelu niferoedd bach.",
    where.OUTSIDE: "Mae'r celloedd dwysaf y tu allan i ffin pob cymdogaeth.",
    hotspot_figures.HOT: "Man poeth", hotspot_figures.COLD: "Man oer",
    hotspot_figures.NOT_SIGNIFICANT: "Ddim yn arwyddocaol",
    hotspot_figures.NOT_PUBLISHED: "Heb ei gyhoeddi (nifer fach)",
    hotspot_figures.NOT_TESTED: "Heb ei brofi",
    hotspot_figures.UNDECIDED: "Heb ei benderfynu (ar y ffin)",
    SNAP_NOTE: SNAP_NOTE_CY,
    where.KERNEL: "cnewyllyn", where.GAUSSIAN: "Gaussaidd", where.BANDWIDTH: "lled band",
    where.STATISTIC: "ystadegyn", where.GI_ON_RATE: "Gi* ar y gyfradd fesul 1,000",
    where.SEED: "hedyn", where.CORRECTION: "cywiriad",
    where.BH_FDR: "Benjamini–Hochberg, cyfradd darganfyddiadau ffug",
    when.TITLE: "Pryd mae trais difrifol yn digwydd",
    when.INTRO: (
        "Dim ond mis pob trosedd y mae police.uk yn ei gyhoeddi: dim dyddiad, diwrnod o'r "
        "wythnos nac amser. Mae grid awr-wrth-ddiwrnod asesiad llawn, a'i wiriadau o "
        "ddiwrnodau ysgol ac o economi'r nos, yn gofyn am gofnodion troseddau'r heddlu "
        "(dyddiad ac amser y drosedd), y gofynnir amdanynt yn nhabl ceisiadau am ddata'r "
        "bennod 'Pwy sy'n gysylltiedig'. Gydag un "
        "flwyddyn o fisoedd, gall mis sy'n sefyll allan fod yn siawns; mae angen sawl "
        "blwyddyn i weld patrwm tymhorol."),
    when.TOO_FEW: ("Cyhoeddir rhy ychydig o fisoedd ar eu pen eu hunain i gymharu misoedd y "
                   "flwyddyn."),
    when.MONTH: "Mis", when.COUNT: "Nifer", when.SHARE: "% o'r cyfnod", when.SEASON: "Tymor",
    when.HELD: "Misoedd a gadwyd", when.AVERAGE: "Cyfartaledd y mis", when.TOTAL: "Cyfanswm",
    **dict(zip(when.ORDER, ("Gaeaf (Rhag–Chwef)", "Gwanwyn (Maw–Mai)", "Haf (Meh–Awst)",
                            "Hydref (Medi–Tach)"), strict=True)),
}


def _bands_cy() -> dict[str, str]:
    """The density bands' labels ('Densest 1% of cells', 'Densest 1–5%' …) by their shares."""
    out, low = {}, 0
    for share, label in BANDS:
        pct = round(share * 100)
        out[label] = f"Y {pct}% dwysaf o gelloedd" if not low else f"Dwysaf {low}–{pct}%"
        low = pct
    return out


def _in(towns: str) -> str:
    """:func:`alliance.report.sna.where._in` in Welsh."""
    return towns if towns.startswith(("pob un", "yn ")) else f"yn {towns}"


def universe_cy(placed: Universe, area: str) -> str:
    """:meth:`alliance.figures.universe.Universe.sentence` in Welsh (the same numbers)."""
    def n(v: float) -> str:
        return MARKER if np.isnan(v) else f"{v:,.0f}"

    return (f"Mae'r niferoedd yn cyfrif y {n(placed.placed)} o droseddau a leolwyd yng "
            f"nghymdogaethau (ACEHI) {area}, gyda {n(placed.other_forces)} ohonynt wedi'u "
            f"cofnodi gan heddluoedd eraill. Cyhoeddodd heddlu'r ardal {n(placed.unlocated)} "
            f"arall heb leoliad, a gosododd pwyntiau map police.uk {n(placed.outside)} mewn "
            "ardaloedd cyfagos; nid yw'r rheini mewn unrhyw nifer, cyfradd na map yma.")


def intro_cy(ctx: Context) -> str:
    placed = universe(ctx.pub, period=ctx.fperiod)
    return (f"Ble mae {PROXY} yn digwydd yn {ctx.area_name}, yn ôl ACEHI 2021 (Ardaloedd "
            "Cynnyrch Ehangach Haen Is: cymdogaethau o tua 1,500 o drigolion). "
            + (universe_cy(placed, ctx.area_name) + " " if ctx.level == "area" else "")
            + SNAP_NOTE_CY)


def rate_desc_cy(ctx: Context) -> str:
    lsoas, hidden = where.lsoas_hidden(ctx)
    return (f"Map o'r {lsoas} ACEHI yn {ctx.area_name} wedi'u lliwio yn ôl {PROXY} fesul 1,000 "
            f"o drigolion y flwyddyn, {year_cy(ctx.fperiod.label)}, mewn pum dosbarth â'r un "
            f"nifer o ACEHI ym mhob un; mae {hidden} ACEHI y cuddiwyd eu nifer wedi'u "
            "croeslinellu. Mae'r tabl data yn rhestru pob ACEHI.")


def rate_message_cy(ctx: Context, leaders: where.RateLeaders | None) -> str:
    if leaders is None:
        return FIXED[where.ALL_HIDDEN]
    top, highest = leaders.top, leaders.highest
    named = f"{lsoa_name(ctx, highest)} ({_place(ctx, highest)})"
    if len(top) <= 1:
        return f"Mae'r gyfradd uchaf yn {named}."
    towns = _towns_by_count(ctx, top)
    where_ = (f"i gyd yn {towns.rsplit(' yn ', 1)[1]}" if towns.startswith("pob un")
              else _in(towns))
    return (f"Mae'r {len(top)} cymdogaeth â'r cyfraddau uchaf ({leaders.lowest:,.1f} fesul "
            f"1,000 o drigolion y flwyddyn neu fwy, y lliw tywyllaf) {where_}; yr uchaf oll yw "
            f"{named}.")


def density_desc_cy(ctx: Context, bands: DensityBands) -> str:
    method = (f"dwysedd cnewyllyn Gaussaidd, lled band {bands.bandwidth:,.0f} m (gwyriad "
              f"safonol y cnewyllyn), celloedd {bands.cell_size:,.0f} m; caiff y celloedd eu "
              "bandio yn ôl eu safle ymhlith y celloedd y tu mewn i'r ardal")
    return (f"Dwysedd cnewyllyn {PROXY} yn {ctx.area_name}, {year_cy(ctx.fperiod.label)} "
            f"({method}). Dim ond y 10% dwysaf o gelloedd a ddangosir, mewn tri band dros "
            "ffiniau'r ACEHI, pob un wedi'i enwi yn yr allwedd (y disgleiriaf yw'r 1% "
            f"dwysaf). {SNAP_NOTE_CY}")


def density_message_cy(ctx: Context, found: list[str]) -> str:
    if not found:
        return FIXED[where.OUTSIDE]
    return (f"Mae'r 1% dwysaf o'r ardal, lle mae'r troseddau agosaf at ei gilydd, mewn "
            f"{counted_cy(len(found), 'cymdogaeth')}, "
            f"{_in(_towns_by_count(ctx, found, most=5))}.")


def gi_desc_cy(ctx: Context, spots: HotSpots) -> str:
    method = ("Getis–Ord Gi* ar gyfraddau'r cymdogaethau fesul 1,000 o drigolion, cyffiniaeth "
              "y frenhines, trynewidiadau amodol wedi'u tynnu nes bod penderfyniad pob "
              f"cymdogaeth yn sefydlog (profion Monte Carlo dilyniannol, hedyn {ctx.seed}; mae'r "
              "labeli yr un fath ar gyfer unrhyw hedyn gyda thebygolrwydd o 0.999 o leiaf), "
              "cyfradd darganfyddiadau ffug Benjamini–Hochberg 5%; z yw cyfwerth normal y "
              "gwerth-p a benderfynodd, yn arwyddocaol pan fo |z| yn "
              f"{spots.z_critical:.2f} neu fwy")
    return (f"Clystyrau Getis–Ord Gi* o gyfradd {PROXY} yn yr ACEHI, "
            f"{year_cy(ctx.fperiod.label)}: mae {spots.n_hot} ACEHI mewn mannau poeth "
            f"arwyddocaol a {spots.n_cold} mewn mannau oer ({method}).")


def gi_message_cy(ctx: Context, hot: list[str], cold: list[str]) -> str:
    first = (f"{_in_hot_spots(len(hot))}, sef clystyrau o gyfraddau uchel na fyddai siawns ond "
             f"yn anaml yn eu creu: {_places(ctx, tuple(hot))}" if hot else
             "Nid oes yr un gymdogaeth mewn man poeth (clwstwr o gyfraddau uchel na fyddai "
             "siawns ond yn anaml yn ei greu)")
    spot = "man oer" if len(cold) == 1 else "mannau oer"
    second = (f"mae {counted_cy(len(cold), 'cymdogaeth')} mewn {spot}, "
              f"{_towns_by_count(ctx, cold)}." if cold else "nid oes yr un mewn man oer.")
    return f"{first}; {second}"


def hotspot_text_cy(ctx: Context, hot: list[str]) -> str:
    return (f"Mae {len(hot)} cymdogaeth (ACEHI) mewn mannau poeth arwyddocaol o "
            f"{soft(PROXY)} yn ystod {year_cy(ctx.fperiod.label)} (Getis–Ord Gi*, cyfradd "
            f"darganfyddiadau ffug 5%): {_places(ctx, tuple(hot))}.")


def lorenz_desc_cy(c: where.Concentration) -> str:
    s = c.shares
    return (f"Cromlin grynhoi: yr ACEHI wedi'u trefnu o'r mwyaf i'r lleiaf o droseddau. Mae'r "
            f"1% uchaf o ACEHI yn cynnwys {s[0.01]:.0f}% o'r {PROXY} a leolwyd, y 5% uchaf "
            f"{s[0.05]:.0f}% a'r 10% uchaf {s[0.10]:.0f}% (Gini {c.gini:.2f}).")


def lorenz_message_cy(c: where.Concentration) -> str:
    return (f"Mae trais wedi'i grynhoi mewn ychydig o leoedd: mae'r 10% prysuraf o "
            f"gymdogaethau yn cynnwys {format_percent(c.shares[0.10], dp=0)} o'r troseddau, "
            f"lle byddai dosbarthiad cyfartal yn rhoi 10% iddynt (Gini {c.gini:.2f}, o 0 os "
            "yw'r troseddau wedi'u dosbarthu'n gyfartal i 1 os ydynt i gyd mewn un lle).")


def concentration_text_cy(c: where.Concentration) -> str:
    return (f"Mae'r 10% uchaf o ACEHI yn cynnwys {format_percent(c.shares[0.10], dp=0)} o'r "
            f"troseddau a leolwyd, a'r 1% uchaf yn cynnwys "
            f"{format_percent(c.shares[0.01], dp=0)}.")


def _where(ctx: Context) -> dict[str, str]:
    out = {where.intro(ctx): intro_cy(ctx), where.top_caption(ctx): (
        f"Y deg ACEHI â'r mwyaf o {soft(PROXY)}, {year_cy(ctx.fperiod.label)} (o'r rhai y "
        "cyhoeddir eu nifer)")}
    keys = where.status_keys(ctx)
    out[ctx.pub.status(keys)] = status_cy(ctx, keys)
    lsoas = ctx.inputs.lsoa
    out.update({str(c): str(c) for c in lsoas.index})  # codes, the same in either language
    out[where.rate_desc(ctx)] = rate_desc_cy(ctx)
    if not np.isnan(ctx.count()):
        leaders = where.rate_leaders(ctx)
        out[where.rate_message(ctx, leaders)] = rate_message_cy(ctx, leaders)
    bands = where.density_bands(ctx)
    if bands is not None:
        found = where.densest_lsoas(ctx, bands)
        out[where.metres(bands.bandwidth)] = where.metres(bands.bandwidth)  # '400 m' in both
        out[where.density_desc(ctx, bands)] = density_desc_cy(ctx, bands)
        out[where.density_message(ctx, found)] = density_message_cy(ctx, found)
    spots = where.hot_spots(ctx)
    labels = spots.labels.reindex(lsoas.index)
    if not (labels == hotspot_figures.NOT_TESTED).all():
        hot = [str(c) for c in labels.index[labels == hotspot_figures.HOT]]
        cold = [str(c) for c in labels.index[labels == hotspot_figures.COLD]]
        out[where.gi_desc(ctx, spots)] = gi_desc_cy(ctx, spots)
        out[where.z_column(spots)] = f"z (arwyddocaol o ±{spots.z_critical:.2f})"
        out[where.gi_message(ctx, hot, cold)] = gi_message_cy(ctx, hot, cold)
        if hot:
            out[where.hotspot_text(ctx, hot)] = hotspot_text_cy(ctx, hot)
    conc = where.concentration(ctx)
    if conc is not None:
        out.update({where.lorenz_desc(conc): lorenz_desc_cy(conc),
                    where.lorenz_message(conc): lorenz_message_cy(conc),
                    where.concentration_text(conc): concentration_text_cy(conc)})
    return out


def _when(ctx: Context) -> dict[str, str]:
    year = year_cy(ctx.fperiod.label)
    out = {when.month_caption(ctx): f"{PROXY.capitalize()} fesul mis, {year}",
           when.season_caption(ctx): f"{PROXY.capitalize()} fesul tymor, {year}",
           month_counts(ctx).status: months_status_cy(ctx)}
    shown = month_counts(ctx).months.reindex(list(ctx.fperiod.months))
    peak = (f"; y mis uchaf yw {month_cy(str(shown.idxmax()))} gyda {shown.max():,.0f}."
            if shown.notna().any() else ".")
    out[when.month_desc(ctx, shown)] = (f"Siart bar o {soft(PROXY)} ym mhob mis o {soft(year)}"
                                        + peak)
    months = shown.dropna()
    if len(months) >= 2:
        high, low = pd.Period(str(months.idxmax()), freq="M"), pd.Period(
            str(months.idxmin()), freq="M")
        out[when.month_message(shown)] = (
            f"Y mis prysuraf oedd {MONTHS[high.month - 1]} ({months.max():,.0f} o droseddau) "
            f"a'r tawelaf {MONTHS[low.month - 1]} ({months.min():,.0f}); gydag un flwyddyn o "
            "fisoedd, gall mis sy'n sefyll allan fod yn siawns.")
    return out


def key_findings_cy(ctx: Context, table: dict[str, str]) -> dict[str, str]:
    """The key findings' list items in Welsh: each drafted finding's words and the title of
    the chapter it links to, both from ``table`` (the whole sentence table, so a chapter's
    title is Welsh however it got there); an item either part of which has no Welsh stays
    English, whole."""
    out = {}
    for text, title, fid in ctx.__dict__.get(LISTED, ()):
        if text in table and title in table:
            out[finding_item(text, title, fid)] = finding_item(table[text], table[title], fid)
    return out


def sentences(ctx: Context) -> dict[str, str]:
    """English -> Welsh for the where and when chapters of this build."""
    out = {**FIXED, **_bands_cy(), **_where(ctx), **_when(ctx)}
    suppression = ctx.provenance().suppression
    out[suppression] = f"dim celloedd wedi'u hatal (trothwy {ctx.threshold})"
    return out
