"""Serve the dashboard: Streamlit's own `streamlit run app.py`, with Nagle's algorithm off.

    python -m dashboard.ui.serve                       # streamlit run app.py
    python -m dashboard.ui.serve --server.port 8600    # any `streamlit run` option

Streamlit 1.67 binds its listening socket as `socket.socket(family)`, whose
protocol number reads 0, and asyncio turns TCP_NODELAY on only for connections
whose protocol reads IPPROTO_TCP. With Nagle's algorithm left on, the messages
of a rerun wait for the browser to acknowledge the first one, and Linux delays
that acknowledgement by 40 ms: every filter change took 40 ms more than its
work (bench/FINDINGS.md). `streamlit run app.py` still works, with that delay.
"""

from __future__ import annotations

import functools
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"

Bind = Callable[[str, int, int], socket.socket]


def with_tcp_protocol(bind: Bind) -> Bind:
    """Wrap Streamlit's socket binding so that the listening socket says it is TCP."""

    @functools.wraps(bind)
    def bound(address: str, port: int, backlog: int) -> socket.socket:
        listening = bind(address, port, backlog)
        if listening.proto != 0 or listening.family not in (socket.AF_INET, socket.AF_INET6):
            return listening
        # The same file descriptor, declared as TCP: accepted connections inherit it.
        tcp = socket.socket(listening.family, listening.type, socket.IPPROTO_TCP, fileno=listening.detach())
        tcp.setblocking(False)
        tcp.set_inheritable(True)
        return tcp

    return bound


def main(argv: Sequence[str] | None = None, script: Path = APP) -> None:
    """`streamlit run script` with the options in `argv` (default: the command line)."""
    from streamlit.web import cli
    from streamlit.web.server.starlette import starlette_server

    starlette_server._bind_socket = with_tcp_protocol(starlette_server._bind_socket)
    options = list(sys.argv[1:] if argv is None else argv)
    cli.main(["run", str(script), *options], prog_name="streamlit")


if __name__ == "__main__":
    main()
