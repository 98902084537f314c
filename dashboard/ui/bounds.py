"""Bounds on what one browser session keeps on the server.

A session keeps its widgets' values and what the pages put in `st.session_state`
(an import's report, a chart's selection). The browser sends the selections of
charts and tables as lists of any length, so at the start of every run the
state is measured (`size`, a deep estimate that stops as soon as it is over the
limit); over PMO_MAX_SESSION_MB, everything but the identity is forgotten and
the page says so. The filters' query-string values are bounded by Streamlit
itself (at most 1 000 parameters and 524 288 characters) and checked by each
filter widget against its options (tests/test_hardening.py).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Mapping

import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard import i18n
from dashboard.i18n import _
from dashboard.settings import settings
from dashboard.ui import access

# What a session keeps whatever its size: who it is and what the audit log already has.
KEPT = access.IDENTITY_KEYS
_NOTICE_KEY = "pmo_state_trimmed"
_log = logging.getLogger(__name__)


def size(value: object, limit: float = float("inf")) -> int:
    """An estimate, in bytes, of `value` and everything it holds; stops counting once past `limit`."""
    total = 0
    seen: set[int] = set()
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, pd.DataFrame | pd.Series):
            total += int(item.memory_usage(deep=False).sum()) if isinstance(item, pd.DataFrame) else item.nbytes
            continue
        if isinstance(item, pa.Table | pa.Array | pa.ChunkedArray):
            total += item.nbytes
            continue
        total += sys.getsizeof(item)
        if isinstance(item, str | bytes | bytearray):
            continue
        if isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, Iterable) and isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif hasattr(item, "__dict__"):
            stack.append(vars(item))
    return total


def bound_state() -> None:
    """Forget the session's state, but its identity, when it holds more than PMO_MAX_SESSION_MB."""
    limit = settings().max_session_mb * 1024 * 1024
    state = st.session_state
    held = size({key: state[key] for key in state if key not in KEPT}, limit)
    if held > limit:
        for key in [k for k in state if k not in KEPT]:
            del state[key]
        state[_NOTICE_KEY] = True
        _log.warning("session state over %s MB: cleared", settings().max_session_mb)
    if state.get(_NOTICE_KEY):
        limit = settings().max_session_mb
        st.warning(
            _(
                "Cette session gardait plus de {size} Mo de sélections : elles ont été effacées. "
                "Les filtres et les choix reprennent leurs valeurs par défaut."
            ).format(size=i18n.number(limit, 0 if float(limit).is_integer() else 1)),
            icon=":material/data_alert:",
        )
        del state[_NOTICE_KEY]
