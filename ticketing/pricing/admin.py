from django.contrib import admin

from .models import PriceStage, RowPricing


@admin.register(PriceStage)
class PriceStageAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "sequence", "starts_at", "ends_at", "quantity_limit", "markup_percent"]
    list_filter = ["event"]


@admin.register(RowPricing)
class RowPricingAdmin(admin.ModelAdmin):
    list_display = ["zone", "first_row", "last_row", "percent"]
