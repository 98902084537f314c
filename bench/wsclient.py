"""A light client of Streamlit's WebSocket protocol, for timing reruns and for load.

It does what the browser's Streamlit client does on the wire and nothing else:
open `/_stcore/stream`, send a `BackMsg.rerun_script` with the page, the query
string and the widget states, and read `ForwardMsg`s until `script_finished`.
It renders nothing, so twenty of them fit where twenty Chromiums would not.
Widget ids are learnt from the elements the server sends (by user key).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = ForwardMsg.ScriptFinishedStatus
_DONE = {FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR}


@dataclass
class Run:
    """One script run as the client saw it."""

    seconds: float
    bytes_received: int
    messages: int
    status: int
    exceptions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == FINISHED.FINISHED_SUCCESSFULLY and not self.exceptions


class Session:
    """One browser tab's worth of protocol: a WebSocket and the widget states it has set."""

    def __init__(self, base_url: str):
        self.url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.socket: websockets.ClientConnection | None = None
        self.widget_ids: dict[str, str] = {}  # user key -> widget id
        self.values: dict[str, list[str]] = {}  # user key -> chosen options
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.cached: set[str] = set()
        self.query_string = ""
        self.session_id = ""
        self.elements: list[ForwardMsg] = []  # the elements of the last run, as sent

    async def connect(self, resume: str = "") -> None:
        """Open the WebSocket; `resume`: the id of an existing session to reconnect to, as a browser tab does
        after losing its connection (the protocol's third "subprotocol")."""
        subprotocols = ["streamlit", "sans-jeton", resume] if resume else ["streamlit"]
        self.socket = await websockets.connect(
            self.url, subprotocols=subprotocols, max_size=None, compression=None, open_timeout=30
        )

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()

    async def run(self, page: str = "", query_string: str | None = None, timeout: float = 120) -> Run:
        """Rerun the script on `page` (its url path) with the current widget states.

        The query string, like a browser's address, stays until another is given.
        """
        if query_string is not None:
            self.query_string = query_string
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.pages.get(page, "") if page else self.page_hash
        state.page_name = page
        state.cached_message_hashes.extend(sorted(self.cached))
        state.context_info.timezone = "Europe/Paris"
        state.context_info.locale = "fr-FR"
        for key, values in self.values.items():
            if key in self.widget_ids:
                widget = state.widget_states.widgets.add()
                widget.id = self.widget_ids[key]
                widget.string_array_value.data.extend(values)
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        received = count = 0
        exceptions: list[str] = []
        self.elements = []
        while True:
            frame = await asyncio.wait_for(self.socket.recv(), timeout)
            received += len(frame)
            count += 1
            msg = ForwardMsg()
            msg.ParseFromString(frame)
            kind = msg.WhichOneof("type")
            if msg.metadata.cacheable and msg.hash:
                self.cached.add(msg.hash)
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id
            elif kind == "delta":
                self._learn(msg, exceptions)
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "page_not_found":
                exceptions.append(f"page not found: {msg.page_not_found.page_name}")
            elif kind == "script_finished" and msg.script_finished in _DONE:
                return Run(time.perf_counter() - started, received, count, msg.script_finished, exceptions)

    def _learn(self, msg: ForwardMsg, exceptions: list[str]) -> None:
        if msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        self.elements.append(msg)
        kind = element.WhichOneof("type")
        if kind == "exception":
            exceptions.append(f"{element.exception.type}: {element.exception.message}")
            return
        widget = getattr(element, kind, None)
        widget_id = getattr(widget, "id", "")
        # A widget with a user key carries it at the end of its id.
        if widget_id and "-" in widget_id:
            self.widget_ids[widget_id.rsplit("-", 1)[-1]] = widget_id

    def choose(self, key: str, values: list[str]) -> None:
        """Set a multiselect (by its key) for the next run, as a click in the sidebar would."""
        self.values[key] = list(values)
