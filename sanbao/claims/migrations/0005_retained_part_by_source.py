"""A retained part names the claim it came from by the generic source fields, as a
part from any other record already does; the foreign key goes, so that the ledger
can move below the workflows (into catalog) without pointing up at claims."""

from django.db import migrations, models

CLAIM = "claims.claim"


def claim_to_source(apps, schema_editor):
    RetainedPart = apps.get_model("claims", "RetainedPart")
    Claim = apps.get_model("claims", "Claim")
    numbers = dict(Claim.objects.values_list("pk", "number"))
    for part in RetainedPart.objects.filter(claim__isnull=False).only("pk", "claim_id"):
        RetainedPart.objects.filter(pk=part.pk).update(
            source_type=CLAIM,
            source_id=str(part.claim_id),
            source_repr=numbers[part.claim_id][:200],
        )


def source_to_claim(apps, schema_editor):
    RetainedPart = apps.get_model("claims", "RetainedPart")
    for part in RetainedPart.objects.filter(source_type=CLAIM).only("pk", "source_id"):
        RetainedPart.objects.filter(pk=part.pk).update(
            claim_id=int(part.source_id), source_type="", source_id="", source_repr=""
        )


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0004_retained_part_source'),
    ]

    operations = [
        migrations.RunPython(claim_to_source, source_to_claim),
        migrations.RemoveConstraint(
            model_name='retainedpart',
            name='retained_part_has_origin',
        ),
        migrations.RemoveField(
            model_name='retainedpart',
            name='claim',
        ),
        migrations.AddConstraint(
            model_name='retainedpart',
            constraint=models.CheckConstraint(condition=models.Q(('source_type', ''), _negated=True), name='retained_part_has_origin'),
        ),
    ]
