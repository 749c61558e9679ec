"""Credit notes (V.2): the credit lines of each accepted declaration grouped under
a numbered note. Lines written before notes existed get one note per declaration,
dated when the declaration was decided."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def group_existing_lines(apps, schema_editor):
    from sanbao.core.numbers import save_numbered

    CreditLine = apps.get_model("deliveries", "CreditLine")
    CreditNote = apps.get_model("deliveries", "CreditNote")
    Declaration = apps.get_model("deliveries", "Declaration")
    pending = CreditLine.objects.filter(note__isnull=True).values_list("declaration_id", flat=True)
    for declaration in Declaration.objects.filter(pk__in=pending).select_related("delivery"):
        lines = CreditLine.objects.filter(declaration=declaration, note__isnull=True)
        note = CreditNote(
            declaration=declaration,
            agent_id=declaration.delivery.agent_id,
            issued_at=declaration.decided_at or lines.order_by("created_at")[0].created_at,
            issued_by_id=declaration.decided_by_id or declaration.opened_by_id,
        )
        save_numbered(note, "K")
        lines.update(note=note)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_user_time_zone'),
        ('deliveries', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='creditline',
            options={'ordering': ['id'], 'verbose_name': 'credit note line', 'verbose_name_plural': 'credit note lines'},
        ),
        migrations.CreateModel(
            name='CreditNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=20, unique=True, verbose_name='credit note number')),
                ('issued_at', models.DateTimeField(verbose_name='issued')),
                ('agent', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation', verbose_name='agent')),
                ('declaration', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='credit_note', to='deliveries.declaration', verbose_name='declaration')),
                ('issued_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
            ],
            options={
                'verbose_name': 'credit note',
                'verbose_name_plural': 'credit notes',
                'ordering': ['-issued_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='creditline',
            name='note',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='deliveries.creditnote', verbose_name='credit note'),
        ),
        migrations.RunPython(group_existing_lines, migrations.RunPython.noop),
    ]
