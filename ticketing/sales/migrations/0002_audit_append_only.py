from django.db import migrations

# The audit log is append-only at the database level: UPDATE and DELETE raise, whoever asks.
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION sales_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'sales_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER sales_auditentry_append_only
    BEFORE UPDATE OR DELETE ON sales_auditentry
    FOR EACH ROW EXECUTE FUNCTION sales_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS sales_auditentry_append_only ON sales_auditentry;
DROP FUNCTION IF EXISTS sales_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("sales", "0001_initial")]
    operations = [migrations.RunSQL(APPEND_ONLY, DROP)]
