"""The dashboard's server: its settings, and a bad one stopping the start with one French message."""

import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.settings import SettingsError, server_settings
from tests.conftest import ROOT


def test_defaults_answer_only_loopback_and_the_server_name():
    config = server_settings({"PMO_SERVER_NAME": "pmo.intradef.gouv.fr"})
    assert (config.host, config.port) == ("127.0.0.1", 8501)
    assert config.allowed_hosts == ("localhost", "127.0.0.1", "::1", "pmo.intradef.gouv.fr")
    assert config.frame_ancestors == ()


def test_a_listed_host_list_replaces_the_default():
    config = server_settings({"PMO_ALLOWED_HOSTS": " PMO.intradef.gouv.fr, *.terre.defense.fr ", "PMO_PORT": "8601"})
    assert config.allowed_hosts == ("pmo.intradef.gouv.fr", "*.terre.defense.fr")
    assert config.port == 8601


def test_the_cache_folder_is_the_users_unless_a_setting_names_one(monkeypatch, tmp_path):
    monkeypatch.delenv("PMO_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert server_settings().cache_dir == tmp_path / "cache" / "pmo-dashboard"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert server_settings().cache_dir == tmp_path / ".cache" / "pmo-dashboard"
    assert server_settings({"PMO_CACHE_DIR": "/srv/pmo/cache"}).cache_dir == Path("/srv/pmo/cache")


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("PMO_PORT", "huit mille", "PMO_PORT"),
        ("PMO_PORT", "70000", "PMO_PORT"),
        ("PMO_ALLOWED_HOSTS", "pmo.intradef.gouv.fr, pmo intradef", "« pmo intradef »"),
        ("PMO_ALLOWED_HOSTS", "http://pmo.intradef.gouv.fr", "« http://pmo.intradef.gouv.fr »"),
        ("PMO_FRAME_ANCESTORS", "portail.intradef.gouv.fr", "« portail.intradef.gouv.fr »"),
        ("PMO_HOST", "0.0.0.0/0", "PMO_HOST"),
        ("PMO_TRUSTED_USER_HEADER", "X Remote User", "PMO_TRUSTED_USER_HEADER"),
    ],
)
def test_a_bad_setting_is_named_with_its_fix(variable, value, named):
    with pytest.raises(SettingsError, match="par exemple") as error:
        server_settings({variable: value})
    assert named in str(error.value)


def test_a_bad_setting_stops_the_start_with_one_french_line_and_no_traceback():
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.server", "--allowed-hosts", "pmo.intradef.gouv.fr;localhost"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "Le serveur ne démarre pas : PMO_ALLOWED_HOSTS : « pmo.intradef.gouv.fr;localhost » n'est pas un nom d'hôte. "
        "Donnez des noms séparés par des virgules, par exemple « pmo.intradef.gouv.fr,localhost » "
        "(ou « *.intradef.gouv.fr »)."
    ]
