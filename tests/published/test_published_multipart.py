"""The `multipart/form-data` operations of the published documents (`POST /files`, and the upload
form of `POST /audio/transcriptions`, which also takes JSON), called through the generated
package over loopback HTTP with a file given as bytes, a path, an open file or a
`(filename, data, content_type)` tuple: the server must receive a well-formed multipart body
(parsed by the stdlib's email parser) with the right field names, file name, content type and
bytes, and the other fields as text parts. The package is generated from the seed pages plus the
document (the `project` fixture, conftest.py) and run in a subprocess."""

from __future__ import annotations

import mimetypes
from pathlib import Path

import httpx
import pytest
import yaml

from tests.generality.support import multipart_parts
from tests.published.test_published_streaming import run_client
from tests.support.fault_server import FaultServer, RecordedRequest, json_reply

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\r\n--not-a-boundary\r\n%%EOF"
WAV = b"RIFF$\x00\x00\x00WAVEfmt " + bytes(range(256)) * 20
FILE_RESPONSE = {"_shape": "openrouter", "id": "or_file_1", "filename": "report.pdf", "mime_type": "application/pdf",
                 "size_bytes": len(PDF), "created_at": "2026-01-01T00:00:00Z",
                 "downloadable": False, "type": "file"}
TRANSCRIPTION = {"text": "hello", "usage": {"seconds": 1.5, "total_tokens": 3}}


def declared(project: Path, path: str, media: str) -> bool:
    """Whether the project's spec declares a `media` body for POST `path`."""
    spec = yaml.safe_load((project / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
    operation = spec["paths"].get(path, {}).get("post", {})
    return media in operation.get("requestBody", {}).get("content", {})


def parts(request: RecordedRequest) -> list[tuple[str, str | None, str, bytes]]:
    """(name, filename, content type, payload) of each part, as the email parser reads them."""
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert int(request.headers["content-length"]) == len(request.body)
    return multipart_parts(httpx.Request("POST", "http://server/", content=request.body,
                                         headers={"content-type":
                                                  request.headers["content-type"]}))


def test_files_upload_sends_the_file_as_a_multipart_part(project: Path, tmp_path: Path) -> None:
    if not declared(project, "/files", "multipart/form-data"):
        pytest.skip("this version has no file upload")
    report = tmp_path / "report.pdf"
    report.write_bytes(PDF)
    with FaultServer() as server:
        server.script(*[json_reply(FILE_RESPONSE)] * 5)
        out = run_client(project, server, f"""
            from pathlib import Path
            report = {str(report)!r}
            uploaded = client.files.upload(file=Path(report), workspace_id='ws-1')
            out.append(uploaded.id)
            with open(report, 'rb') as opened:
                client.files.upload(file=opened)
            client.files.upload(file=Path(report).read_bytes())
            client.files.upload(file=('notes.md', b'# notes', 'text/markdown'))
            async def main():
                await aclient.files.upload(file=('report.pdf', Path(report).read_bytes()))
            asyncio.run(main())
        """)
        by_path, by_file, by_bytes, by_tuple, by_async = server.requests
    assert out == ["or_file_1"]
    assert by_path.method == "POST" and by_path.path == "/files"
    assert by_path.query == {"workspace_id": ["ws-1"]}
    assert parts(by_path) == [("file", "report.pdf", "application/pdf", PDF)]
    assert parts(by_file) == [("file", "report.pdf", "application/pdf", PDF)]
    # bytes alone have no name: the part is named after its field, and typed as any bytes
    assert parts(by_bytes) == [("file", "file", "application/octet-stream", PDF)]
    assert parts(by_tuple) == [("file", "notes.md", "text/markdown", b"# notes")]
    assert parts(by_async) == [("file", "report.pdf", "application/pdf", PDF)]


def test_transcriptions_take_json_or_an_uploaded_file(project: Path, tmp_path: Path) -> None:
    if not declared(project, "/audio/transcriptions", "multipart/form-data"):
        pytest.skip("this version has no transcriptions upload")
    clip = tmp_path / "clip.wav"
    clip.write_bytes(WAV)
    with FaultServer() as server:
        server.script(*[json_reply(TRANSCRIPTION)] * 3)
        out = run_client(project, server, f"""
            from pathlib import Path
            answer = client.stt.create_audio_transcriptions_multipart(
                file=Path({str(clip)!r}), model='openai/whisper-large-v3', language='en',
                temperature=0.5, response_format='verbose_json',
                timestamp_granularities=('word', 'segment'))
            out.append([type(answer).__name__, answer.text])
            async def main():
                return await aclient.stt.create_audio_transcriptions_multipart(
                    file=('take 2.wav', Path({str(clip)!r}).read_bytes(), 'audio/wav'),
                    model='m', extra_body={{'prompt': 'names: Ada'}})
            out.append(asyncio.run(main()).text)
            client.stt.create_audio_transcriptions(
                input_audio={{'data': 'UklGRg==', 'format': 'wav'}}, model='m')
        """)
        form, async_form, as_json = server.requests
    assert out == [["STTResponse", "hello"], "hello"]
    wav_type = mimetypes.guess_type("clip.wav")[0]
    assert wav_type is not None
    assert parts(form) == [
        ("file", "clip.wav", wav_type, WAV),
        ("model", None, "text/plain", b"openai/whisper-large-v3"),
        ("language", None, "text/plain", b"en"),
        ("response_format", None, "text/plain", b"verbose_json"),
        ("temperature", None, "text/plain", b"0.5"),
        ("timestamp_granularities[]", None, "text/plain", b"word"),
        ("timestamp_granularities[]", None, "text/plain", b"segment"),
    ]
    assert parts(async_form) == [
        ("file", "take 2.wav", "audio/wav", WAV),
        ("model", None, "text/plain", b"m"),
        ("prompt", None, "text/plain", b"names: Ada"),
    ]
    assert as_json.headers["content-type"] == "application/json"
    assert as_json.json() == {"input_audio": {"data": "UklGRg==", "format": "wav"}, "model": "m"}
