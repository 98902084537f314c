"""The dashboard's web server: Streamlit's ASGI app (`st.App`) on app.py, served by uvicorn.

    python -m dashboard.server                          # http://localhost:8501
    python -m dashboard.server --host 0.0.0.0 --port 8601 --server-name pmo.intradef.gouv.fr

Options default to the settings PMO_HOST, PMO_PORT, PMO_SERVER_NAME,
PMO_ALLOWED_HOSTS (see `dashboard.settings`); a bad value, or a store that
cannot be reached, stops the start with one French message. uvicorn binds the listening socket itself, through
asyncio, which turns Nagle's algorithm off on every connection (Streamlit's own
`streamlit run` leaves it on: each rerun then waited 40 ms for a delayed
acknowledgement, bench/FINDINGS.md).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import streamlit as st
import uvicorn
from starlette.middleware import Middleware

from dashboard import seed
from dashboard.settings import ServerSettings, SettingsError, server_settings, store_root
from dashboard.store import Store, StoreUnavailable
from dashboard.web import account_routes
from dashboard.web.compress import CompressedStatic
from dashboard.web.early import HOST_SCRIPT, EarlyChunks
from dashboard.web.headers import SecurityHeaders, content_security_policy, inline_script_hashes, script_hash
from dashboard.web.icons import IconFont
from dashboard.web.identity import PROXY_USER_KEY
from dashboard.web.plotly_traces import PlotlyTraces
from dashboard.web.uploads import GuardedUploads

APP = Path(__file__).resolve().parent.parent / "app.py"
# The page Streamlit serves for every address of the app.
STREAMLIT_INDEX = Path(st.__file__).parent / "static" / "index.html"


def build(config: ServerSettings, script: Path = APP) -> st.App:
    """The ASGI application: app.py with the dashboard's routes and middleware."""
    from dashboard.ui import printing
    from dashboard.ui.navigation import PAGES

    scripts = [*inline_script_hashes(STREAMLIT_INDEX), script_hash(HOST_SCRIPT), script_hash(printing.SCRIPT)]
    policy = content_security_policy(scripts, config.frame_ancestors)
    return st.App(
        script,
        routes=account_routes.routes(lambda: str(st.get_option("server.cookieSecret"))),
        middleware=[
            Middleware(
                SecurityHeaders,
                allowed_hosts=config.allowed_hosts,
                policy=policy,
                frame_denied=not config.frame_ancestors,
            ),
            Middleware(GuardedUploads),
            Middleware(IconFont),
            Middleware(CompressedStatic),
            Middleware(PlotlyTraces, cache=config.cache_dir),
            Middleware(EarlyChunks, without_charts=[spec.url_path for spec in PAGES if not spec.charts]),
        ],
    )


def configure_streamlit(config: ServerSettings) -> None:
    """Load Streamlit's options as `streamlit run` does: its config.toml files, then the STREAMLIT_* environment
    variables (STREAMLIT_SECRETS_FILES, …), then where the dashboard is served. Call after `build`, which tells
    Streamlit where app.py and its .streamlit/ folder are."""
    import click
    from streamlit.web import bootstrap, cli

    # The `streamlit run` command's own options, read from the environment by click, as it reads them.
    options = click.command()(cli.configurator_options(lambda **flags: flags))
    flags = options.main(args=[], standalone_mode=False, auto_envvar_prefix="STREAMLIT")
    flags.update(
        server_address=config.host,
        server_port=config.port,
        browser_serverAddress=config.server_name,
        browser_serverPort=config.port,
    )
    if config.trusted_user_header:
        # Streamlit reads the header from each WebSocket's handshake and hands it to `st.user`.
        flags["server_trustedUserHeaders"] = {config.trusted_user_header: PROXY_USER_KEY}
    bootstrap.load_config_options(flags)


# How long an idle connection is kept open. Longer than a reverse proxy keeps its idle connections to the replicas
# (deploy/nginx.conf.template: 60 s, as most proxies): with uvicorn's 5 s, nginx sent requests on connections the
# replica was closing, counted the replica as failing and, after three, sent its sessions to the other replica.
KEEP_ALIVE_SECONDS = 75


def uvicorn_config(app: Any, config: ServerSettings) -> uvicorn.Config:
    """How uvicorn serves `app`: it binds the socket itself (so asyncio turns Nagle's algorithm off)."""
    return uvicorn.Config(
        app,
        host=config.host,
        port=config.port,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        # Streamlit's own WebSocket settings (message size, compression), as `streamlit run` applies them.
        ws="websockets-sansio",
        ws_max_size=int(st.get_option("server.maxMessageSize")) * 1024 * 1024,
        ws_per_message_deflate=bool(st.get_option("server.enableWebsocketCompression")),
        access_log=False,
        use_colors=False,
        server_header=False,
    )


def parser() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(prog="python -m dashboard.server", description="Serveur du tableau de bord PMO")
    options.add_argument("--host", help="adresse d'écoute (réglage PMO_HOST, défaut 127.0.0.1)")
    options.add_argument("--port", help="port d'écoute (réglage PMO_PORT, défaut 8501)")
    options.add_argument("--server-name", help="nom d'hôte des utilisateurs (réglage PMO_SERVER_NAME)")
    options.add_argument("--allowed-hosts", help="noms d'hôte acceptés, séparés par des virgules (PMO_ALLOWED_HOSTS)")
    return options


def main(argv: Sequence[str] | None = None, script: Path = APP) -> None:
    args = parser().parse_args(argv)
    try:
        config = server_settings(
            {
                "PMO_HOST": args.host,
                "PMO_PORT": args.port,
                "PMO_SERVER_NAME": args.server_name,
                "PMO_ALLOWED_HOSTS": args.allowed_hosts,
            }
        )
        # an unknown bucket, refused keys or a silent object store: said now, not to the first visitor
        Store(store_root()).check()
        # a new store gets its tables (the demo data, unless PMO_DEMO=0) before the first visitor
        seed.open_store()
    except (SettingsError, StoreUnavailable) as error:
        sys.exit(f"Le serveur ne démarre pas : {error}")
    app = build(config, script)
    configure_streamlit(config)
    server = uvicorn.Server(uvicorn_config(app, config))
    print(f"Tableau de bord PMO : http://{config.server_name}:{config.port}", flush=True)
    server.run()
    if not server.started:
        sys.exit(1)


if __name__ == "__main__":
    main()
