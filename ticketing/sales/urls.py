from django.urls import path

from . import views

app_name = "sales"

urlpatterns = [
    path("", views.box_office_index, name="index"),
    path("events/<int:pk>/", views.box_office, name="box_office"),
    path("events/<int:pk>/map/", views.box_office_map, name="map"),
    path("events/<int:pk>/hold/", views.hold, name="hold"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<uuid:public_id>/", views.order_detail, name="order"),
    path("orders/<uuid:public_id>/tickets.pdf", views.tickets_pdf, name="tickets_pdf"),
    path("orders/<uuid:public_id>/tickets/<int:ticket_pk>/release/", views.release, name="release"),
    path("orders/<uuid:public_id>/customer/", views.attach_customer, name="attach_customer"),
    path("orders/<uuid:public_id>/cancel/", views.cancel, name="cancel"),
    path("orders/<uuid:public_id>/expire/", views.expire, name="expire"),
    path("orders/<uuid:public_id>/extend/", views.extend, name="extend"),
    path("orders/<uuid:public_id>/payment-fields/", views.payment_fields, name="payment_fields"),
    path("orders/<uuid:public_id>/payments/", views.add_payment, name="add_payment"),
    path(
        "orders/<uuid:public_id>/payments/<str:payment_id>/delete/",
        views.remove_payment,
        name="remove_payment",
    ),
    path("orders/<uuid:public_id>/complete/", views.complete, name="complete"),
    path("orders/<uuid:public_id>/void/", views.void, name="void"),
    path("orders/<uuid:public_id>/email/", views.email_tickets, name="email_tickets"),
]
