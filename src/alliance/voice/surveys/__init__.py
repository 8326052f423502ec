"""Surveys as data: definitions, answers, XLSForm exchange, results and the map comparison."""

from alliance.voice.surveys.answers import (
    AnswerError,
    Places,
    check_response,
    clean_answer,
    clean_text,
    shows,
    visible,
)
from alliance.voice.surveys.definition import (
    FORMAT,
    Choice,
    DefinitionError,
    Question,
    SurveyDefinition,
    example_definition,
    load_definition,
)
from alliance.voice.surveys.xlsform import XLSFormError, read_xlsform, write_xlsform

__all__ = [
    "FORMAT",
    "AnswerError",
    "Choice",
    "DefinitionError",
    "Places",
    "Question",
    "SurveyDefinition",
    "XLSFormError",
    "check_response",
    "clean_answer",
    "clean_text",
    "example_definition",
    "load_definition",
    "read_xlsform",
    "shows",
    "visible",
    "write_xlsform",
]
