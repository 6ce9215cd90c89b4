from django.contrib import admin

from .models import AuditEntry, Order, Payment, Ticket


class ReadOnlyAdmin(admin.ModelAdmin):
    """Sales change only through the services (holds, completion, voids): the admin reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TicketInline(admin.TabularInline):
    model = Ticket
    extra = 0
    fields = ["label", "price", "status", "code"]
    readonly_fields = fields
    can_delete = False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    fields = ["method", "currency", "amount", "amount_ves"]
    readonly_fields = fields
    can_delete = False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "event", "status", "channel", "customer", "total_ves", "created_at"]
    list_filter = ["status", "channel"]
    search_fields = ["public_id", "customer__id_document"]
    inlines = [TicketInline, PaymentInline]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["label", "event", "status", "price", "code"]
    list_filter = ["status"]
    search_fields = ["code", "label"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["order", "method", "currency", "amount", "amount_ves"]
    list_filter = ["method"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "actor", "order"]
    list_filter = ["action"]
