"""On PostgreSQL the database itself refuses to change or remove an audit event.

A row trigger raises on UPDATE and DELETE of ``core_auditevent``, whoever sends
the statement (the application's guards in ``core.models`` aside, a raw cursor or
a ``psql`` session is refused too). One change is let through: the actor's
reference set to NULL when their user row is deleted (``on_delete=SET_NULL``);
the event keeps who it was in ``actor_label``.

TRUNCATE is not refused (docs/decisions.md, "The audit trail and TRUNCATE"): only
the test runner (pytest-django flushes tables between transactional tests) and a
database administrator send it, and neither goes through the application.

SQLite has no such trigger: the application's guards are the only ones there.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_id IS NULL
       AND OLD.actor_id IS NOT NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        -- The actor's user row is being deleted (ON DELETE SET NULL): allowed.
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % of core_auditevent % refused',
        TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
