"""Framework-free Pol.is opinion analysis (groups, representative and consensus statements).

Public API: :func:`analyse`, :func:`analyse_with_groups`, :class:`OpinionAnalysis`,
:func:`read_polis_export`, :func:`write_polis_export`, :class:`PolisConversation`.
"""

from alliance.voice.opinion.analysis import OpinionAnalysis, analyse, analyse_with_groups
from alliance.voice.opinion.polis_io import (
    PolisConversation,
    PolisExportError,
    read_polis_export,
    write_polis_export,
)

__all__ = [
    "OpinionAnalysis",
    "PolisConversation",
    "PolisExportError",
    "analyse",
    "analyse_with_groups",
    "read_polis_export",
    "write_polis_export",
]
