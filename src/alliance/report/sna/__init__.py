"""The Strategic Needs Assessment: chapters, findings, data requests, front matter, appendices.

Framework-free: :func:`build_report` and :func:`write_sna` take an :class:`SnaInputs` of plain
tables (gathered from the pool by ``alliance.web.reports.services``).
"""

from alliance.report.sna.build import SnaOutput, build_report, section, write_sna
from alliance.report.sna.inputs import SnaArea, SnaDefinition, SnaInputs
from alliance.report.sna.period import Comparison, ReportPeriod, comparison, parse_period

__all__ = ["Comparison", "ReportPeriod", "SnaArea", "SnaDefinition", "SnaInputs", "SnaOutput",
           "build_report", "comparison", "parse_period", "section", "write_sna"]
