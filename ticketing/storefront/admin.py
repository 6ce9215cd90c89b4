from django.contrib import admin

from .models import OnlineSalesSettings


@admin.register(OnlineSalesSettings)
class OnlineSalesSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "card_enabled", "pago_movil_enabled", "zelle_enabled", "updated_at"]
