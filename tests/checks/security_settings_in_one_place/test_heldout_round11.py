"""security-settings-in-one-place: held-out round 11's CSRF class (abilian-sbe's e-mail
unsubscribe view): a view that checks a signed URL token is gated, beside the same view
reached by the session, which stays. Look-alikes shaped like the real file."""
from __future__ import annotations

from pathlib import Path

from tests.helpers.security import one_place_findings

SIGNED_TOKEN = '''from flask import request

from app.extensions import csrf, db


@route("/unsubscribe/<token>/", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str) -> str:
    expired, invalid, user = get_token_status(token, "unsubscribe")
    if expired or invalid:
        return render_template("invalid-token.html")
    if request.method == "POST":
        preferences.set_preferences(user, daily=False)
        db.session.commit()
    return render_template("unsubscribed.html")
'''
ITSDANGEROUS = '''from flask import request

from app.extensions import csrf, db


@route("/confirm/<token>", methods=["POST"])
@csrf.exempt
def confirm(token):
    try:
        user_id = serializer.loads(token, max_age=3600)
    except BadSignature:
        abort(404)
    user = User.query.get(user_id)
    user.confirmed = True
    db.session.commit()
    return redirect("/")
'''
SESSION = '''from flask import request
from flask_login import current_user

from app.extensions import csrf, db


@route("/unsubscribe/", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe() -> str:
    if request.method == "POST":
        preferences.set_preferences(current_user, daily=False)
        db.session.commit()
    return render_template("unsubscribed.html")
'''


def test_a_signed_url_token_gates_the_exemption(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "notifications/views.py", SIGNED_TOKEN, strict=False) == []
    assert one_place_findings(tmp_path, "accounts/views.py", ITSDANGEROUS, strict=False) == []


def test_the_same_write_for_the_session_user_stays(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "notifications/views.py", SESSION, strict=False) == [(8, ("exempt", "csrf.exempt"))]


# burp-ui's app.py: one chained statement that sets two settings
CHAINED = '''from flask import request


def index():
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = False
'''
TWO_STATEMENTS = '''from flask import request


def index():
    app.config["SESSION_COOKIE_SECURE"] = False
    app.config["REMEMBER_COOKIE_SECURE"] = False
'''


def test_a_chained_assignment_is_one_finding(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "app/hooks.py", CHAINED) == [(5, ("setting", "SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"))]
    assert one_place_findings(tmp_path, "app/hooks.py", CHAINED, strict=False) == []


def test_two_statements_stay_two_findings(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "app/hooks.py", TWO_STATEMENTS) == [
        (5, ("setting", "SESSION_COOKIE_SECURE")), (6, ("setting", "REMEMBER_COOKIE_SECURE"))]


def test_a_config_template_is_config() -> None:
    from hooks.checks.security_settings_in_one_place import HOOK, wants
    from tests.helpers.security import FakeContext

    ctx = FakeContext(HOOK, strict=True)
    assert not wants("misc/keys.sample.py", ctx)  # type: ignore[arg-type]
    assert not wants("deploy/local_settings.example.py", ctx)  # type: ignore[arg-type]
    assert wants("misc/keys.py", ctx)  # type: ignore[arg-type]  # an importable module is still read
    assert wants("scripts/sample.py", ctx)  # type: ignore[arg-type]
