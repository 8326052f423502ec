"""Template helpers: GOV.UK classes on form widgets, permission checks, and plain words."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from alliance.web.accounts.rules import can as can_rule
from alliance.web.workspace.wording import for_people

register = template.Library()

_CLASSES = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
    forms.CheckboxSelectMultiple: "",
    forms.DateInput: "govuk-input govuk-input--width-10",
}


@register.simple_tag
def govuk_widget(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    css = next((c for t, c in _CLASSES.items() if isinstance(widget, t)), "govuk-input")
    if field.errors:
        css += {"govuk-select": " govuk-select--error", "govuk-textarea": " govuk-textarea--error",
                "govuk-file-upload": " govuk-file-upload--error"}.get(css, " govuk-input--error")
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label}-hint")
    if field.errors:
        described.append(f"{field.id_for_label}-error")
    attrs: dict[str, Any] = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def can(context: template.Context, rule: str) -> bool:
    request = context.get("request")
    return can_rule(getattr(request, "user", None), rule)


@register.filter
def plain(message: object) -> str:
    """A message as a page may show it: what to do instead of a setting's name, plain words
    instead of a quality flag code (:func:`alliance.web.workspace.wording.for_people`)."""
    return for_people(str(message), where="a page")


@register.filter
def thousands(number: object) -> str:
    """12397 -> '12,397' (GOV.UK style for numbers of four or more digits)."""
    try:
        return f"{int(str(number)):,}"
    except ValueError:
        return str(number)


@register.filter
def markdown(text: object) -> SafeString:
    """Markdown we wrote (a logic model's text, plain-English findings) as HTML; any mark-up
    inside it is escaped first, as in the reports."""
    from django.utils.safestring import mark_safe

    from alliance.report.html import _markdown

    return mark_safe(_markdown(str(text)))


@register.filter
def get_item(mapping: object, key: object) -> object:
    """``mapping[key]`` in a template, '' when absent."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""
