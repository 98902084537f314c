"""The store on S3-compatible object storage (moto's server): the same versions, history and restore as on disk,
settings that refuse an unsafe or incomplete configuration, and one French sentence when the store is out of reach."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from deltalake import write_deltalake

from dashboard import ingest
from dashboard.seed import open_store
from dashboard.settings import SettingsError, s3_options
from dashboard.store import SAFE_COMMITS, Store, StoreUnavailable
from tests import objectstore
from tests.files import make_corpus

ROOT = Path(__file__).resolve().parent.parent


def test_an_import_on_s3_is_a_version_with_its_history_and_can_be_restored(s3_root, monkeypatch):
    monkeypatch.setenv("PMO_DEMO", "0")
    store = open_store(s3_root)
    assert store.storage_options["conditional_put"] == "etag"
    data = make_corpus.csv_text(make_corpus.FR, make_corpus.numbered_actions("S3", 40)).encode()
    _, result = ingest.import_bytes("s3.csv", data, store, user="bri")
    assert (result.version, result.inserted) == (1, 40)

    again = Store(s3_root)  # another process would see the same
    assert again.version("actions") == 1
    assert sorted(again.read("actions").column("action_id").to_pylist())[:2] == ["S3-0000", "S3-0001"]
    assert [c.metadata.get("file") for c in again.history("actions")][:1] == ["s3.csv"]
    assert again.restore("actions", 0, metadata={"user": "admin"}) == 2
    assert Store(s3_root).read("actions").num_rows == 0


def test_a_commit_never_replaces_the_one_another_replica_made_first(s3_root, monkeypatch):
    """Two writers holding the same version both commit: the second lands on top, both rows stay."""
    monkeypatch.setenv("PMO_DEMO", "0")
    store = open_store(s3_root)
    first, second = Store(s3_root), Store(s3_root)
    a, b = (make_corpus.csv_text(make_corpus.FR, make_corpus.numbered_actions(p, 1)).encode() for p in "AB")
    stale = second._open("actions")  # read before the first writer commits
    ingest.import_bytes("a.csv", a, first, user="a")
    # an append from the old snapshot: it must land as version 2, not overwrite version 1
    write_deltalake(stale, ingest.analyse("b.csv", b).valid_rows(), mode="append")
    assert store.version("actions") == 2
    assert sorted(store.read("actions").column("action_id").to_pylist()) == ["A-0000", "B-0000"]


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("PMO_S3_SECRET_ACCESS_KEY", "", "définissez PMO_S3_SECRET_ACCESS_KEY"),
        ("PMO_S3_ALLOW_HTTP", "0", "n'est pas chiffré"),
        ("PMO_S3_ENDPOINT", "minio:9000", "donnez l'adresse du stockage objet"),
        ("AWS_S3_ALLOW_UNSAFE_RENAME", "true", "deux imports simultanés"),
    ],
)
def test_an_incomplete_or_unsafe_s3_setting_is_refused_in_french(s3_root, monkeypatch, variable, value, words):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=words):
        s3_options()


def test_the_s3_options_carry_the_settings_and_safe_commits(s3_root, object_store):
    options = Store(s3_root).storage_options
    assert options == {
        "AWS_ENDPOINT_URL": object_store.endpoint,
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": objectstore.KEYS["PMO_S3_ACCESS_KEY_ID"],
        "AWS_SECRET_ACCESS_KEY": objectstore.KEYS["PMO_S3_SECRET_ACCESS_KEY"],
        "AWS_ALLOW_HTTP": "true",
        **SAFE_COMMITS,
    }
    assert "AWS_S3_ALLOW_UNSAFE_RENAME" not in options
    assert Store("data/store").storage_options is None


def test_an_unknown_bucket_is_named(s3_root):
    with pytest.raises(StoreUnavailable, match="Le compartiment « absent » n'existe pas"):
        Store("s3://absent/store").check()
    Store(s3_root).check()  # the bucket of the test exists


def test_an_endpoint_that_does_not_answer_is_named(s3_root, monkeypatch):
    endpoint = f"http://127.0.0.1:{objectstore.free_port()}"
    monkeypatch.setenv("PMO_S3_ENDPOINT", endpoint)
    with pytest.raises(StoreUnavailable, match=f"Le stockage objet {endpoint} ne répond pas .*Connection refused"):
        Store(s3_root).check()


def test_refused_keys_are_named(s3_root, monkeypatch, tmp_path):
    # moto checks keys when asked to: none is known there, so the dashboard's are refused
    strict = objectstore.start(tmp_path / "strict.log", {"INITIAL_NO_AUTH_ACTION_COUNT": "0"})
    try:
        monkeypatch.setenv("PMO_S3_ENDPOINT", strict.endpoint)
        with pytest.raises(StoreUnavailable, match="refuse les clés du tableau de bord pour « pmo »"):
            Store(s3_root).check()
    finally:
        strict.stop()


@pytest.mark.parametrize(
    ("settings", "sentence"),
    [
        ({"PMO_STORE": "s3://absent/store"}, "Le compartiment « absent » n'existe pas"),
        ({"PMO_S3_ACCESS_KEY_ID": ""}, "définissez PMO_S3_ACCESS_KEY_ID"),
        ({"PMO_S3_ENDPOINT": "http://127.0.0.1:9"}, "Le stockage objet http://127.0.0.1:9 ne répond pas"),
    ],
)
def test_the_server_refuses_to_start_on_a_bad_store_setting_with_one_french_sentence(s3_root, settings, sentence):
    env = {**os.environ, **settings}
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.server", "--port", "9"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Le serveur ne démarre pas : "), done.stderr
    assert sentence in lines[0]
    assert "Traceback" not in done.stdout + done.stderr


def test_the_import_command_names_an_unknown_bucket_without_a_traceback(s3_root):
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.ingest", str(ROOT / "tests" / "files" / "good_utf8_semicolon.csv")],
        cwd=ROOT,
        env={**os.environ, "PMO_STORE": "s3://absent/store"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Le compartiment « absent » n'existe pas" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
