"""Debug logging: switched on by the environment variable, secrets redacted."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.runtime.helpers import PACKAGE, SECRET, Driver, assert_no_secret
from tests.support.fault_server import FaultServer, error_body, json_reply

SCRIPT = f"""
import sys
from {PACKAGE}._base_client import RequestOptions, SyncAPIClient
from {PACKAGE}._retries import RetryPolicy
with SyncAPIClient(base_url=sys.argv[1], retry_policy=RetryPolicy(initial_delay=0.001)) as c:
    print(c.request(RequestOptions("POST", "/chat/completions", json_body={{"q": 1}}),
                    lambda v: v))
"""


def run_script(rendered_dir: Path, server: FaultServer, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RT_UNDER_TEST")}
    environment.update(PYTHONPATH=str(rendered_dir), RT_UNDER_TEST_API_KEY=SECRET, **env)
    return subprocess.run([sys.executable, "-c", SCRIPT, server.url], capture_output=True,
                          text=True, env=environment, timeout=60, check=True)


def test_environment_variable_switches_debug_logs_on(rendered_dir: Path, server: FaultServer):
    server.script(json_reply({"ok": 1}), json_reply(error_body(503, "down"), status=503),
                  json_reply({"ok": 2}))
    quiet = run_script(rendered_dir, server)
    assert quiet.stdout.strip() == "{'ok': 1}"
    assert quiet.stderr == ""
    loud = run_script(rendered_dir, server, RT_UNDER_TEST_LOG="debug")
    assert loud.stdout.strip() == "{'ok': 2}"
    assert f"{PACKAGE} DEBUG] Request POST {server.url}/chat/completions" in loud.stderr
    assert "'authorization': '<redacted>'" in loud.stderr
    assert 'body={"q":1}' in loud.stderr
    assert "-> 200 OK" in loud.stderr
    assert "INFO] Retrying request to /chat/completions in " in loud.stderr
    assert "seconds (POST, retry 1 of 2, after 503)" in loud.stderr
    assert f'httpx INFO] HTTP Request: POST {server.url}/chat/completions "HTTP/1.1 200 OK"' in (
        loud.stderr)
    assert SECRET not in loud.stderr
    server.script(json_reply(error_body(503, "down"), status=503), json_reply({"ok": 3}))
    info = run_script(rendered_dir, server, RT_UNDER_TEST_LOG="info")
    assert info.stdout.strip() == "{'ok': 3}"
    assert info.stderr.count("httpx INFO] HTTP Request: POST") == 2
    assert f"{PACKAGE} INFO] Retrying request to /chat/completions in " in info.stderr
    assert f"{PACKAGE} DEBUG" not in info.stderr


def test_every_retry_is_logged_at_info(api: Driver, debug_logs: pytest.LogCaptureFixture):
    # At INFO, in the openai SDK's words ("Retrying request to /models in 0.5 seconds").
    api.server.script(*[json_reply(error_body(502, "bad gateway"), status=502)] * 2,
                      json_reply({"ok": True}))
    api.call(api.options())
    retries = [r for r in debug_logs.records
               if r.name == PACKAGE and r.getMessage().startswith("Retrying request to ")]
    assert [r.levelno for r in retries] == [logging.INFO, logging.INFO]
    assert re.fullmatch(r"Retrying request to /models in [0-9.e-]+ seconds "
                        r"\(GET, retry 1 of 2, after 502\)", retries[0].getMessage())
    assert retries[1].getMessage().endswith("seconds (GET, retry 2 of 2, after 502)")
    assert_no_secret(debug_logs)


def test_key_in_headers_and_bodies_is_redacted(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(json_reply({"ok": True}))
    api.call(api.options("POST", "/keys", json_body={"echo": SECRET},
                         extra_headers={"X-Api-Key": SECRET, "X-Custom": f"k={SECRET}"}))
    assert api.server.requests[0].json() == {"echo": SECRET}  # sent as asked, only logs redact
    assert "'x-custom': 'k=<redacted>'" in debug_logs.text
    assert "'x-api-key': '<redacted>'" in debug_logs.text
    assert '{"echo":"<redacted>"}' in debug_logs.text
    assert_no_secret(debug_logs)


def test_redaction_helpers(rt: SimpleNamespace):
    redact = rt.logs.make_redactor(SECRET)
    assert redact(f"a {SECRET} b {SECRET}") == "a <redacted> b <redacted>"
    assert rt.logs.make_redactor(None)("text") == "text"
    assert rt.logs.redact_headers({"Authorization": "Bearer x", "Cookie": "c", "A": "b"},
                                  redact) == {"Authorization": "<redacted>",
                                              "Cookie": "<redacted>", "A": "b"}
    long_body = (b"x" * 1995) + SECRET.encode() + b"y" * 100
    logged = rt.logs.body_for_log(long_body, redact)
    assert SECRET[:5] not in logged.replace("x", "")
    assert logged.endswith(f"... ({len(long_body)} bytes)")
