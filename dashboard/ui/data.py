"""The store's tables, read once per version and shared by every session.

`st.cache_resource` hands every session the same Arrow table (read-only);
`st.cache_data` would unpickle a copy on every rerun.
"""

from __future__ import annotations

import pyarrow as pa
import streamlit as st

from dashboard.query import prepare_actions
from dashboard.store import Store, open_store, store_root


@st.cache_resource(show_spinner=False)
def _store(root: str) -> Store:
    return open_store(root)


def store() -> Store:
    return _store(store_root())


# A short time-to-live: a version committed by another process or replica is
# picked up within two seconds, without listing the commit log on every rerun.
@st.cache_resource(ttl=2, show_spinner=False)
def _versions(root: str) -> tuple[int, ...]:
    return _store(root).versions()


@st.cache_resource(max_entries=2, show_spinner="Chargement des actions…")
def _actions(root: str, version: int) -> pa.Table:
    return prepare_actions(_store(root).read("actions", version if version >= 0 else None))


@st.cache_resource(max_entries=2, show_spinner="Chargement des rencontres…")
def _meetings(root: str, version: int) -> pa.Table:
    return _store(root).read("meetings", version if version >= 0 else None)


@st.cache_resource(max_entries=2, show_spinner=False)
def _is_demo(root: str, version: int) -> bool:
    history = _store(root).history("actions")
    return bool(history) and history[-1].metadata.get("source") == "données de démonstration"


def actions() -> pa.Table:
    """The current actions with their derived columns (region, year, duration, person-days)."""
    root = store_root()
    return _actions(root, _versions(root)[0])


def meetings() -> pa.Table:
    root = store_root()
    return _meetings(root, _versions(root)[1])


def is_demo() -> bool:
    """Whether the actions started from the embedded demo data."""
    root = store_root()
    return _is_demo(root, _versions(root)[0])


def refresh() -> None:
    """Forget the known versions, after this process committed a new one."""
    _versions.clear()
