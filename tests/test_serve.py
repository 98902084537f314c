"""The dashboard's server sends each message at once: Nagle's algorithm is off on its connections."""

import asyncio
import socket

import pytest
from streamlit.web.server.starlette import starlette_server

from dashboard.ui.serve import with_tcp_protocol
from tests.conftest import outside_the_browser_loop


async def _nodelay_of_accepted_connection(listening: socket.socket) -> int:
    accepted: asyncio.Future = asyncio.get_running_loop().create_future()

    async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.set_result(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(on_connection, sock=listening)
    async with server:
        _, writer = await asyncio.open_connection(*listening.getsockname()[:2])
        nodelay = await asyncio.wait_for(accepted, 10)
        writer.close()
    return nodelay


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_connections_to_the_served_socket_have_nagle_off(address):
    try:
        listening = with_tcp_protocol(starlette_server._bind_socket)(address, 0, 8)
    except OSError:
        pytest.skip(f"no {address} on this machine")
    assert listening.proto == socket.IPPROTO_TCP
    assert outside_the_browser_loop(asyncio.run, _nodelay_of_accepted_connection(listening)) == 1


def test_streamlits_own_socket_leaves_nagle_on_which_is_why_the_dashboard_wraps_it():
    # If Streamlit fixes its socket, this fails: `dashboard.ui.serve` can then go.
    listening = starlette_server._bind_socket("127.0.0.1", 0, 8)
    assert outside_the_browser_loop(asyncio.run, _nodelay_of_accepted_connection(listening)) == 0
