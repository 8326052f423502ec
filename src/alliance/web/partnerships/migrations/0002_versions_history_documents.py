"""Agreements gain versions (series, version, superseded_at) and a change history; documents
gain versions, size, checksum and uploader.

``series`` is added nullable, filled with a fresh UUID per existing row (a callable default in
AddField would give every existing row the *same* value), then made required.
"""

import hashlib
import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    Agreement = apps.get_model("partnerships", "Agreement")
    for agreement in Agreement.objects.filter(series__isnull=True).only("pk"):
        Agreement.objects.filter(pk=agreement.pk).update(series=uuid.uuid4())
    Document = apps.get_model("partnerships", "AgreementDocument")
    for doc in Document.objects.all().order_by("agreement_id", "kind", "uploaded_at", "id"):
        content = bytes(doc.content)
        earlier = Document.objects.filter(agreement_id=doc.agreement_id, kind=doc.kind,
                                          id__lt=doc.pk).count()
        Document.objects.filter(pk=doc.pk).update(
            size=len(content), sha256=hashlib.sha256(content).hexdigest(), version=earlier + 1)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("partnerships", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="agreement", name="series",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="agreement", name="superseded_at",
            field=models.DateTimeField(blank=True, editable=False, null=True,
                                       help_text="set when a renewal replaced this version"),
        ),
        migrations.AddField(
            model_name="agreement", name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="agreementdocument", name="sha256",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="agreementdocument", name="size",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="agreementdocument", name="uploaded_by",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="agreementdocument", name="version",
            field=models.PositiveIntegerField(default=1, help_text="per kind, across the series"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agreement", name="series",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False,
                                   help_text="shared by every version of one agreement"),
        ),
        migrations.AlterModelOptions(
            name="agreementdocument",
            options={"ordering": ["kind", "-version", "-id"]},
        ),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.UniqueConstraint(fields=("series", "version"),
                                               name="unique_agreement_version"),
        ),
        migrations.CreateModel(
            name="AgreementChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("created", "Added"), ("edit", "Edited"),
                                                   ("renewal", "Renewed"),
                                                   ("document", "Document added")],
                                          max_length=10)),
                ("field", models.CharField(help_text="the field's label, as the form shows it",
                                           max_length=100)),
                ("old", models.TextField(blank=True)),
                ("new", models.TextField(blank=True)),
                ("changed_by_email", models.CharField(blank=True, max_length=254)),
                ("changed_at", models.DateTimeField(db_index=True,
                                                    default=django.utils.timezone.now)),
                ("agreement", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                related_name="changes",
                                                to="partnerships.agreement")),
                ("changed_by", models.ForeignKey(blank=True, null=True,
                                                 on_delete=django.db.models.deletion.SET_NULL,
                                                 related_name="+",
                                                 to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["-changed_at", "id"]},
        ),
    ]
