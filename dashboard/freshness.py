"""Which version of the data a page or an export shows, the date of its commit, and whether it is demo data.

Read from the store's history: every import and restore is a commit of its
own, so the newest commit of a table dates what the pages show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dashboard import i18n
from dashboard.i18n import N_, _
from dashboard.store import DEMO_KEY, Commit, Store

FICTIONAL = N_("données fictives")
_PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class TableVersion:
    table: str
    version: int
    committed: dt.datetime  # aware, UTC


@dataclass(frozen=True)
class DataVersion:
    """The versions of the actions and the meetings in force, and whether the actions are the demo data."""

    actions: TableVersion | None
    meetings: TableVersion | None
    demo: bool

    @property
    def committed(self) -> dt.datetime | None:
        """The newest commit of either table."""
        times = [t.committed for t in (self.actions, self.meetings) if t is not None]
        return max(times) if times else None

    def date(self) -> dt.date | None:
        """The day of the newest commit, in Paris."""
        return self.committed.astimezone(_PARIS).date() if self.committed else None

    def text(self) -> str:
        """`données au 21 nov. 2026, version 12 (rencontres : version 3)`, with `données fictives` for demo data.

        The version is the actions'; the meetings' is named when it differs.
        """
        if self.actions is None and self.meetings is None:
            return _("aucune donnée enregistrée")
        words = _("données au {date}").format(date=i18n.date(self.date()))
        if self.actions is not None:
            words += _(", version {version}").format(version=self.actions.version)
            if self.meetings is not None and self.meetings.version != self.actions.version:
                words += _(" (rencontres : version {version})").format(version=self.meetings.version)
        elif self.meetings is not None:
            words += _(", rencontres version {version}").format(version=self.meetings.version)
        return words + (" – " + _(FICTIONAL) if self.demo else "")


def table_version(history: list[Commit], table: str) -> TableVersion | None:
    """The version in force of a table from its history (newest first); None for a table not yet created."""
    if not history:
        return None
    return TableVersion(table, history[0].version, history[0].timestamp)


def is_demo(history: list[Commit]) -> bool:
    """Whether a table started from the embedded demo data (its first commit says so)."""
    return bool(history) and history[-1].metadata.get(DEMO_KEY) == "1"


def data_version(store: Store) -> DataVersion:
    """The data version of `store` as it stands now (reads both tables' commit logs)."""
    actions = store.history("actions")
    meetings = store.history("meetings")
    return DataVersion(table_version(actions, "actions"), table_version(meetings, "meetings"), is_demo(actions))
