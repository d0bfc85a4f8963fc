"""The answers that are files in each published document (`POST /audio/speech` `audio/*`,
`GET /files/{file_id}/content` `application/octet-stream`, `GET /videos/{jobId}/content`), read
as they arrive through the generated package over loopback HTTP, sync and async: several
megabytes in many chunks, into a file, an early close that gives the only connection back, and
a 404 raised typed instead of a stream. The package is generated from the seed pages plus the
document (the `project` fixture, conftest.py) and run in a subprocess."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import yaml

from tests.published.test_published_streaming import run_client
from tests.support.fault_server import FaultServer, body_reply, error_body, json_reply

BODY = random.Random(11).randbytes(3 * 1024 * 1024)
# More than loopback's socket buffers hold: closed early, the rest can never all be sent.
HUGE = bytes(32 * 1024 * 1024)

# path -> (the call of its streamed twin, the media type the server answers with, the Accept
# header the document's declared media types make)
CALLS = {
    "/audio/speech": (
        "tts.with_streaming_response.create_audio_speech(model='m', input='hi', voice='v')",
        "audio/mpeg", "audio/*"),
    "/files/{file_id}/content": ("files.with_streaming_response.download_content(file_id='f1')",
                                 "application/octet-stream", "application/octet-stream"),
    "/videos/{jobId}/content": (
        "video_generation.with_streaming_response.list_content(job_id='j1')", "video/mp4", None),
}


def declared_calls(project: Path) -> dict[str, tuple[str, str, str | None]]:
    """The CALLS whose path the project's spec declares (older documents have fewer)."""
    spec = yaml.safe_load((project / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
    return {path: call for path, call in CALLS.items() if path in spec["paths"]}


def test_files_stream_in_chunks_sync_and_async(project: Path) -> None:
    calls = declared_calls(project)
    assert "/videos/{jobId}/content" in calls  # in every published version
    with FaultServer() as server:
        for _ in range(2):  # the sync calls, then the async ones
            server.script(*[body_reply(BODY, content_type=media) for _, media, _ in calls.values()])
        out = run_client(project, server, f"""
            import hashlib, os, tempfile
            calls = {[call for call, _, _ in calls.values()]!r}
            async def save(call):
                target = os.path.join(tempfile.mkdtemp(), 'file')
                async with await eval('aclient.' + call) as body:
                    written = await body.awrite_to(target)
                with open(target, 'rb') as file:
                    return [written, hashlib.sha256(file.read()).hexdigest()]
            async def main():  # one event loop for the async client's pool
                return [await save(call) for call in calls]
            for call in calls:
                with eval('client.' + call) as body:
                    chunks = list(body.iter_bytes())
                    out.append([body.status_code, len(chunks),
                                hashlib.sha256(b''.join(chunks)).hexdigest()])
            out.extend(asyncio.run(main()))
        """)
        requests = server.requests
    digest = hashlib.sha256(BODY).hexdigest()
    assert len(out) == 2 * len(calls)
    for status, chunks, sync_digest in out[:len(calls)]:
        assert status == 200 and chunks > 1 and sync_digest == digest
    assert out[len(calls):] == [[len(BODY), digest]] * len(calls)
    for request, (_, _, accept) in zip(requests[:len(calls)], calls.values(), strict=True):
        # `/videos/{jobId}/content` declared `application/octet-stream` before `video/mp4`
        assert request.headers["accept"] == accept or accept is None


def test_the_generated_readme_shows_a_streamed_file(project: Path) -> None:
    readme = (project / "generated" / "README.md").read_text(encoding="utf-8")
    assert "## Files, read as they arrive" in readme
    assert ".with_streaming_response." in readme and "body.write_to(" in readme


def test_an_early_close_gives_the_connection_back_and_errors_raise_typed(project: Path) -> None:
    call, media, _ = declared_calls(project)["/videos/{jobId}/content"]
    with FaultServer() as server:
        server.script(body_reply(HUGE, content_type=media),
                      body_reply(b"small", content_type=media),
                      json_reply(error_body(404, "no such job"), status=404))
        out = run_client(project, server, f"""
            import httpx
            one = oc.OpenRouter(api_key='k', base_url=client.base_url, max_retries=0,
                                connection_limits=httpx.Limits(max_connections=1),
                                timeout=httpx.Timeout(5.0, pool=1.0))
            with one.{call} as body:
                out.append(len(next(iter(body))) < {len(HUGE)})
            out.append(one.{call.replace('with_streaming_response.', '')}.decode())
            try:
                one.{call}
            except oc.NotFoundError as exc:
                out.append([type(exc).__name__, exc.status_code, exc.message])
        """)
        assert server.wait_client_gone(5.0)
    assert out == [True, "small", ["NotFoundError", 404, "404 no such job"]]
