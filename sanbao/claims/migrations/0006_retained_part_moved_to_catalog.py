"""The retained-parts ledger is catalog's now (state only: the table stays); the
claims pages show its rows through a proxy that names the claim of a row."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_retained_part'),
        ('claims', '0005_retained_part_by_source'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='RetainedPart')],
            database_operations=[],
        ),
        migrations.CreateModel(
            name='LedgerPart',
            fields=[],
            options={
                'verbose_name': 'retained part',
                'verbose_name_plural': 'retained parts',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('catalog.retainedpart',),
        ),
    ]
