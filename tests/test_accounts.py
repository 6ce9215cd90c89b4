import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests.conftest import OWNER_PASSWORD
from tests.factories import PASSWORD
from ticketing.accounts import services
from ticketing.accounts.models import User
from ticketing.accounts.roles import Role


@pytest.fixture
def owner(in_acme):
    return User.objects.get(email="owner@acme.test")


def test_invitation_creates_an_account_without_password_and_mails_a_link(
    owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.invite_staff(
            email="  Ana@Example.TEST ", full_name="Ana Pérez", role=Role.SELLER, invited_by=owner
        )

    assert invited.email == "ana@example.test"
    assert not invited.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.test"]
    assert "Acme Eventos" in message.subject
    assert "http://acme.localhost:8000/accounts/password/reset/key/" in message.body
    assert "Taquilla" in message.body
    assert message.alternatives and "Elegir mi contraseña" in message.alternatives[0][0]


def test_invited_person_chooses_a_password_with_the_link_and_signs_in(
    owner, client_for, acme, django_capture_on_commit_callbacks
):
    invited = services.invite_staff(
        email="bea@example.test", full_name="Bea", role=Role.DOOR, invited_by=owner
    )
    client = client_for(acme)
    response = client.get(services.first_login_path(invited), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else None
    assert response.status_code == 200
    assert form_url

    response = client.post(
        form_url, {"password1": "una-clave-larga-2026", "password2": "una-clave-larga-2026"}, follow=True
    )
    # Signed in at once, on the panel: not a "password changed" page with nowhere to go.
    assert response.redirect_chain[-1][0] == "/panel/"
    assert "Hola, Bea" in response.content.decode()

    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "bea@example.test", "password": "una-clave-larga-2026"}
    )
    assert response.status_code == 302
    assert client.get("/panel/").status_code == 200


def test_an_invitation_link_dies_when_the_account_is_deactivated(owner, client_for, acme):
    invited = services.invite_staff(
        email="ex@example.test", full_name="Ex", role=Role.SELLER, invited_by=owner
    )
    link = services.first_login_path(invited)
    services.deactivate_staff(member=invited, deactivated_by=owner)

    response = client_for(acme).get(link, follow=True)

    assert "El enlace para restablecer la contraseña es inválido" in response.content.decode()
    invited.refresh_from_db()
    assert invited.invitation_pending and not invited.is_active


def test_an_e_mail_can_only_be_invited_once(owner):
    services.invite_staff(email="c@example.test", full_name="C", role=Role.SELLER, invited_by=owner)
    with pytest.raises(ValidationError) as error:
        services.invite_staff(email="C@example.test", full_name="C", role=Role.SELLER, invited_by=owner)
    assert "email" in error.value.message_dict


def test_the_last_owner_can_be_neither_demoted_nor_deactivated(owner, staff_in, acme):
    manager = staff_in(acme, Role.MANAGER)

    with pytest.raises(services.LastOwnerError):
        services.change_role(member=owner, role=Role.MANAGER, changed_by=owner)
    with pytest.raises(services.LastOwnerError):
        services.deactivate_staff(member=owner, deactivated_by=manager)

    owner.refresh_from_db()
    assert owner.role == Role.OWNER and owner.is_active


def test_an_owner_can_step_down_once_another_owner_exists(owner, staff_in, acme):
    second = staff_in(acme, Role.MANAGER)
    services.change_role(member=second, role=Role.OWNER, changed_by=owner)

    services.change_role(member=owner, role=Role.SELLER, changed_by=second)

    assert User.objects.get(pk=owner.pk).role == Role.SELLER


def test_nobody_deactivates_their_own_account(owner, staff_in, acme):
    staff_in(acme, Role.OWNER)
    with pytest.raises(ValidationError):
        services.deactivate_staff(member=owner, deactivated_by=owner)


def test_a_deactivated_account_cannot_sign_in(owner, staff_in, acme, client_for):
    seller = staff_in(acme, Role.SELLER)
    services.deactivate_staff(member=seller, deactivated_by=owner)

    response = client_for(acme).post("/accounts/login/", {"login": seller.email, "password": PASSWORD})

    assert response.status_code != 302 or "/accounts/inactive/" in response["Location"]
    assert client_for(acme).get("/panel/").status_code == 302


def test_staff_page_invites_and_shows_errors_next_to_the_field(owner, acme, client_for):
    client = client_for(acme, owner)

    page = client.get("/panel/staff/")
    assert page.status_code == 200
    assert "Invitar a una persona" in page.content.decode()

    bad = client.post(
        "/panel/staff/invite/",
        {"full_name": "", "email": "no-es-correo", "role": "seller"},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 422
    html = bad.content.decode()
    assert 'id="id_email_error"' in html and 'id="id_full_name_error"' in html

    good = client.post(
        "/panel/staff/invite/",
        {"full_name": "Carla Díaz", "email": "carla@example.test", "role": "manager"},
        HTTP_HX_REQUEST="true",
    )
    assert good.status_code == 200
    assert "carla@example.test" in good.content.decode()
    assert "Invitación pendiente" in good.content.decode()


def test_staff_page_refuses_to_remove_the_last_owner_with_a_message(owner, acme, client_for):
    client = client_for(acme, owner)

    response = client.post(f"/panel/staff/{owner.pk}/role/", {"role": "seller"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 409
    assert "al menos un propietario activo" in response.content.decode()
    assert User.objects.get(pk=owner.pk).role == Role.OWNER


def test_owner_changes_a_role_and_deactivates_and_reactivates(owner, acme, client_for, staff_in):
    seller = staff_in(acme, Role.SELLER)
    client = client_for(acme, owner)

    page = client.get("/panel/staff/").content.decode()
    changed = client.post(f"/panel/staff/{seller.pk}/role/", {"role": "door"}, HTTP_HX_REQUEST="true")

    # Applied by its own button after a question, never by the select alone (arrow keys change it).
    row = re.search(rf'<tr id="staff-{seller.pk}">.*?</tr>', page, re.S).group(0)
    assert 'hx-trigger="change"' not in row and "¿Cambiar el rol de" in row and "Cambiar rol</button>" in row
    assert changed.status_code == 200 and "ahora tiene el rol Control de acceso." in changed.content.decode()
    assert User.objects.get(pk=seller.pk).role == Role.DOOR

    response = client.post(f"/panel/staff/{seller.pk}/deactivate/", HTTP_HX_REQUEST="true")
    assert "Desactivada" in response.content.decode()
    assert not User.objects.get(pk=seller.pk).is_active

    response = client.post(f"/panel/staff/{seller.pk}/reactivate/", HTTP_HX_REQUEST="true")
    assert User.objects.get(pk=seller.pk).is_active


def test_repeated_failed_logins_are_throttled(acme, client_for):
    client = client_for(acme)
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": "owner@acme.test", "password": "mala"})
        assert response.status_code == 200

    response = client.post("/accounts/login/", {"login": "owner@acme.test", "password": OWNER_PASSWORD})

    assert response.status_code == 200
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert client.get("/panel/").status_code == 302  # still signed out, even with the right password


def test_a_stale_security_token_says_the_page_is_out_of_date_not_that_access_is_denied(
    acme, staff_in, client_for
):
    client = client_for(acme, staff_in(acme, Role.SELLER))
    client.handler.enforce_csrf_checks = True

    response = client.post("/panel/customers/new/", {}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN="x" * 32)

    assert response.status_code == 403
    assert response["X-Stale-Page"] == "1"  # static/js/app.js says "recárguela"
    html = response.content.decode()
    assert "Esta página quedó desactualizada" in html and "Acceso denegado" not in html
