"""PostgreSQL's unaccent, for searches that find "Pérez" when a seller types "Perez".

In the public schema, which every organization's search path includes: an extension exists once
per database, so creating it from an organization's schema would hide it from the others."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunSQL(
            "CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public",
            reverse_sql="DROP EXTENSION IF EXISTS unaccent",
        ),
    ]
