from django.contrib import admin

from .models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["date", "currency", "ves_per_unit", "created_by", "updated_at"]
    list_filter = ["currency"]
    date_hierarchy = "date"
