"""The quarterly monitoring report of the Serious Violence Reduction Strategy: scorecard,
turn-the-curve charts, did-it-work analyses, action status by partner, overdue actions and
"you said, we did", built on :mod:`alliance.figures` like the SNA."""

from alliance.report.monitoring.build import MonitoringOutput, build_report, write_monitoring
from alliance.report.monitoring.inputs import (
    ActionInput,
    InterventionInput,
    MeasureInput,
    MonitoringInputs,
    PriorityInput,
    YouSaidInput,
)
from alliance.report.monitoring.scorecard import Score, score

__all__ = ["ActionInput", "InterventionInput", "MeasureInput", "MonitoringInputs",
           "MonitoringOutput", "PriorityInput", "Score", "YouSaidInput", "build_report",
           "score", "write_monitoring"]
