"""Who may refresh the data: the admin page is off (and says how to turn it on) without a sign-in configured,
asks for a sign-in when one is, and shows nothing a viewer could use to change the data until then."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import refresh
from dashboard.app import admin
from tests.helpers import AREA_DIR, ROOT, TIMEOUT_S

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret",
    "client_id": "dashboard",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
}
ADMINS = {"accounts": ["Lead@Example.org", "analyst@example.org"]}


def admin_page(secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=TIMEOUT_S)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    return at.run()


def test_without_configuration_the_page_is_off_and_says_how_to_turn_it_on(app_data):
    at = admin_page()
    assert not at.exception
    (info,) = at.info
    assert "The admin page is **off**" in info.value and "[auth]" in info.value and "[admin]" in info.value
    assert not at.get("file_uploader") and not at.button and not at.dataframe


def test_with_sign_in_configured_a_viewer_must_sign_in_and_sees_no_upload(app_data):
    at = admin_page({"auth": AUTH, "admin": ADMINS})
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.get("file_uploader") and not at.dataframe and not at.info


@pytest.mark.parametrize(
    ("secrets", "on"),
    [
        ({}, False),
        ({"auth": AUTH}, False),  # no admin listed: nobody could use it
        ({"admin": ADMINS}, False),  # no sign-in: nobody could be told apart
        ({"auth": {**AUTH, "client_secret": ""}, "admin": ADMINS}, False),
        ({"auth": AUTH, "admin": ADMINS}, True),
    ],
)
def test_the_page_is_on_only_with_sign_in_and_an_allow_list(secrets, on, monkeypatch):
    monkeypatch.delenv(admin.ACCOUNTS_ENV, raising=False)
    assert admin.enabled(secrets) is on


def test_only_listed_verified_accounts_are_admins():
    secrets = {"auth": AUTH, "admin": ADMINS}
    assert admin.is_admin({"email": "lead@example.org"}, secrets)
    assert not admin.is_admin({"email": "viewer@example.org"}, secrets)
    assert not admin.is_admin({"email": "lead@example.org", "email_verified": False}, secrets)
    assert not admin.is_admin({}, secrets)


def test_an_upload_refreshes_as_the_command_line_does_keeping_only_the_files_own_name(tmp_path, monkeypatch):
    monkeypatch.setenv("SEND_PUBLISHED_DIR", str(tmp_path / "no_releases"))
    data, state = tmp_path / "data", tmp_path / "state"
    shutil.copytree(AREA_DIR, data)
    content = (AREA_DIR / "spending.csv").read_bytes()
    code, report = admin.submit(
        [("../../etc/spending.csv", content)], "lead@example.org", data_dir=data, state_dir=state
    )
    assert code == 0 and "LIVE: refresh" in report
    entry = refresh.history(refresh.Folders(data, state))[-1]
    assert entry["by"] == "lead@example.org" and entry["files"][0]["name"] == "spending.csv"
    code, report = admin.submit(
        [("spending.csv", b"PK\x03\x04xlsx")], "lead@example.org", data_dir=data, state_dir=state
    )
    assert code == 2 and "Excel workbook" in report
    assert (data / "spending.csv").read_bytes() == content
