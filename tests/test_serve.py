"""The dashboard's server sends each message at once (Nagle's algorithm is off on its connections) and keeps idle
connections longer than the reverse proxy of the deployment recipe does."""

import re
import socket
import threading
import time

import pytest

from bench.server import _free_port
from dashboard.server import uvicorn_config
from dashboard.settings import ServerSettings
from tests.conftest import ROOT


async def _hello(scope, receive, send):
    if scope["type"] == "lifespan":
        while (message := await receive())["type"] != "lifespan.shutdown":
            await send({"type": message["type"] + ".complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_connections_to_the_server_have_nagle_off(address):
    if address == "::1" and not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    import uvicorn

    server = uvicorn.Server(uvicorn_config(_hello, ServerSettings(host=address, port=_free_port())))
    server.install_signal_handlers = lambda: None  # not the main thread
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
            time.sleep(0.05)
        with socket.create_connection((address, server.config.port), timeout=10) as client:
            client.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert client.recv(1024).startswith(b"HTTP/1.1 200")
            # The connection stays open (keep-alive): read Nagle's flag on the server's side of it.
            (connection,) = server.server_state.connections
            accepted = connection.transport.get_extra_info("socket")
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        server.should_exit = True
        thread.join(15)


def test_an_idle_connection_is_kept_longer_than_nginx_keeps_its_own_to_the_replicas():
    """Else nginx sends a request on a connection the replica is closing, counts the replica as failing and, after
    three such failures, sends the replica's sessions to the other one (seen in the deployment test)."""
    template = (ROOT / "deploy" / "nginx.conf.template").read_text()
    upstream = re.search(r"upstream pmo_replicas \{(.*?)\n\}", template, re.S).group(1)
    nginx_seconds = int(re.search(r"^\s*keepalive_timeout (\d+)s;", upstream, re.M).group(1))
    assert uvicorn_config(_hello, ServerSettings()).timeout_keep_alive > nginx_seconds
