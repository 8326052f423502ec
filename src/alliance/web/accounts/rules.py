"""Who may do what: every permission is a named rule, and every rule lists the roles it allows.

Views ask ``can(user, "rule")``; nothing else in the workspace checks roles. Data carry one of
three sensitivities, and ``may_see(user, sensitivity)`` says whether a user may see data of
that sensitivity:

- ``open``: aggregate figures with small numbers suppressed, fit to publish;
- ``partnership``: for signed-in members of the partnership (suppressed aggregates, agreements,
  the batch list);
- ``restricted``: record-level data and unsuppressed small numbers; analysts and administrators
  only, and every view of it is audited.
"""

from __future__ import annotations

from typing import Any, Literal

from alliance.web.accounts.models import Role

Sensitivity = Literal["open", "partnership", "restricted"]
SENSITIVITIES: tuple[Sensitivity, ...] = ("open", "partnership", "restricted")

ADMINISTRATOR, ANALYST, PARTNER_LEAD = "administrator", "analyst", "partner_lead"
BOARD_VIEWER, MODERATOR = "board_viewer", "moderator"
ALL_ROLES: frozenset[str] = frozenset(str(v) for v in Role.values)
_DATA_ROLES = frozenset({ADMINISTRATOR, ANALYST})

RULES: dict[str, frozenset[str]] = {
    "view_dashboard": ALL_ROLES,
    "view_agreements": ALL_ROLES,
    "export_aggregates": ALL_ROLES,
    # suppressed figures from partners' own data (A&E, a local police extract, youth justice
    # ...): every member who reads the shared picture, not the conversations' moderators
    "view_partner_figures": frozenset({ADMINISTRATOR, ANALYST, PARTNER_LEAD, BOARD_VIEWER}),
    "view_batches": frozenset({ADMINISTRATOR, ANALYST, PARTNER_LEAD}),
    # --- data ownership (alliance.web.pool.ownership narrows these to the data's owner) ---
    # load or replace data, and roll back a batch: partner leads only for data their
    # organisation owns (set by the data-sharing agreement that covers it)
    "upload_data": frozenset({ADMINISTRATOR, ANALYST, PARTNER_LEAD}),
    "rollback_batch": frozenset({ADMINISTRATOR, ANALYST, PARTNER_LEAD}),
    # act for the partnership: load, replace or roll back any organisation's data, and the
    # data the partnership itself owns (open data and datasets no agreement covers)
    "act_for_partnership": _DATA_ROLES,
    # --- end of data ownership ---
    "view_record_level": _DATA_ROLES,
    "build_sna": _DATA_ROLES,
    # write the SNA's summary, findings and recommendations (the partnership's own words)
    "write_sna": _DATA_ROLES,
    "manage_agreements": frozenset({ADMINISTRATOR}),
    # partner leads renew (and attach signed documents to) the agreements their organisation
    # owns; alliance.web.partnerships.services.may_renew checks the owner
    "renew_agreements": frozenset({ADMINISTRATOR, PARTNER_LEAD}),
    "manage_members": frozenset({ADMINISTRATOR}),
    "invite_members": frozenset({ADMINISTRATOR}),
    "view_audit": frozenset({ADMINISTRATOR}),
    # anyone may follow the background tasks they started; this rule sees everyone's
    "view_all_tasks": frozenset({ADMINISTRATOR}),
    "moderate_voice": frozenset({ADMINISTRATOR, MODERATOR}),
    # name the partnership's safeguarding lead and procedure (conversations' referral route)
    "manage_safeguarding": frozenset({ADMINISTRATOR}),
    # find themes in free text and rename, merge, split and re-code them (record-level text)
    "analyse_themes": _DATA_ROLES,
    # consultations and surveys (alliance.web.consultations, alliance.web.surveys): build
    # them and publish results; type in paper and workshop answers; who is asking
    "manage_consultations": frozenset({ADMINISTRATOR, ANALYST, MODERATOR}),
    "enter_responses": frozenset({ADMINISTRATOR, ANALYST, MODERATOR, PARTNER_LEAD}),
    "manage_public_pages": frozenset({ADMINISTRATOR}),
    # put a finished SNA build on the public site, or withdraw it: the partnership's decision,
    # taken by whoever runs the partnership (analysts build and write it; board viewers read)
    "publish_sna": frozenset({ADMINISTRATOR}),
    # events, the strategy, actions, the communications plan and the partner directory: every
    # member reads them (the board view is for the board); these rules guard the changes
    "view_strategy": ALL_ROLES,
    "record_events": frozenset({ADMINISTRATOR, ANALYST, PARTNER_LEAD}),
    "manage_strategy": _DATA_ROLES,
    "assign_actions": _DATA_ROLES,
    # partner leads update the actions their organisation owes;
    # alliance.web.actions.services.may_update checks the owner
    "update_actions": frozenset({ADMINISTRATOR, ANALYST, PARTNER_LEAD}),
    "manage_comms": frozenset({ADMINISTRATOR, ANALYST, PARTNER_LEAD}),
    # partner leads keep their own organisation's entries (alliance.web.directory.services)
    "manage_directory": frozenset({ADMINISTRATOR, ANALYST, PARTNER_LEAD}),
    "build_monitoring": _DATA_ROLES,
}

#: the rule a user must pass to see data of each sensitivity (None: anyone, signed in or not)
SENSITIVITY_RULE: dict[Sensitivity, str | None] = {
    "open": None,
    "partnership": "view_dashboard",
    "restricted": "view_record_level",
}


class UnknownRuleError(KeyError):
    """A view asked for a rule that is not in :data:`RULES` (a typo must not grant access)."""


def role_of(user: Any) -> str | None:
    """The user's role, or None for anonymous users, users with no membership and inactive ones."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    membership = getattr(user, "membership", None)
    return membership.role if membership is not None else None


def role_can(role: str | None, rule: str) -> bool:
    try:
        allowed = RULES[rule]
    except KeyError:
        raise UnknownRuleError(f"no permission rule named {rule!r}") from None
    return role is not None and role in allowed


def can(user: Any, rule: str) -> bool:
    """True when ``user`` may do ``rule`` (one of :data:`RULES`)."""
    return role_can(role_of(user), rule)


def may_see(user: Any, sensitivity: Sensitivity) -> bool:
    if sensitivity not in SENSITIVITY_RULE:
        raise ValueError(f"unknown data sensitivity {sensitivity!r}")
    rule = SENSITIVITY_RULE[sensitivity]
    return True if rule is None else can(user, rule)
