from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.staff_list, name="staff"),
    path("invite/", views.staff_invite, name="staff_invite"),
    path("<int:pk>/role/", views.staff_change_role, name="staff_change_role"),
    path("<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("<int:pk>/reactivate/", views.staff_reactivate, name="staff_reactivate"),
    path("<int:pk>/resend/", views.staff_resend_invitation, name="staff_resend"),
]
