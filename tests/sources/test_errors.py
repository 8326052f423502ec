"""SourceFileError and Problem: the messages an analyst reads."""

from __future__ import annotations

import pickle

import pytest

from alliance.sources.errors import Problem, SourceFileError


def test_message_names_file_line_and_field() -> None:
    error = SourceFileError(file="2025-01-northamptonshire-street.csv", line=17, field="Month",
                            message="expected YYYY-MM, got '2025/01'")
    assert str(error) == ("2025-01-northamptonshire-street.csv, line 17, field 'Month': "
                          "expected YYYY-MM, got '2025/01'")
    assert (error.file, error.line, error.field) == (
        "2025-01-northamptonshire-street.csv", 17, "Month")


def test_message_without_line_or_field() -> None:
    error = SourceFileError(file="2025-01.zip", message="truncated or damaged zip archive")
    assert str(error) == "2025-01.zip: truncated or damaged zip archive"


def test_error_survives_pickling() -> None:
    error = SourceFileError(file="a.csv", line=3, field="Longitude", message="bad")
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) and again.line == 3


def test_problem_is_frozen_and_readable() -> None:
    problem = Problem(file="a.csv", line=4, field="Longitude", message="point outside the UK")
    assert str(problem) == "a.csv, line 4, field 'Longitude': warning: point outside the UK"
    with pytest.raises(AttributeError):
        problem.line = 5  # type: ignore[misc]
