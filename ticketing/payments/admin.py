from django.contrib import admin

from .models import ExchangeRate, WebhookEvent


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["date", "currency", "ves_per_unit", "created_by", "updated_at"]
    list_filter = ["currency"]
    date_hierarchy = "date"


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["provider", "event_id", "received_at"]
    search_fields = ["event_id"]
    readonly_fields = ["provider", "event_id", "received_at", "payload"]
