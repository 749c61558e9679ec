"""The ledger's table, index, content type and audit trail take catalog's name.

Audit events name their record by model label; the events of retained parts
written before the move say ``claims.retainedpart`` and are relabelled, so that a
part's history stays one history. (The only rewrite of audit rows: the record
they describe is the same, only its label moved.)"""

from django.db import migrations

OLD, NEW = ("claims", "retainedpart"), ("catalog", "retainedpart")


def relabel(apps, schema_editor, old=OLD, new=NEW):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditEvent.objects.filter(target_type=".".join(old)).update(target_type=".".join(new))
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new[0], model=new[1]).exists():
        # Permissions and admin log entries follow their content type.
        ContentType.objects.filter(app_label=old[0], model=old[1]).update(app_label=new[0])


def relabel_back(apps, schema_editor):
    relabel(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_retained_part'),
        ('claims', '0006_retained_part_moved_to_catalog'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.RenameIndex(
            model_name='retainedpart',
            new_name='catalog_ret_source__cd7c54_idx',
            old_name='claims_reta_source__c5de33_idx',
        ),
        migrations.AlterModelTable(
            name='retainedpart',
            table=None,
        ),
        migrations.RunPython(relabel, relabel_back),
    ]
