from django.contrib import admin

from ticketing.sales.admin import ReadOnlyAdmin

from .models import ControlNumberSettings, CreditNote, Invoice, InvoiceSeries


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    """Issued documents are immutable (database triggers); the admin only reads them."""

    list_display = ["series", "number", "control_number", "issued_at", "buyer_name", "total_ves"]
    search_fields = ["number", "control_number", "buyer_name", "buyer_id_document"]


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ["series", "number", "control_number", "issued_at", "invoice", "total_ves"]


@admin.register(InvoiceSeries)
class InvoiceSeriesAdmin(ReadOnlyAdmin):
    list_display = ["code", "document_type", "next_number"]


@admin.register(ControlNumberSettings)
class ControlNumberSettingsAdmin(ReadOnlyAdmin):
    list_display = ["provider", "prefix", "range_start", "range_end", "next_number"]
