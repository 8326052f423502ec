"""Weighting survey respondents to the population: raking, Kish diagnostics, representation.

Public API: :func:`rake`, :class:`RakingError`, :func:`weight_diagnostics`,
:class:`WeightDiagnostics`, :func:`weighted_proportions`, :func:`representation`,
:class:`Representation`.
"""

from alliance.voice.weighting.diagnostics import (
    WeightDiagnostics,
    weight_diagnostics,
    weighted_proportions,
)
from alliance.voice.weighting.raking import RakingError, rake
from alliance.voice.weighting.representation import Representation, representation

__all__ = [
    "RakingError",
    "Representation",
    "WeightDiagnostics",
    "rake",
    "representation",
    "weight_diagnostics",
    "weighted_proportions",
]
