"""Uploads reach Streamlit only from a granted session showing the credential it was granted with."""

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from dashboard.web.uploads import REFUSED, Credential, GuardedUploads, UploadPermits


def _client(permits: UploadPermits) -> tuple[TestClient, list[bytes]]:
    received: list[bytes] = []

    async def upload(request):
        received.append(await request.body())
        return Response(status_code=204)

    app = Starlette(routes=[Route("/_stcore/upload_file/{session}/{file}", upload, methods=["PUT", "DELETE"])])
    return TestClient(GuardedUploads(app, permits)), received


def test_a_session_without_permit_is_refused_and_its_body_never_read():
    client, received = _client(UploadPermits())
    response = client.put("/_stcore/upload_file/s1/f1", content=b"x" * 1000)
    assert (response.status_code, response.content) == (403, REFUSED)
    assert client.delete("/_stcore/upload_file/s1/f1").status_code == 403
    assert received == []


def test_a_granted_session_uploads_only_with_its_own_credential():
    permits = UploadPermits()
    permits.grant("s1", Credential.of("cookie", "pmo_session", "jeton-signe"))
    permits.grant("s2", Credential.of("header", "X-Remote-User", "adj.leroy"))
    client, received = _client(permits)

    def put(session: str, body: bytes, **credential) -> int:
        return client.put(f"/_stcore/upload_file/{session}/f", content=body, **credential).status_code

    assert put("s1", b"ok", cookies={"pmo_session": "jeton-signe"}) == 204
    assert put("s1", b"no") == 403
    assert put("s1", b"no", cookies={"pmo_session": "autre"}) == 403
    assert put("s2", b"ok", headers={"X-Remote-User": "adj.leroy"}) == 204
    assert put("s2", b"no", headers={"X-Remote-User": "col.x"}) == 403
    assert received == [b"ok", b"ok"]
    permits.revoke("s1")
    assert put("s1", b"no", cookies={"pmo_session": "jeton-signe"}) == 403


def test_a_chunked_oidc_cookie_is_compared_whole():
    permits = UploadPermits()
    permits.grant("s1", Credential.of("cookie", "_streamlit_user", "part1part2"))
    client, _ = _client(permits)
    chunked = {"_streamlit_user": "part1", "_streamlit_user__1": "part2"}
    assert client.put("/_stcore/upload_file/s1/f", content=b"ok", cookies=chunked).status_code == 204
