"""Chapters whose data is not pooled: each says so and gives a data request table the
partnership can send (indicators from the SNA indicator dictionary, holder, fields, legal basis).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from alliance.report.document import Block, Paragraph, Provenance, Section, Table
from alliance.report.sna import partner_words
from alliance.report.sna import partners as pooled
from alliance.report.sna.common import Context
from alliance.report.sna.context import RISK_MEASURES, YOUTH_MEASURES, partner_statistics
from alliance.report.sna.voice import voice_chapter

PCSC = "PCSC Act 2022 s.16"
CDA = "CDA 1998 s.115, s.17A"
GDPR = "UK GDPR 6(1)(e); DPA 2018"
BASIS_KEY = (
    "Legal bases in the data request tables: *PCSC Act 2022 s.16* — the Police, Crime, "
    "Sentencing and Courts Act 2022, Part 2 Chapter 1 (the Serious Violence Duty), which lets "
    "specified and relevant authorities disclose information to each other for the duty; "
    "*CDA 1998 s.115, s.17A* — the Crime and Disorder Act 1998 power to disclose to relevant "
    "authorities and the duty to share depersonalised information; *UK GDPR 6(1)(e); DPA 2018* — "
    "processing for a task in the public interest, with the Data Protection Act 2018 Schedule 1 "
    "conditions for special category data. The disclosure powers do not override data "
    "protection law: aggregate or pseudonymised returns are asked for wherever they suffice.")

#: the core measures' fixed text while no partner's data is pooled (the Welsh summary's
#: sentence table, alliance.report.sna.cymraeg_fixed, keys its Welsh by these)
CORE_NOT_POOLED = (
    "The Home Office asks duty areas to track three core measures: hospital admissions "
    "for assault with a sharp object, knife-enabled serious violence recorded by the "
    "police and homicide, each also for under-25s. None of them can be computed from "
    "police.uk open data, which has no offence codes, knife flags or ages. The scorecard "
    "below fills in once the partners' data is pooled.")
SCORECARD_NOT_POOLED = (
    ("C1/C1u Hospital admissions for assault by a sharp object (all ages; under 25)",
     "NHS England HES via ICB / OHID", "not pooled"),
    ("C2/C2u Knife or sharp-instrument-enabled serious violence (all ages; victims under "
     "25)", "Police force crime system (ADR 160 knife flag)", "not pooled: police.uk has no "
                                                              "knife flag"),
    ("C3 Homicide (non-domestic; under 25; knife-involved)", "Police / Home Office "
     "Homicide Index", "not pooled: police.uk merges homicide into 'Violence and sexual "
                       "offences'"))
#: the chapters' titles (the Welsh edition keys its titles by these)
CORE_TITLE = "Core outcome measures"
WHO_TITLE = "Who is involved: victims and suspects"
YOUTH_TITLE = "Youth justice and offending"
HEALTH_TITLE = "Health lens"
RISK_TITLE = "Risk and protective factors"
VOICE_TITLE = "Community voice"
SERVICES_TITLE = "Services, assets and strategy progress"
#: the data request tables' captions, by chapter
REQUEST_CAPTIONS = {"core-measures": "Data request: core outcome measures",
                    "who": "Data request: victims and suspects",
                    "youth-justice": "Data request: youth justice",
                    "health": "Data request: health",
                    "risk-factors": "Data request: risk and protective factors",
                    "community-voice": "Data request: community voice",
                    "services": "Data request: services and strategy"}
#: the data request tables' columns, in the order of :class:`Need`'s fields
REQUEST_COLUMNS = ("Indicators", "Partner holding the data", "Dataset", "Fields needed",
                   "Period", "Legal basis")
REQUEST_SOURCE = "Alliance SNA data request (indicator dictionary)"
WHO_NOT_POOLED = (
    "police.uk publishes no record-level person data: no victim or suspect age, sex, "
    "ethnicity, relationship or repeat status. This chapter cannot be written from open "
    "data; it needs the force's pseudonymised victim and suspect records and hospital "
    "data, requested below. Once pooled, Alliance profiles victims and suspects by age "
    "and sex with rates per 1,000, repeat victimisation and disparity ratios, suppressed "
    "below the threshold.")
YOUTH_CAPTION = "Youth justice statistics (newest period held, out-of-date figures flagged)"
YOUTH_INTRO = (
    "Published youth justice statistics for the area, as loaded into the pool, each "
    "with its period. Figures for councils that no longer exist are never shown as "
    "current: they are added up to the council that replaced them where that is "
    "exact, and otherwise left out and listed.")
NO_YOUTH = "No youth justice statistics are loaded in the pool."
HEALTH_POOLED = (
    "Emergency department and ambulance data show violence the police never record (in "
    "Wales 59% of ED assault attendances had no police record). The partners' pooled "
    "data follows, from the same published figures as the dashboard.")
HEALTH_NOT_POOLED = (
    "Emergency department, ambulance and hospital admission data show violence the "
    "police never record (in Wales 59% of ED assault attendances had no police record). "
    "None is pooled yet.")
RISK_CAPTION = "Risk-factor statistics (newest period held, out-of-date figures flagged)"
RISK_INTRO = (
    "Risk and protective factors: school exclusions, suspensions and absence, young people "
    "not in education, employment or training, children's social care (including gangs and "
    "criminal exploitation as assessment factors) and child deprivation (IDACI, in the "
    "IMD tables).")
SERVICES_NOT_HELD = (
    "The asset register, the evidence rating of interventions and progress against the "
    "previous strategy are not yet held in Alliance.")
NO_VOICE = (
    "No community engagement results are pooled yet. The duty expects the SNA to draw "
    "on the views of communities, children and young people and practitioners: "
    "perceived safety, where people feel unsafe, and what they ask for.")


@dataclass(frozen=True)
class Need:
    indicators: str
    partner: str
    dataset: str
    fields: str
    period: str
    basis: str


def request_suppression(threshold: int) -> str:
    return f"aggregate returns to be suppressed below {threshold} on receipt"


def request_table(ctx: Context, table_id: str, caption: str, needs: list[Need]) -> Table:
    data = pd.DataFrame([dict(zip(REQUEST_COLUMNS, (n.indicators, n.partner, n.dataset,
                                                    n.fields, n.period, n.basis), strict=True))
                         for n in needs])
    return Table(id=table_id, caption=caption, data=data, row_header=False,
                 provenance=Provenance(source=REQUEST_SOURCE, period=ctx.period.span(),
                                       suppression=request_suppression(ctx.threshold)))


def years_words(ctx: Context) -> str:
    """The period asked for where five years of months are wanted."""
    return f"5 years to {ctx.period.last}, monthly"



def core_needs(ctx: Context) -> list[Need]:
    """What the core measures need while no partner's data is pooled."""
    return [
        Need("C1, C1u", "Integrated Care Board / OHID (HES)", "HES admitted patient care",
             "month, ICD-10 external cause X99, age band, LSOA of residence (aggregate)",
             years_words(ctx), f"{PCSC}; {GDPR}"),
        Need("C2, C2u, L2, L3", "Police force", "Recorded crime extract",
             "HO offence code, date and time committed, LSOA or grid ref, knife flag (ADR 160), "
             "DA flag, victim age band and sex", years_words(ctx), f"{PCSC}; {CDA}"),
        Need("C3", "Police force / Home Office", "Homicide Index",
             "year, victim age band, DA flag, method (sharp instrument)", "last 5 years",
             f"{PCSC}; {CDA}")]


def core_measures(ctx: Context) -> Section:
    if any(m.source in ctx.inputs.partners for m in pooled.CORE_MEASURES):
        return _pooled_core_measures(ctx)
    rows = SCORECARD_NOT_POOLED
    score = pd.DataFrame([{"Measure": m, "Source": s, "Baseline": "—", "Latest": "—",
                           "Change (95% CI)": "—", "Status": st} for m, s, st in rows])
    table = Table(id="t5-1-scorecard", caption="Home Office core outcome measures: scorecard",
                  data=score, row_header=False,
                  provenance=Provenance(source="Home Office Serious Violence Duty core "
                                              "measures", period=ctx.period.span()))
    req = request_table(ctx, "t5-2-request", REQUEST_CAPTIONS["core-measures"],
                        core_needs(ctx))
    return Section(id="core-measures", title=CORE_TITLE, blocks=(
        Paragraph(text=CORE_NOT_POOLED), table, req,
        Paragraph(text=BASIS_KEY)))


CORE_NEEDS = {
    "istv_ae": Need("C1, C1u", "Acute trusts (emergency departments); ICB / OHID (HES)",
                    "ISTV / ECDS assault attendances; HES admitted patient care",
                    "month, assault method (knife or sharp object), age band, location "
                    "(postcode or LSOA)", "5 years, monthly", f"{PCSC}; {GDPR}"),
    "police_extract": Need("C2, C2u, C3", "Police force", "Recorded crime extract",
                           "HO offence code, date and time committed, LSOA or grid ref, knife "
                           "flag (ADR 160), DA flag, victim age band", "5 years, monthly",
                           f"{PCSC}; {CDA}")}


def core_sources(ctx: Context) -> list[str]:
    """The labels of the pooled sources of a core measure, in the partners' order."""
    return [d.label for k, d in ctx.inputs.partners.items()
            if any(m.source == k for m in pooled.CORE_MEASURES)]


def pooled_core_intro(ctx: Context, sources: list[str]) -> str:
    return ("The Home Office core measures, each with its under-25 view, from the partners' "
            f"pooled data ({'; '.join(sources)}). Each is counted for the latest whole "
            "reporting year its source holds (partners' data can lag the police's), with its "
            f"rate per 1,000 residents a year and a 95% exact Poisson interval. Definitions: "
            + " ".join(f"*{m.label}*: {m.definition}" for m in pooled.CORE_MEASURES
                       if m.source in ctx.inputs.partners))


def _pooled_core_measures(ctx: Context) -> Section:
    """T5.1 from the partners' pooled data (:mod:`alliance.report.sna.partners`)."""
    card, missing = pooled.scorecard(ctx.inputs.partners, level=ctx.level, code=ctx.code,
                                     wanted=ctx.fperiod)
    sources = core_sources(ctx)
    blocks: list[Block] = [
        Paragraph(text=pooled_core_intro(ctx, sources)),
        Table(id="t5-1-scorecard", caption="Home Office core outcome measures: scorecard",
              data=card, row_header=False,
              provenance=Provenance(source="; ".join(sources), period=ctx.fperiod.label,
                                    suppression=partner_words.hidden_words(ctx.threshold)))]
    if missing:
        blocks += [pooled.missing_sentence(missing),
                   request_table(ctx, "t5-2-request", REQUEST_CAPTIONS["core-measures"],
                                 [CORE_NEEDS[s] for s in missing if s in CORE_NEEDS]),
                   Paragraph(text=BASIS_KEY)]
    return Section(id="core-measures", title=CORE_TITLE, blocks=tuple(blocks))


def who_needs(ctx: Context) -> list[Need]:
    return [
        Need("L8, L9, L11, T8.1–T8.4", "Police force", "Victims and suspects of SV offences "
             "(pseudonymised)", "pseudonymised person key, role, age, sex, ethnicity, "
             "victim–suspect relationship, DA flag, offence reference", years_words(ctx),
             f"{PCSC}; {CDA}; {GDPR}"),
        Need("H1, H1u, H2", "Acute trusts (emergency departments)", "ISTV / ECDS assault "
             "attendances (ISB 1594)", "date, hour, age band, sex, location of assault, "
             "weapon, postcode district", years_words(ctx), f"{PCSC}; {GDPR}")]


def who(ctx: Context) -> Section:
    req = request_table(ctx, "t8-1-request", REQUEST_CAPTIONS["who"], who_needs(ctx))
    return Section(id="who", title=WHO_TITLE, blocks=(Paragraph(text=WHO_NOT_POOLED), req))


def youth_justice(ctx: Context) -> Section:
    blocks: list[Block] = []
    stats = partner_statistics(ctx, YOUTH_MEASURES, table_id="t9-3-youth",
                               caption=YOUTH_CAPTION)
    table, note = stats.table, stats.note()
    if table is not None:
        blocks += [Paragraph(text=YOUTH_INTRO), table]
    if note is not None:
        blocks.append(note)
    if table is None and note is None:
        blocks.append(Paragraph(text=NO_YOUTH))
    blocks.append(request_table(ctx, "t9-4-request", REQUEST_CAPTIONS["youth-justice"],
                                youth_needs(ctx)))
    return Section(id="youth-justice", title=YOUTH_TITLE, blocks=tuple(blocks))


def youth_needs(ctx: Context) -> list[Need]:
    return [
        Need("Y1, Y2, Y3, Y4", "Youth Justice Service", "YJS case management extract "
             "(aggregate)", "first-time entrants, offences by gravity score, weapon possession, "
             "re-offending cohort, by age band, sex and ethnicity", years_words(ctx),
             f"{PCSC}; {CDA}"),
        Need("P1", "Probation Service", "Caseload with a violence index offence",
             "count by age band and risk level", "latest quarter", f"{PCSC}; {CDA}")]


HEALTH_NEEDS = {
    "istv_ae": Need("H1, H1u, H2", "Acute trusts", "ISTV assault attendances",
                    "date, hour, age band, sex, assault location, weapon", "5 years, monthly",
                    f"{PCSC}; {GDPR}"),
    "ambulance": Need("H3", "East Midlands Ambulance Service", "Assault and knife-injury "
                      "call-outs", "incident ID, date, hour, location (LSOA), category",
                      "5 years, monthly", f"{PCSC}; {GDPR}")}


def health(ctx: Context) -> Section:
    here = [s for s in pooled.HEALTH_SOURCES if s in ctx.inputs.partners]
    if not here:
        return _health_requests(ctx)
    blocks: list[Block] = [Paragraph(text=HEALTH_POOLED)]
    for source in here:
        blocks += pooled.health_blocks(ctx.inputs.partners[source], level=ctx.level,
                                       code=ctx.code, wanted=ctx.fperiod,
                                       threshold=ctx.threshold)
    missing = [s for s in pooled.HEALTH_SOURCES if s not in here]
    if missing:
        blocks += [pooled.missing_sentence(missing),
                   request_table(ctx, "t11-1-request", REQUEST_CAPTIONS["health"],
                                 [HEALTH_NEEDS[s] for s in missing])]
    return Section(id="health", title=HEALTH_TITLE, blocks=tuple(blocks))


def _health_requests(ctx: Context) -> Section:
    return Section(id="health", title=HEALTH_TITLE, blocks=(
        Paragraph(text=HEALTH_NOT_POOLED),
        request_table(ctx, "t11-1-request", REQUEST_CAPTIONS["health"], health_needs(ctx))))


def health_needs(ctx: Context) -> list[Need]:
    """What the health lens needs while no health source is pooled."""
    return [
        Need("H1, H1u, H2", "Acute trusts", "ISTV assault attendances",
             "date, hour, age band, sex, assault location, weapon", years_words(ctx),
             f"{PCSC}; {GDPR}"),
        Need("H3", "East Midlands Ambulance Service", "Assault and knife-injury call-outs",
             "incident ID, date, hour, location (LSOA), category", years_words(ctx),
             f"{PCSC}; {GDPR}"),
        Need("H5, C1", "ICB / OHID", "HES admissions for violence (X85–Y09, X99)",
             "year, age band, LSOA of residence (aggregate)", "last 5 years",
             f"{PCSC}; {GDPR}")]


def risk_factors(ctx: Context) -> Section:
    blocks: list[Block] = []
    stats = partner_statistics(ctx, RISK_MEASURES, table_id="t13-1-risk",
                               caption=RISK_CAPTION)
    table, note = stats.table, stats.note()
    blocks.append(Paragraph(text=RISK_INTRO))
    if table is not None:
        blocks.append(table)
    if note is not None:
        blocks.append(note)
    blocks.append(request_table(ctx, "t13-2-request", REQUEST_CAPTIONS["risk-factors"],
                                risk_needs(ctx)))
    return Section(id="risk-factors", title=RISK_TITLE, blocks=tuple(blocks))


def risk_needs(ctx: Context) -> list[Need]:
    return [
        Need("E1–E5", "Local authority education", "Exclusions, suspensions, absence, NEET by "
             "school or pupil residence", "counts and rates by LSOA or ward of residence",
             "last 3 academic years", f"{PCSC}; {GDPR}"),
        Need("S1–S3", "Children's social care", "CIN, CLA, CP plans; exploitation "
             "assessments", "counts by ward, age band", "last 3 years", f"{PCSC}; {GDPR}"),
        Need("F1", "Fire and rescue service", "Deliberate fires (IRS)", "date, LSOA, type",
             years_words(ctx), PCSC)]


def voice_services_strategy(ctx: Context) -> list[Section]:
    if ctx.inputs.conversations or ctx.inputs.theme_sets or ctx.inputs.consultations:
        return [voice_chapter(ctx), *_services(ctx)]
    voice = Section(id="community-voice", title=VOICE_TITLE, blocks=(
        Paragraph(text=NO_VOICE),
        request_table(ctx, "t14-1-request", REQUEST_CAPTIONS["community-voice"],
                      list(VOICE_NEEDS))))
    return [voice, *_services(ctx)]


VOICE_NEEDS: tuple[Need, ...] = (
    Need("V1, V2, V3", "Local authorities, OPCC, VCS", "Youth and resident surveys",
         "question, response, age band, sex, area, weight", "latest survey",
         f"{PCSC}; {GDPR} (consent where identifiable)"),
    Need("V4", "Lead partnership", "Engagement log and Pol.is conversations",
         "method, date, participants by group, themes", "since the last SNA",
         PCSC))


def _services(ctx: Context) -> list[Section]:
    services = Section(id="services", title=SERVICES_TITLE, blocks=(
        Paragraph(text=SERVICES_NOT_HELD),
        request_table(ctx, "t15-1-request", REQUEST_CAPTIONS["services"],
                      list(SERVICES_NEEDS))))
    return [services]


SERVICES_NEEDS: tuple[Need, ...] = (
    Need("O1, T15.1", "All duty holders and commissioned providers", "Asset register",
         "provider, aim, cohort, area, funding and end date, referral route, evaluation",
         "current", PCSC),
    Need("T16.1–T16.3", "Lead partnership", "Previous recommendations and strategy "
         "scorecard", "recommendation, owner, measure, baseline, status",
         "since the last SNA", PCSC))
