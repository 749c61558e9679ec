"""The retained-parts ledger moves from claims to catalog (II.4: what the brand
holds of units and parts). State only: the table ``claims_retainedpart`` and its
rows stay as they are until the next migration renames it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('catalog', '0002_unit_replacement'),
        # The claim foreign key is gone: the table holds nothing catalog cannot describe.
        ('claims', '0005_retained_part_by_source'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RetainedPart',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source_type', models.CharField(blank=True, max_length=80, verbose_name='from record type')),
                        ('source_id', models.CharField(blank=True, max_length=64, verbose_name='from record id')),
                        ('source_repr', models.CharField(blank=True, max_length=200, verbose_name='taken from')),
                        ('kind', models.CharField(choices=[('unit', 'Whole unit'), ('part', 'Part')], max_length=8, verbose_name='kind')),
                        ('description', models.CharField(max_length=200, verbose_name='what')),
                        ('serial', models.CharField(blank=True, max_length=40, verbose_name='serial number')),
                        ('location', models.CharField(max_length=100, verbose_name='where kept')),
                        ('taken_in_at', models.DateTimeField(auto_now_add=True, verbose_name='stored since')),
                        ('disposal', models.CharField(blank=True, choices=[('scrapped', 'Scrapped'), ('recycled', 'Recycled'), ('returned_to_supplier', 'Returned to the supplier'), ('refurbished', 'Refurbished as a spare')], max_length=24, verbose_name='disposal')),
                        ('disposed_at', models.DateTimeField(blank=True, null=True, verbose_name='disposed of')),
                        ('disposal_note', models.CharField(blank=True, max_length=300, verbose_name='disposal note')),
                        ('held_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation', verbose_name='held by')),
                    ],
                    options={
                        'verbose_name': 'retained part',
                        'verbose_name_plural': 'retained parts',
                        'ordering': ['-taken_in_at', '-id'],
                        'db_table': 'claims_retainedpart',
                        'indexes': [models.Index(fields=['source_type', 'source_id'], name='claims_reta_source__c5de33_idx')],
                        'constraints': [
                            models.CheckConstraint(condition=models.Q(('disposal', ''), ('disposal__in', ['scrapped', 'recycled', 'returned_to_supplier', 'refurbished']), _connector='OR'), name='retained_part_disposal_never_to_user'),
                            models.CheckConstraint(condition=models.Q(models.Q(('disposal', ''), ('disposed_at__isnull', True)), models.Q(models.Q(('disposal', ''), _negated=True), ('disposed_at__isnull', False)), _connector='OR'), name='retained_part_disposal_dated'),
                            models.CheckConstraint(condition=models.Q(('source_type', ''), _negated=True), name='retained_part_has_origin'),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
