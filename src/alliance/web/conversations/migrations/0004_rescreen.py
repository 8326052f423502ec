"""Screen again what the old, easier screen let through (Issue 12 §2).

Pending statements the new screen flags are held (in an open conversation they were being
shown); accepted ones are left to the moderators who accepted them. A consent-form area in
which the screen finds personal data (a full postcode, a phone number, a name) is erased.
"""

from django.db import migrations


def rescreen(apps, schema_editor):
    from alliance.voice.screening import POSTCODE, screen

    Statement = apps.get_model("conversations", "Statement")
    held = []
    for row in Statement.objects.filter(state="pending").only("pk", "text", "flagged").iterator():
        found = screen(row.text)
        if found.held and found.reason[:200] != row.flagged:
            row.flagged = found.reason[:200]
            held.append(row)
    Statement.objects.bulk_update(held, ["flagged"], batch_size=1000)
    Participant = apps.get_model("conversations", "Participant")
    erased = [row for row in Participant.objects.exclude(area="").only("pk", "area").iterator()
              if POSTCODE.search(row.area) or screen(row.area).held]
    for row in erased:
        row.area = ""
    Participant.objects.bulk_update(erased, ["area"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("conversations", "0003_safeguarding_and_k_smoother"),
    ]

    operations = [
        migrations.RunPython(rescreen, migrations.RunPython.noop),
    ]
