from django.urls import path

from . import order_views, views

app_name = "storefront"

urlpatterns = [
    path("", views.index, name="index"),
    path("terminos/", views.terms, name="terms"),
    path("e/<int:pk>/", views.event_page, name="event"),
    path("e/<int:pk>/mapa/", views.event_map, name="map"),
    path("e/<int:pk>/reservar/", views.hold, name="hold"),
    path("compra/<uuid:public_id>/", views.checkout, name="checkout"),
    path("compra/<uuid:public_id>/quitar/<int:ticket_pk>/", views.release, name="release"),
    path("compra/<uuid:public_id>/cancelar/", views.cancel, name="cancel"),
    path("compra/<uuid:public_id>/vencer/", views.expire, name="expire"),
    path("compra/<uuid:public_id>/pago/", views.payment, name="payment"),
    path("pagos/webhook/<slug:provider>/", views.gateway_webhook, name="webhook"),
    path("mi-pedido/<str:token>/", order_views.my_order, name="my_order"),
    path("mi-pedido/<str:token>/entradas.pdf", order_views.tickets_pdf, name="my_tickets_pdf"),
    path("mi-pedido/<str:token>/factura.pdf", order_views.invoice_pdf, name="my_invoice_pdf"),
    path("mi-pedido/<str:token>/nota-de-credito.pdf", order_views.credit_note_pdf, name="my_credit_note_pdf"),
]
