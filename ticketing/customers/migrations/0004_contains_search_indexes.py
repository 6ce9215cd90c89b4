"""Trigram indexes for the customer search typed at the counter (core migration 0003 has pg_trgm
and immutable_unaccent)."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
import ticketing.core.search
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_trigram_search"),
        ("customers", "0003_passport"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="customer",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper(ticketing.core.search.Unaccented("first_name")),
                    name="gin_trgm_ops",
                ),
                name="customer_first_name_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper(ticketing.core.search.Unaccented("last_name")),
                    name="gin_trgm_ops",
                ),
                name="customer_last_name_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("email"), name="gin_trgm_ops"
                ),
                name="customer_email_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass("phone", name="gin_trgm_ops"),
                name="customer_phone_trgm",
            ),
        ),
    ]
