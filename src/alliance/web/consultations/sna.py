"""The consultations of the partnership as the SNA's community-voice chapter reads them."""

from __future__ import annotations

from alliance.report.sna.inputs import ConsultationSummary
from alliance.voice.felt_unsafe import AS_EXPECTED
from alliance.web.consultations.models import Consultation, Module
from alliance.web.pool.publication import NoFigures
from alliance.web.surveys import analysis


def consultation_summaries(area_code: str | None) -> tuple[ConsultationSummary, ...]:
    """Every public consultation of the partnership on ``area_code``, oldest first."""
    out = []
    for c in (Consultation.objects.filter(partnership__area_code=area_code)
              .exclude(phase=Consultation.Phase.DRAFT).order_by("closes_at", "pk")):
        when = (f"open until {c.closes_at:%-d %B %Y}" if c.is_open
                else f"closed {c.closes_at:%-d %B %Y}")
        ways: list[str] = []
        responses: dict[str, int] = {}
        heard: list[str] = []
        weighting_line = felt_line = ""
        differing: list[tuple[str, str]] = []
        for m in c.modules.select_related("survey__current", "conversation"):
            label = m.get_kind_display()
            if m.kind == Module.Kind.WORKSHOP:
                extra = [f"{m.held_on:%-d %B %Y}"] if m.held_on else []
                extra += [f"{m.attendees} attended"] if m.attendees else []
                ways.append(f"{label}: {m.title}" + (f" ({', '.join(extra)})" if extra else ""))
                continue
            ways.append(f"{label}: {m.title}")
            if m.survey is None or m.survey.current is None:
                continue
            for channel, n in analysis.channel_counts(m.survey).items():
                responses[channel] = responses.get(channel, 0) + n
            weights = analysis.weighting(m.survey)
            heard += [rep.sentence(name) for name, rep in weights.represented]
            if weights.diagnostics is not None:
                d = weights.diagnostics
                weighting_line = (
                    f"Results were weighted to the population by "
                    f"{', '.join(weights.margins)} (raking, weights trimmed at "
                    f"{analysis.MAX_WEIGHT:g}): effective sample size {d.n_effective:,.0f} of "
                    f"{d.n:,}, design effect {d.design_effect:.2f}, margin of error "
                    f"±{100 * d.margin_of_error:.1f} percentage points.")
            try:
                found = analysis.felt_unsafe(m.survey)
                wards = analysis.pins_by_ward(m.survey, record_level=False)[0]
            except NoFigures:
                found = None
            if found is not None:
                comparison, _year = found
                felt_line = comparison.sentence()
                odd = comparison.areas[comparison.areas["verdict"] != AS_EXPECTED]
                differing = [(str(wards["name"].get(code, code)), str(row["verdict"]))
                             for code, row in odd.sort_values("q_value").iterrows()]
        out.append(ConsultationSummary(
            title=c.title, period=when, ways=tuple(ways),
            responses=tuple(sorted(responses.items())), heard=tuple(heard),
            weighting=weighting_line, felt_unsafe=felt_line, differing=tuple(differing),
            you_said=tuple((f.you_said, f.get_status_display(), f.we_did)
                           for f in c.you_said.all())))
    return tuple(out)
