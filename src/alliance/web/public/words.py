"""Words for values that come from the figures (category names, hot spot labels, states),
so the public pages can say them in Welsh. A value with no entry here is shown as it is."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from alliance.figures import hotspots

CATEGORIES = {
    "Robbery": _("Robbery"),
    "Possession of weapons": _("Possession of weapons"),
    "Violence and sexual offences (proxy)": _("Violence and sexual offences (proxy)"),
    "Violence and sexual offences": _("Violence and sexual offences"),
}
HOT_SPOTS = {
    hotspots.HOT: _("Hot spot"),
    hotspots.COLD: _("Cold spot"),
    hotspots.NOT_SIGNIFICANT: _("Not significant"),
    hotspots.NOT_PUBLISHED: _("Not published (small number)"),
    hotspots.NOT_TESTED: _("Not tested"),
    hotspots.UNDECIDED: _("Undecided (borderline)"),
}
VERDICTS = {
    "significant rise": _("a clear rise"),
    "significant fall": _("a clear fall"),
    "no significant change": _("no clear change"),
}


def category(label: str) -> str:
    return str(CATEGORIES.get(label, label))


def hot_spot(label: str) -> str:
    return str(HOT_SPOTS.get(label, label))


def verdict(text: str) -> str:
    return str(VERDICTS.get(text, text))
