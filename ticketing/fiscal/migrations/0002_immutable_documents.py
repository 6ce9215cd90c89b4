from django.db import migrations

# Issued invoices and credit notes are never edited or deleted: the database refuses UPDATE and
# DELETE, whoever asks. The one exception is the issuing service giving a document its control
# number, once (NULL → a value, nothing else changed), in the transaction that creates it.
# Names are unqualified: a tenant app's migration runs with each organization's schema first in
# the search_path, so each schema gets its own functions and triggers.
IMMUTABLE = """
CREATE OR REPLACE FUNCTION fiscal_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.control_number IS NULL
       AND NEW.control_number IS NOT NULL
       AND (to_jsonb(NEW) - 'control_number' - 'control_range_text')
           = (to_jsonb(OLD) - 'control_number' - 'control_range_text') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Los documentos fiscales emitidos no se modifican ni se eliminan (% en %)',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION fiscal_require_control_number() RETURNS trigger AS $$
DECLARE
    assigned text;
BEGIN
    EXECUTE format('SELECT control_number FROM %I.%I WHERE id = $1', TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO assigned USING NEW.id;
    IF assigned IS NULL THEN
        RAISE EXCEPTION 'Documento fiscal sin número de control (% %)', TG_TABLE_NAME, NEW.id
            USING ERRCODE = 'not_null_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER fiscal_invoice_immutable
    BEFORE UPDATE OR DELETE ON fiscal_invoice
    FOR EACH ROW EXECUTE FUNCTION fiscal_refuse_change();
CREATE TRIGGER fiscal_creditnote_immutable
    BEFORE UPDATE OR DELETE ON fiscal_creditnote
    FOR EACH ROW EXECUTE FUNCTION fiscal_refuse_change();

-- Checked at commit: no document is committed without its control number.
CREATE CONSTRAINT TRIGGER fiscal_invoice_has_control_number
    AFTER INSERT ON fiscal_invoice DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION fiscal_require_control_number();
CREATE CONSTRAINT TRIGGER fiscal_creditnote_has_control_number
    AFTER INSERT ON fiscal_creditnote DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION fiscal_require_control_number();
"""

DROP = """
DROP TRIGGER IF EXISTS fiscal_creditnote_has_control_number ON fiscal_creditnote;
DROP TRIGGER IF EXISTS fiscal_invoice_has_control_number ON fiscal_invoice;
DROP TRIGGER IF EXISTS fiscal_creditnote_immutable ON fiscal_creditnote;
DROP TRIGGER IF EXISTS fiscal_invoice_immutable ON fiscal_invoice;
DROP FUNCTION IF EXISTS fiscal_require_control_number();
DROP FUNCTION IF EXISTS fiscal_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("fiscal", "0001_initial")]
    operations = [migrations.RunSQL(IMMUTABLE, DROP)]
