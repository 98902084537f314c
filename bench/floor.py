"""The floor of a page: its own data and chart calls, replayed without Streamlit.

A page is run once under `streamlit.testing` on a small store while a profile
hook records every call the page script makes *directly* into the `dashboard`
package (outside `dashboard.ui`): `query.aggregate(...)`, `charts.per_year(...)`
and so on, with their arguments and results. The floor at size N replays the
same calls on the Arrow tables of the N store, feeding each call the replayed
results of the earlier calls it consumed, and serialises every figure with
`fig.to_json()`, as `st.plotly_chart` must. No Streamlit, no session, no
widgets: what is left is the work the page cannot avoid.
"""

from __future__ import annotations

import inspect
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from dashboard.ui.navigation import ROOT, PageSpec

_SKIPPED_MODULES = ("dashboard.ui",)


@dataclass
class Call:
    function: Callable[..., Any]
    arguments: dict[str, Any]
    varargs: tuple[Any, ...] = ()
    result: Any = None


@dataclass
class Recording:
    """The calls of one script run."""

    calls: list[Call] = field(default_factory=list)


class _TableRef:
    """Stands for a store table in a recording, replaced by the table of the measured size."""

    def __init__(self, name: str):
        self.name = name


def _table_name(value: pa.Table) -> str | None:
    names = value.column_names
    if "action_id" in names and "region" in names:
        return "actions"
    if "meeting_id" in names:
        return "meetings"
    return None


class _Recorder:
    def __init__(self, script: Path):
        self.script = str(script.resolve())
        self.recording = Recording()
        self._open: dict[int, Call] = {}

    def hook(self, frame, event: str, arg: Any) -> None:
        if event == "call":
            caller = frame.f_back
            if caller is None or caller.f_code.co_filename != self.script:
                return
            module = frame.f_globals.get("__name__", "")
            if not module.startswith("dashboard.") or module.startswith(_SKIPPED_MODULES):
                return
            function = frame.f_globals.get(frame.f_code.co_name)
            if not inspect.isfunction(function) or function.__code__ is not frame.f_code:
                return  # a method or a nested function: not a page-level call
            code = frame.f_code
            names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
            arguments = {n: self._ref(frame.f_locals[n]) for n in names if n in frame.f_locals}
            varargs: tuple[Any, ...] = ()
            if code.co_flags & inspect.CO_VARARGS:
                varargs = tuple(frame.f_locals[code.co_varnames[len(names)]])
            call = Call(function, arguments, varargs)
            self._open[id(frame)] = call
            self.recording.calls.append(call)
        elif event == "return" and id(frame) in self._open:
            self._open.pop(id(frame)).result = arg

    @staticmethod
    def _ref(value: Any) -> Any:
        if isinstance(value, pa.Table) and (name := _table_name(value)):
            return _TableRef(name)
        return value


def record(
    spec: PageSpec,
    store_root: Path,
    changes: Sequence[dict[str, list[str]]],
    initial: dict[str, list[str]] | None = None,
) -> list[Recording]:
    """The page's calls on a first load (in the `initial` session state), then after each change of widget values."""
    from streamlit.testing.v1 import AppTest

    os.environ["PMO_STORE"] = str(store_root)
    recorder = _Recorder(ROOT / spec.script)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    if not spec.default:
        at.switch_page(spec.script)
    recordings = []
    for change in [initial or {}, *changes]:
        for key, values in change.items():
            at.session_state[key] = values
        recorder.recording = Recording()
        recorder._open.clear()
        threading.setprofile(recorder.hook)
        sys.setprofile(recorder.hook)
        try:
            at.run()
        finally:
            threading.setprofile(None)
            sys.setprofile(None)
        if at.exception:
            raise RuntimeError(f"{spec.script} failed while recording: {at.exception}")
        recordings.append(recorder.recording)
    return recordings


def replay(recording: Recording, tables: dict[str, pa.Table]) -> float:
    """Seconds to redo the recorded calls on `tables`, serialising every figure."""
    import plotly.graph_objects as go

    from dashboard import query

    results: dict[int, Any] = {}
    # The floor is the cost of the work itself: no result from an earlier replay.
    if hasattr(query, "_RESULTS"):
        query._RESULTS.clear()

    def substitute(value: Any) -> Any:
        if isinstance(value, _TableRef):
            return tables[value.name]
        return results.get(id(value), value)

    started = time.perf_counter()
    for call in recording.calls:
        arguments = {name: substitute(value) for name, value in call.arguments.items()}
        varargs = tuple(substitute(v) for v in call.varargs)
        positional = [arguments.pop(n) for n in list(arguments) if n in _positional_names(call.function)]
        result = call.function(*positional, *varargs, **arguments)
        if not isinstance(call.result, (type(None), bool, int, float, str)):
            results[id(call.result)] = result
        if isinstance(result, go.Figure):
            result.to_json()
    return time.perf_counter() - started


def _positional_names(function: Callable[..., Any]) -> tuple[str, ...]:
    code = function.__code__
    return code.co_varnames[: code.co_argcount] if code.co_flags & inspect.CO_VARARGS else ()
