"""Faults over real HTTP on loopback, through the sync and the async client: each test checks
the typed outcome, how many attempts reached the server, and that the key leaked nowhere."""

from __future__ import annotations

import json
import time

import pytest

from tests.runtime.helpers import SECRET, Driver, assert_no_secret
from tests.support.fault_server import (
    body_reply,
    error_body,
    json_reply,
    stalled,
    truncated_reply,
)

MODELS = {"data": [{"id": "openai/gpt-4o", "pricing": {"prompt": "0.000003"}}]}
HTML_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
    "</body>\r\n</html>\r\n" + "<!-- padding -->" * 40
)


def test_429_with_retry_after_is_honoured(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(
        json_reply(error_body(429, "Rate limit exceeded"), status=429,
                   headers={"Retry-After": "0.2"}),
        json_reply(MODELS),
    )
    started = time.monotonic()
    assert api.call(api.options()) == MODELS
    assert time.monotonic() - started >= 0.2
    assert api.server.attempts == 2
    assert "in 0.2 seconds (GET, retry 1" in debug_logs.text
    assert_no_secret(debug_logs)


def test_retry_after_ms_wins_and_429_gives_up_after_max_retries(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    limited = json_reply(error_body(429, "Slow down", provider_name="OpenAI"), status=429,
                         headers={"retry-after-ms": "30", "Retry-After": "9"})
    api.server.script(limited, limited, limited)
    with pytest.raises(api.rt.exc.RateLimitError) as caught:
        api.call(api.options())
    error = caught.value
    assert api.server.attempts == 3
    assert debug_logs.text.count("in 0.03 seconds") == 2
    assert (error.status_code, error.code, error.message) == (429, 429, str(error))
    assert "Slow down" in str(error) and "[provider: OpenAI]" in str(error)
    assert error.provider_name == "OpenAI"
    assert error.headers["retry-after-ms"] == "30"
    assert error.response.status_code == 429
    assert error.user_id == "user_123"
    assert_no_secret(debug_logs, error)


def test_retry_after_beyond_the_cap_raises_at_once(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    api.server.script(json_reply(error_body(429, "Come back tomorrow"), status=429,
                                 headers={"Retry-After": "86400"}), json_reply(MODELS))
    started = time.monotonic()
    with pytest.raises(api.rt.exc.RateLimitError) as caught:
        api.call(api.options())
    assert time.monotonic() - started < 2.0
    assert api.server.attempts == 1
    assert_no_secret(debug_logs, caught.value)


def test_503_then_200_counts_two_attempts(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(json_reply(error_body(503, "Service Unavailable"), status=503),
                      json_reply(MODELS))
    response = api.call(api.options(), raw=True)
    assert response.parsed == MODELS == response.parse()
    assert response.status_code == 200
    assert response.retries_taken == 1
    assert api.server.attempts == 2
    assert "seconds (GET, retry 1 of 2, after 503)" in debug_logs.text
    assert_no_secret(debug_logs)


def test_5xx_every_time_raises_after_three_attempts(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    api.server.script(*[json_reply(error_body(500, "boom"), status=500)] * 3)
    with pytest.raises(api.rt.exc.InternalServerError) as caught:
        api.call(api.options("POST", "/chat/completions", json_body={"model": "x"}))
    assert api.server.attempts == 3
    assert caught.value.status_code == 500
    assert_no_secret(debug_logs, caught.value)


def test_max_retries_per_call_and_per_client(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(*[json_reply(error_body(503, "down"), status=503)] * 8)
    with pytest.raises(api.rt.exc.InternalServerError):
        api.call(api.options(max_retries=0))
    assert api.server.attempts == 1
    with pytest.raises(api.rt.exc.InternalServerError):
        api.call(api.options(), max_retries=4)
    assert api.server.attempts == 1 + 5
    with pytest.raises(api.rt.exc.InternalServerError) as caught:
        api.call(api.options(max_retries=1), max_retries=4)
    assert api.server.attempts == 6 + 2
    assert_no_secret(debug_logs, caught.value)


def test_retry_time_budget_stops_retrying(api: Driver, debug_logs: pytest.LogCaptureFixture):
    # The first retry starts at ~0.4 s (inside the 0.6 s budget), a second would start at ~0.8 s.
    policy = api.rt.retries.RetryPolicy(initial_delay=0.4, max_delay=0.4, jitter=0.0,
                                        time_budget=0.6)
    api.server.script(*[json_reply(error_body(503, "down"), status=503)] * 5)
    with pytest.raises(api.rt.exc.InternalServerError):
        api.call(api.options(), max_retries=5, retry_policy=policy)
    assert api.server.attempts == 2


def test_connection_dropped_mid_body_is_retried_for_get(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    body = json.dumps(MODELS)
    api.server.script(truncated_reply(body, 10), json_reply(MODELS))
    assert api.call(api.options()) == MODELS
    assert api.server.attempts == 2
    assert "RemoteProtocolError" in debug_logs.text
    assert_no_secret(debug_logs)


def test_connection_dropped_mid_body_every_time(api: Driver, debug_logs: pytest.LogCaptureFixture):
    body = json.dumps(MODELS)
    api.server.script(*[truncated_reply(body, 10)] * 3)
    with pytest.raises(api.rt.exc.APIConnectionError) as caught:
        api.call(api.options())
    assert not isinstance(caught.value, api.rt.exc.APITimeoutError)
    assert api.server.attempts == 3
    assert "GET" in str(caught.value) and "/models" in str(caught.value)
    assert_no_secret(debug_logs, caught.value)


def test_post_dropped_after_sending_is_not_resent(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    api.server.script(truncated_reply(json.dumps({"id": "gen-1"}), 5), json_reply({"id": "x"}))
    with pytest.raises(api.rt.exc.APIConnectionError) as caught:
        api.call(api.options("POST", "/chat/completions", json_body={"model": "m"}))
    assert api.server.attempts == 1
    assert_no_secret(debug_logs, caught.value)


def test_post_dropped_after_sending_is_resent_when_the_policy_opts_in(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    api.server.script(truncated_reply(json.dumps({"id": "gen-1"}), 5), json_reply({"id": "x"}))
    policy = api.rt.retries.RetryPolicy(initial_delay=0.001, retry_non_idempotent=True)
    options = api.options("POST", "/chat/completions", json_body={"model": "m"})
    assert api.call(options, retry_policy=policy) == {"id": "x"}
    assert api.server.attempts == 2
    assert "Retrying request to /chat/completions in " in debug_logs.text
    assert "(POST, retry 1 of 2, after RemoteProtocolError)" in debug_logs.text
    assert_no_secret(debug_logs)


def test_slow_post_is_resent_after_a_timeout_when_the_policy_opts_in(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    api.server.script(stalled(3.0, json_reply({"id": "x"})), json_reply({"id": "y"}))
    policy = api.rt.retries.RetryPolicy(initial_delay=0.001, retry_non_idempotent=True)
    options = api.options("POST", "/chat/completions", json_body={}, timeout=0.15)
    assert api.call(options, retry_policy=policy) == {"id": "y"}
    assert api.server.attempts == 2
    assert_no_secret(debug_logs)


def test_connection_refused_is_retried_then_raises(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    with pytest.raises(api.rt.exc.APIConnectionError) as caught:
        api.call(api.options("POST", "/chat/completions", json_body={}),
                 base_url="http://127.0.0.1:9")
    assert debug_logs.text.count("seconds (POST, retry") == 2  # 3 attempts; none reached a server
    assert api.server.attempts == 0
    assert "ConnectError" in str(caught.value)
    assert_no_secret(debug_logs, caught.value)


def test_slow_response_hits_the_timeout_and_get_is_retried(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    api.server.script(*[stalled(3.0, json_reply(MODELS))] * 3)
    started = time.monotonic()
    with pytest.raises(api.rt.exc.APITimeoutError) as caught:
        api.call(api.options(), timeout=0.15)
    assert time.monotonic() - started < 2.0
    assert api.server.attempts == 3
    assert "ReadTimeout" in str(caught.value)
    assert_no_secret(debug_logs, caught.value)


def test_slow_post_times_out_once(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(stalled(3.0, json_reply({"id": "x"})), json_reply({"id": "y"}))
    with pytest.raises(api.rt.exc.APITimeoutError) as caught:
        api.call(api.options("POST", "/chat/completions", json_body={}, timeout=0.15))
    assert api.server.attempts == 1
    assert_no_secret(debug_logs, caught.value)


def test_per_call_timeout_overrides_the_client(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(stalled(0.3, json_reply(MODELS)))
    assert api.call(api.options(timeout=2.0), timeout=0.05) == MODELS
    assert api.server.attempts == 1


def test_200_with_error_body_raises_the_matching_error(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    api.server.script(json_reply(error_body(402, "Insufficient credits"), status=200))
    with pytest.raises(api.rt.exc.PaymentRequiredError) as caught:
        api.call(api.options("POST", "/chat/completions", json_body={}), decode=_no_decode)
    error = caught.value
    assert (error.status_code, error.http_status, error.code) == (402, 200, 402)
    assert not error.in_stream
    assert "Insufficient credits" in str(error) and "HTTP 200" in str(error)
    assert api.server.attempts == 1
    assert_no_secret(debug_logs, error)


def test_200_with_retryable_error_body_is_retried(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    api.server.script(
        body_reply("\n\n   " + json.dumps(error_body(502, "Provider returned error",
                                                      provider_name="Groq", raw="upstream"))),
        body_reply("\n \n" + json.dumps({"id": "gen-2"})),
    )
    assert api.call(api.options("POST", "/chat/completions", json_body={})) == {"id": "gen-2"}
    assert api.server.attempts == 2
    assert_no_secret(debug_logs)


def test_502_html_page_raises_with_an_excerpt(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(*[body_reply(HTML_502, status=502, content_type="text/html")] * 3)
    with pytest.raises(api.rt.exc.InternalServerError) as caught:
        api.call(api.options())
    error = caught.value
    assert api.server.attempts == 3
    assert error.status_code == 502 and error.code is None
    assert "non-JSON error body" in str(error) and "502 Bad Gateway" in str(error)
    assert len(str(error)) < 400
    assert isinstance(error.body, str) and error.body.startswith("<html>")
    assert_no_secret(debug_logs, error)


def test_truncated_json_raises_validation_error(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(body_reply('{"data": [{"id": "openai/gpt-4o", "pri'), json_reply(MODELS))
    with pytest.raises(api.rt.exc.APIResponseValidationError) as caught:
        api.call(api.options())
    error = caught.value
    assert api.server.attempts == 1
    assert "not valid JSON" in str(error) and "openai/gpt-4o" in error.excerpt
    assert error.status_code == 200 and error.response is not None
    assert_no_secret(debug_logs, error)


def test_empty_and_whitespace_bodies_decode_none(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(body_reply(b"", status=204), body_reply(b"  \n"))
    assert api.call(api.options("DELETE", "/keys/abc"), decode=lambda v: ("decoded", v)) == (
        "decoded", None)
    assert api.call(api.options()) is None
    assert api.server.attempts == 2


def test_decoder_failure_becomes_validation_error(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    api.server.script(json_reply({"data": "not a list"}))
    with pytest.raises(api.rt.exc.APIResponseValidationError) as caught:
        api.call(api.options(), decode=lambda v: [m["id"] for m in v["data"]])
    assert isinstance(caught.value.__cause__, TypeError)
    assert caught.value.body == {"data": "not a list"}
    assert api.server.attempts == 1


def test_post_400_is_not_retried(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(
        json_reply(error_body(400, "model is required", provider_name=None), status=400),
        json_reply({"id": "never"}),
    )
    with pytest.raises(api.rt.exc.BadRequestError) as caught:
        api.call(api.options("POST", "/chat/completions", json_body={"messages": []}))
    error = caught.value
    assert api.server.attempts == 1
    assert (error.status_code, error.http_status, error.code) == (400, 400, 400)
    assert error.message.startswith("400 model is required")
    assert error.metadata == {"provider_name": None} and error.provider_name is None
    assert error.body["user_id"] == "user_123"
    assert "Retrying" not in debug_logs.text
    assert_no_secret(debug_logs, error)


@pytest.mark.parametrize(("status", "name"), [
    (401, "AuthenticationError"), (403, "PermissionDeniedError"), (404, "NotFoundError"),
    (422, "UnprocessableEntityError"), (418, "APIStatusError"),
])
def test_other_4xx_map_to_their_class_without_retry(
    api: Driver, debug_logs: pytest.LogCaptureFixture, status: int, name: str
):
    api.server.script(json_reply(error_body(status, "nope"), status=status))
    with pytest.raises(api.rt.exc.APIStatusError) as caught:
        api.call(api.options())
    assert type(caught.value).__name__ == name
    assert api.server.attempts == 1


def test_409_and_408_are_retried(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(json_reply(error_body(409, "busy"), status=409),
                      json_reply(error_body(408, "slow"), status=408), json_reply(MODELS))
    assert api.call(api.options("POST", "/keys", json_body={})) == MODELS
    assert api.server.attempts == 3


def test_error_echoing_the_key_is_redacted(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(json_reply(error_body(401, f"Invalid key {SECRET}"), status=401),
                      body_reply(f"<html>bad key {SECRET}</html>", status=400,
                                 content_type="text/html"))
    with pytest.raises(api.rt.exc.AuthenticationError) as first:
        api.call(api.options())
    with pytest.raises(api.rt.exc.BadRequestError) as second:
        api.call(api.options())
    assert "Invalid key <redacted>" in str(first.value)
    assert "<redacted>" in str(second.value)
    assert api.server.attempts == 2
    assert_no_secret(debug_logs, first.value, second.value)


def test_non_json_2xx_page_raises_validation_error(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    api.server.script(body_reply("<html>Just a moment...</html>", content_type="text/html"))
    with pytest.raises(api.rt.exc.APIResponseValidationError) as caught:
        api.call(api.options())
    assert "Just a moment" in str(caught.value)
    assert api.server.attempts == 1


def _no_decode(value: object) -> object:
    raise AssertionError(f"decode must not be called for an error body: {value!r}")
