from django.urls import path

from . import views

app_name = "fiscal"

urlpatterns = [
    path("invoices/<int:pk>.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/receipt/", views.invoice_receipt, name="invoice_receipt"),
    path("credit-notes/<int:pk>.pdf", views.credit_note_pdf, name="credit_note_pdf"),
    path("settings/", views.control_settings, name="settings"),
    path("settings/issuer/", views.issuer_settings, name="issuer_settings"),
]
