"""The benchmark suite still runs: a tiny pass on 10k actions (a smoke run, no timing asserted)."""

import json
import os

import pytest

from bench import briefing, coldload, hostile, ingest, report, run
from bench.browser import CHANGES, READER
from bench.browser import measure as measure_in_browser
from bench.stores import ensure_store
from dashboard.ui.navigation import PAGES
from tests.conftest import outside_the_browser_loop

SMOKE_PAGES = ("overview", "about")


@pytest.fixture(scope="session")
def stores(tmp_path_factory: pytest.TempPathFactory):
    """The synthetic stores of this run, in a temporary folder (bench/stores/ keeps the real benchmark's)."""
    return tmp_path_factory.mktemp("bench-stores")


@pytest.fixture
def environment_kept():
    """The benchmark's command sets the servers' settings and the store in its process's environment, for good:
    the environment of this worker is put back as it was after the test."""
    before = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(before)


def test_a_quick_run_measures_each_page_against_its_floor_and_the_naive_baseline(tmp_path, stores, environment_kept):
    out = tmp_path / "results.json"
    outside_the_browser_loop(
        run.main,
        [
            "--sizes",
            "10k",
            "--pages",
            ",".join(SMOKE_PAGES),
            "--quick",
            "--no-browser",
            "--load-size",
            "10k",
            "--sessions",
            "2",
            "--load-seconds",
            "2",
            "--out",
            str(out),
            "--stores",
            str(stores),
        ],
    )
    results = json.loads(out.read_text())
    measured = results["sizes"]["10k"]
    assert measured["rows"] == 10_000
    assert set(measured["pages"]) == set(SMOKE_PAGES)
    for page in measured["pages"].values():
        assert page["errors"] == []
        assert page["first_load_s"]["n"] == 3 and page["change_s"]["median"] > 0
        assert page["floor_change_s"]["median"] > 0
        assert page["protocol_change_bytes"] > 0
    # The overview's floor replays its own queries and charts.
    calls = measured["pages"]["overview"]["floor_calls"]
    assert any(c.startswith("dashboard.query.") for c in calls)
    assert any(c.startswith("dashboard.charts.") for c in calls)
    assert measured["naive_rerun_s"]["median"] > 0
    assert results["bare_rerun_s"]["n"] == 4 and results["bare_rerun_s"]["median"] > 0
    assert results["load"]["errors"] == 0 and results["load"]["reruns"] > 0
    report = out.with_suffix(".md").read_text()
    assert "Vue d'ensemble" in report and "page ÷ floor" in report and "A bare Streamlit rerun" in report


def test_the_import_of_a_file_is_timed_step_by_step(tmp_path, stores):
    measured = ingest.measure(ensure_store("10k", stores), tmp_path, rows=1_000, log=lambda *a: None)
    assert "error" not in measured, measured
    assert measured["steps"]["commit (one merge by key)"] > 0
    assert "500 inserted, 500 updated" in measured["notes"][0]


def test_the_briefing_is_timed_file_by_file(stores):
    measured = briefing.measure(ensure_store("10k", stores), repeats=1, log=lambda *a: None)
    assert measured["rows"] == 10_000 and len(measured["selections"]) == 2
    for selection in measured["selections"].values():
        assert selection["median_s"]["model"] > 0 and selection["median_s"]["pdf"] > 0
        assert selection["pptx_kb"] > 0 and selection["pdf_kb"] > 0


def test_the_refusal_of_a_hostile_file_is_timed_in_a_process_of_its_own(tmp_path):
    measured = hostile.measure(tmp_path, log=lambda *a: None, only=1)
    [(label, bomb)] = [(k, v) for k, v in measured.items() if isinstance(v, dict)]
    assert label.startswith("archive bomb") and bomb["refused"], bomb
    assert bomb["seconds"] > 0 and bomb["peak_mb"] > 0 and measured["baseline_peak_mb"] > 0
    assert "classeur piégé ou corrompu" in bomb["message"]
    assert "| archive bomb" in "\n".join(report.hostile_section(measured))


@pytest.mark.browser
def test_the_browser_measurement_counts_the_bytes_of_a_filter_change(shared, browser):
    """On the demo data's shared server (the benchmark's own serve its synthetic stores the same way)."""
    overview = next(spec for spec in PAGES if spec.default)
    seen = measure_in_browser(browser, shared().url, overview, changes=CHANGES[:2])
    assert seen.seconds_to_first_chart is not None and seen.seconds_to_map is not None
    assert len(seen.bytes_per_change) == 2 and min(seen.bytes_per_change) > 0
    assert seen.outside_requests == []


@pytest.mark.browser
def test_a_first_visit_over_the_intranet_link_is_timed_and_carries_compressed_files(shared, browser):
    """The cold-load benchmark's visit, through Chrome's network emulation: a first visit of the overview with an
    empty cache carries its scripts compressed, within the issue's 3 MB."""
    context = browser.new_context(**READER)
    try:
        first = coldload.visit(context, shared().url, "intranet", "empty")
    finally:
        context.close()
    assert first.seconds_to_first_chart > 0 and first.requests > 20 and first.websocket_bytes > 0
    assert first.bytes <= coldload.TARGETS["bytes"], f"{first.bytes:_} bytes on the wire"


def test_the_log_in_attack_is_measured_and_the_owner_gets_in(capsys):
    from bench import login_attack

    result = login_attack.main(["--tries", "2", "--name-mb", "0.5", "--guesses", "4"])
    assert result["giant_name_answer"] == "HTTP 400", "a 0.5 MB name is refused before the application"
    assert result["audit_bytes_after"] - result["audit_bytes_before"] < 2_000
    assert set(result["guess_answers"]) <= {"incorrect", "attente"}
    assert result["owner_logged_in"]
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1]) == result
