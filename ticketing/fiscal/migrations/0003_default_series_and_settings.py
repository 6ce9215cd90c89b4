from django.db import migrations

# Every organization (schema) starts with invoice series "A" and credit-note series "NC", both at
# number 1, and the control-number settings row using the sandbox digital printer. Created here,
# once per schema, so two first sales never race to create them.


def create_defaults(apps, schema_editor):
    InvoiceSeries = apps.get_model("fiscal", "InvoiceSeries")
    ControlNumberSettings = apps.get_model("fiscal", "ControlNumberSettings")
    InvoiceSeries.objects.get_or_create(code="A", document_type="invoice", defaults={"next_number": 1})
    InvoiceSeries.objects.get_or_create(code="NC", document_type="credit_note", defaults={"next_number": 1})
    ControlNumberSettings.objects.get_or_create(id=1, defaults={"provider": "digital_sandbox", "prefix": "00"})


class Migration(migrations.Migration):
    dependencies = [("fiscal", "0002_immutable_documents")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
