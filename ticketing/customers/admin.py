from django.contrib import admin

from .models import Customer


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["id_document", "first_name", "last_name", "phone", "email"]
    search_fields = ["id_document", "first_name", "last_name", "phone", "email"]
