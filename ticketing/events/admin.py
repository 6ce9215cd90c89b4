from django.contrib import admin

from .models import Event, EventFee, Seat, Table, Zone


class EventFeeInline(admin.TabularInline):
    model = EventFee
    extra = 0


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0
    fields = [
        "name",
        "kind",
        "base_price",
        "capacity",
        "rows",
        "seats_per_row",
        "tables_count",
        "chairs_per_table",
    ]
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "venue", "starts_at", "status", "currency"]
    list_filter = ["status", "currency"]
    search_fields = ["name", "venue__name"]
    inlines = [EventFeeInline, ZoneInline]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "kind", "base_price", "sold_count"]
    list_filter = ["kind"]
    search_fields = ["name", "event__name"]


@admin.register(Table)
class TableAdmin(admin.ModelAdmin):
    list_display = ["zone", "number", "chairs", "sold_whole"]
    list_select_related = ["zone"]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["label", "zone", "status", "block_reason"]
    list_filter = ["status"]
    list_select_related = ["zone"]
    search_fields = ["row_label", "zone__name"]
    raw_id_fields = ["event", "zone", "table"]


@admin.register(EventFee)
class EventFeeAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "rate_percent"]
