"""The safeguarding route: a statement suggesting a child at risk or a threat goes to the
partnership's named safeguarding lead, is hidden everywhere, and is audited (by the view).

The lead and the procedure are partnership settings (:class:`SafeguardingContact`, edited by an
administrator on the safeguarding settings page); the procedure text is shown to moderators
beside the referral button.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from alliance.web.conversations.models import (
    SafeguardingContact,
    SafeguardingReferral,
    Statement,
    StatementEdit,
)

#: what a referred statement's text becomes; the text itself is kept only in the referral
REFERRED_TEXT = "[Referred to the safeguarding lead]"


#: e-mail backends that accept a message without delivering it to anyone: with these a
#: referral is recorded as not e-mailed, and the moderator is told to contact the lead
_NOT_DELIVERED = frozenset({"console", "dummy", "filebased"})


class SafeguardingNotSet(ValueError):
    """The partnership has not named a safeguarding lead yet."""


def contact_for(partnership: Any) -> SafeguardingContact | None:
    return SafeguardingContact.objects.filter(partnership=partnership).first()


def refer(statement: Statement, *, note: str, user: Any) -> SafeguardingReferral:
    """Refer a statement to the partnership's safeguarding lead.

    The statement is hidden everywhere (its state leaves every participant view, analysis,
    result, export and report) and its text is moved into the referral, so no page can show
    it; the moderation log records the referral without the text. The lead is e-mailed
    through Django's e-mail settings; a failed e-mail is recorded on the referral and shown
    to the moderator, who then follows the procedure by hand. The caller audits it.
    """
    conversation = statement.conversation
    contact = contact_for(conversation.partnership)
    if contact is None:
        raise SafeguardingNotSet("name the partnership's safeguarding lead first "
                                 "(Safeguarding settings)")
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.state == Statement.State.REFERRED:
            raise ValueError("it has already been referred")
        concern = "; ".join(part for part in (locked.flagged, note.strip()) if part)
        referral = SafeguardingReferral.objects.create(
            partnership=conversation.partnership, statement=locked, text=locked.text,
            concern=concern[:500], lead_name=contact.lead_name, lead_email=contact.lead_email,
            referred_by=user)
        StatementEdit.objects.create(statement=locked, editor=user, old_state=locked.state,
                                     new_state=Statement.State.REFERRED,
                                     reason=note.strip()[:500])
        # earlier edits of its text leave the log too: the text is kept only in the referral
        StatementEdit.objects.filter(statement=locked).exclude(old_text="", new_text="").update(
            old_text=REFERRED_TEXT, new_text=REFERRED_TEXT)
        locked.text = REFERRED_TEXT
        locked.state, locked.reason = Statement.State.REFERRED, note.strip()[:500]
        locked.moderated_by, locked.moderated_at = user, timezone.now()
        locked.save()
    _email_lead(referral, f"the conversation \"{conversation.title}\"")
    return referral


def refer_text(partnership: Any, *, text: str, concern: str, where: str,
               user: Any) -> SafeguardingReferral:
    """Refer a text that has no moderation queue (an uploaded survey answer or workshop note
    in which the screen found a safeguarding concern) to the lead; the caller withholds the
    text from every page and audits the referral."""
    contact = contact_for(partnership)
    if contact is None:
        raise SafeguardingNotSet("name the partnership's safeguarding lead first "
                                 "(Safeguarding settings)")
    referral = SafeguardingReferral.objects.create(
        partnership=partnership, text=text, concern=concern[:500], lead_name=contact.lead_name,
        lead_email=contact.lead_email, referred_by=user)
    _email_lead(referral, where)
    return referral


def _email_lead(referral: SafeguardingReferral, where: str) -> None:
    partnership = referral.partnership
    body = (f"{referral.lead_name},\n\nA text from {where} ({partnership.name}) has been "
            f"referred to you as the partnership's safeguarding lead.\n\nWhat was written:\n"
            f"{referral.text}\n\nWhy it was referred: {referral.concern or 'not given'}\n"
            f"Referred by: {getattr(referral.referred_by, 'email', '')}\n"
            f"Referral number: {referral.pk}\n\nThe text is hidden from every page and "
            f"result. Participants are anonymous: Alliance holds no name or contact details "
            f"for its author.")
    if settings.EMAIL_BACKEND.rsplit(".", 2)[-2] in _NOT_DELIVERED:
        referral.email_error = ("no mail server is set up (EMAIL_BACKEND "
                                f"{settings.EMAIL_BACKEND}): the e-mail was not delivered")
        SafeguardingReferral.objects.filter(pk=referral.pk).update(
            emailed=False, email_error=referral.email_error)
        return
    try:
        send_mail(f"Safeguarding referral {referral.pk}: {where}"[:150], body,
                  None, [referral.lead_email], fail_silently=False)
    except Exception as error:  # any mail failure (SMTP, DNS, refused) is recorded, never lost
        referral.email_error = f"{type(error).__name__}: {error}"[:500]
        SafeguardingReferral.objects.filter(pk=referral.pk).update(
            emailed=False, email_error=referral.email_error)
    else:
        referral.emailed = True
        SafeguardingReferral.objects.filter(pk=referral.pk).update(emailed=True)


