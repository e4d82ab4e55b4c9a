"""Password guessing on the admin: 5 wrong passwords lock that user at that address for 15 minutes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client

PASSWORD = "the-right-long-password"
GUESSER = "203.0.113.7"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor():
    user = User.objects.create_user("eddie", password=PASSWORD, is_staff=True)
    user.groups.set(Group.objects.filter(name="Editors"))
    return user


def sign_in(password: str, address: str = GUESSER, language: str = "en", username: str = "eddie"):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
    return response, client


def guess_wrong(times: int, address: str = GUESSER) -> None:
    for attempt in range(times):
        response, _ = sign_in(f"wrong-{attempt}", address)
        # The login form again with its error; the fifth failure already answers the lockout page.
        assert response.status_code == (429 if attempt == 4 else 200)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_four_wrong_passwords_then_the_right_one_signs_in(editor):
    guess_wrong(4)
    response, client = sign_in(PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_after_five_wrong_passwords_even_the_right_one_is_refused(editor):
    guess_wrong(5)
    response, client = sign_in(PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert "Sign-in locked" in response.content.decode() and "15 minutes" in response.content.decode()


def test_the_lockout_page_speaks_dutch(editor):
    guess_wrong(5)
    response, _ = sign_in(PASSWORD, language="nl")
    assert response.status_code == 429
    assert "Aanmelden geblokkeerd" in response.content.decode()


def test_the_lock_is_per_user_and_address(editor):
    guess_wrong(5)
    response, client = sign_in(PASSWORD, address="198.51.100.20")
    assert response.status_code == 302 and signed_in(client)


def test_a_forged_forwarded_for_does_not_escape_the_lock(editor):
    guess_wrong(5)
    client = Client(REMOTE_ADDR=GUESSER, HTTP_X_FORWARDED_FOR="192.0.2.99")
    response = client.post("/admin/login/", {"username": "eddie", "password": PASSWORD})
    assert response.status_code == 429


def test_the_lock_lifts_after_fifteen_minutes(editor):
    guess_wrong(5)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    response, client = sign_in(PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_an_editor_lifts_the_lock_in_the_admin(editor):
    guess_wrong(5)
    colleague = User.objects.create_user("erin", password=PASSWORD, is_staff=True)
    colleague.groups.set(Group.objects.filter(name="Editors"))
    admin = Client()
    admin.force_login(colleague)
    attempt = AccessAttempt.objects.get(username="eddie")
    response = admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert sign_in(PASSWORD)[0].status_code == 302


def test_the_axes_reset_command_lifts_the_lock(editor):
    guess_wrong(5)
    call_command("axes_reset", verbosity=0)
    assert sign_in(PASSWORD)[0].status_code == 302
