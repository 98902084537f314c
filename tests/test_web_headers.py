"""Host names the server answers, and the policy it sends."""

import pytest

from dashboard.server import STREAMLIT_INDEX
from dashboard.web.headers import content_security_policy, host_allowed, inline_script_hashes

ALLOWED = ("localhost", "127.0.0.1", "::1", "pmo.intradef.gouv.fr", "*.terre.defense.fr")


@pytest.mark.parametrize(
    "host",
    ["localhost", "localhost:8501", "127.0.0.1:8501", "[::1]:8501", "PMO.intradef.gouv.fr", "bri.terre.defense.fr"],
)
def test_allowed_hosts_with_or_without_port(host):
    assert host_allowed(host, ALLOWED)


@pytest.mark.parametrize(
    "host",
    [None, "", "pmo.example.org", "intradef.gouv.fr", "terre.defense.fr.evil.org", "localhost:port", "a@localhost"],
)
def test_other_hosts_are_refused(host):
    assert not host_allowed(host, ALLOWED)


def test_the_policy_allows_streamlits_inline_script_by_hash_and_named_frame_ancestors():
    hashes = inline_script_hashes(STREAMLIT_INDEX)
    assert len(hashes) == 1 and hashes[0].startswith("'sha256-")
    policy = content_security_policy(hashes, ["https://portail.intradef.gouv.fr"])
    assert f"script-src 'self' 'wasm-unsafe-eval' {hashes[0]}" in policy
    assert "frame-ancestors https://portail.intradef.gouv.fr" in policy
    assert "frame-ancestors 'none'" in content_security_policy(hashes)
