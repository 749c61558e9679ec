"""I.2 (issue 10 item 1): the day the claim was made, and the remedy the claimant
chose at intake. A claim taken in before this migration was made on the day it
was submitted (its ``created_at`` in Shanghai time)."""

from django.db import migrations, models
from django.utils import timezone


def claimed_on_from_submission(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    for pk, created_at, delivered_on in Claim.objects.values_list(
        "pk", "created_at", "delivered_on"
    ):
        day = timezone.localtime(created_at).date()
        Claim.objects.filter(pk=pk).update(claimed_on=max(day, delivered_on))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="claimed_on",
            field=models.DateField(null=True, verbose_name="claim date"),
        ),
        migrations.RunPython(claimed_on_from_submission, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="claim",
            name="claimed_on",
            field=models.DateField(verbose_name="claim date"),
        ),
        migrations.AddField(
            model_name="claim",
            name="remedy_requested",
            field=models.CharField(
                blank=True,
                choices=[
                    ("return", "Return (refund)"),
                    ("replacement", "Replacement"),
                    ("repair", "Repair"),
                ],
                max_length=20,
                verbose_name="remedy chosen by the claimant",
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(("claimed_on__gte", models.F("delivered_on"))),
                name="claim_claimed_after_delivery",
            ),
        ),
    ]
