"""Indexes for the searches of the list of sales (core migration 0003 has pg_trgm and
immutable_unaccent)."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
import ticketing.core.search
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_trigram_search'),
        ('fiscal', '0005_test_series_and_credit_note_issuer'),
        ('sales', '0007_order_newest_first_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='invoice',
            index=models.Index(fields=['number'], name='invoice_number'),
        ),
        migrations.AddIndex(
            model_name='invoice',
            index=models.Index(fields=['buyer_id_document'], name='invoice_buyer_document', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='invoice',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper(ticketing.core.search.Unaccented('buyer_name')), name='gin_trgm_ops'), name='invoice_buyer_name_trgm'),
        ),
        migrations.AddIndex(
            model_name='invoice',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass('control_number', name='gin_trgm_ops'), name='invoice_control_number_trgm'),
        ),
    ]
