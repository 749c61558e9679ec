"""I.2 (issue 10 item 2): the day the unit was handed in; the repair-day limit
counts from it. A claim taken in before this migration had its unit handed in on
the day the claim was made."""

from django.db import migrations, models


def handed_in_with_the_claim(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Claim.objects.update(handed_in_on=models.F("claimed_on"))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_claim_date_and_remedy_requested"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="handed_in_on",
            field=models.DateField(null=True, verbose_name="unit handed in on"),
        ),
        migrations.RunPython(handed_in_with_the_claim, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="claim",
            name="handed_in_on",
            field=models.DateField(verbose_name="unit handed in on"),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(("handed_in_on__gte", models.F("claimed_on"))),
                name="claim_handed_in_after_claim",
            ),
        ),
    ]
