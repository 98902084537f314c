"""The store's tables, read once per version and shared by every session.

`st.cache_resource` hands every session the same Arrow table (read-only);
`st.cache_data` would unpickle a copy on every rerun.
"""

from __future__ import annotations

import pyarrow as pa
import streamlit as st

from dashboard import freshness
from dashboard.query import prepare_actions
from dashboard.seed import open_store
from dashboard.settings import store_root
from dashboard.store import Store


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
def _data_version(root: str, versions: tuple[int, ...]) -> freshness.DataVersion:
    return freshness.data_version(_store(root))


def actions() -> pa.Table:
    """The current actions with their derived columns (region, year, duration, person-days)."""
    root = store_root()
    return _actions(root, _versions(root)[0])


def meetings() -> pa.Table:
    root = store_root()
    return _meetings(root, _versions(root)[1])


def data_version() -> freshness.DataVersion:
    """The versions in force, the date of their commit, and whether the actions are the demo data."""
    root = store_root()
    return _data_version(root, _versions(root))


def is_demo() -> bool:
    """Whether the actions started from the embedded demo data."""
    return data_version().demo


def refresh() -> None:
    """Forget the known versions, after this process committed a new one."""
    _versions.clear()
