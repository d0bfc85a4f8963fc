"""The retry policy's pure parts: which failures are retried, Retry-After, backoff, budget."""

from __future__ import annotations

import email.utils
from types import SimpleNamespace

import httpx
import pytest


@pytest.mark.parametrize(("status", "retried"), [
    (400, False), (401, False), (402, False), (404, False), (408, True), (409, True),
    (422, False), (429, True), (500, True), (502, True), (503, True), (529, True),
])
def test_retryable_statuses(rt: SimpleNamespace, status: int, retried: bool):
    assert rt.retries.is_retryable_status(status) is retried


@pytest.mark.parametrize(("error", "get", "post"), [
    (httpx.ConnectError("refused"), True, True),
    (httpx.ConnectTimeout("slow"), True, True),
    (httpx.PoolTimeout("busy"), True, True),
    (httpx.ReadTimeout("slow"), True, False),
    (httpx.ReadError("reset"), True, False),
    (httpx.RemoteProtocolError("peer closed"), True, False),
    (httpx.WriteError("broken pipe"), True, False),
    (httpx.LocalProtocolError("bad header"), False, False),
    (httpx.UnsupportedProtocol("ftp"), False, False),
])
def test_retryable_transport_errors(rt: SimpleNamespace, error: httpx.HTTPError, get: bool,
                                    post: bool):
    assert rt.retries.is_retryable_error(error, "GET") is get
    assert rt.retries.is_retryable_error(error, "DELETE") is get
    assert rt.retries.is_retryable_error(error, "POST") is post
    assert rt.retries.is_retryable_error(error, "PATCH") is post
    # Opted in, a POST is resent wherever a GET would be, and nowhere else.
    assert rt.retries.is_retryable_error(error, "POST", retry_non_idempotent=True) is get
    assert rt.retries.is_retryable_error(error, "PATCH", retry_non_idempotent=True) is get


def test_retry_after_forms(rt: SimpleNamespace):
    def parse(**headers: str) -> float | None:
        return rt.retries.retry_after(httpx.Headers(headers), now=1_000_000.0)

    assert parse() is None
    assert parse(**{"retry-after": "3"}) == 3.0
    assert parse(**{"retry-after": "0.25"}) == 0.25
    assert parse(**{"retry-after": "-5"}) == 0.0
    assert parse(**{"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert parse(**{"retry-after-ms": "soon", "retry-after": "9"}) == 9.0
    date = email.utils.formatdate(1_000_000.0 + 42, usegmt=True)
    assert parse(**{"retry-after": date}) == pytest.approx(42.0)
    assert parse(**{"retry-after": email.utils.formatdate(1.0, usegmt=True)}) == 0.0
    assert parse(**{"retry-after": "tomorrow-ish"}) is None


def test_backoff_grows_is_capped_and_jittered(rt: SimpleNamespace):
    policy = rt.retries.RetryPolicy()
    delays = [[rt.retries.backoff(policy, n) for _ in range(200)] for n in range(6)]
    for n, samples in enumerate(delays):
        nominal = min(0.5 * 2**n, 8.0)
        assert all(nominal * 0.75 <= d <= nominal for d in samples)
        assert len(set(samples)) > 1  # jitter
    exact = rt.retries.RetryPolicy(jitter=0.0)
    assert [rt.retries.backoff(exact, n) for n in range(6)] == [0.5, 1, 2, 4, 8, 8]


def test_plan_retry_limits(rt: SimpleNamespace):
    plan = rt.retries.plan_retry
    policy = rt.retries.RetryPolicy(jitter=0.0)
    assert plan(policy, retries_done=0, max_retries=2, elapsed=0.0, requested=None) == 0.5
    assert plan(policy, retries_done=1, max_retries=2, elapsed=0.0, requested=None) == 1.0
    assert plan(policy, retries_done=2, max_retries=2, elapsed=0.0, requested=None) is None
    assert plan(policy, retries_done=0, max_retries=0, elapsed=0.0, requested=None) is None
    assert plan(policy, retries_done=0, max_retries=2, elapsed=0.0, requested=20.0) == 20.0
    assert plan(policy, retries_done=0, max_retries=2, elapsed=0.0, requested=61.0) is None
    assert plan(policy, retries_done=0, max_retries=2, elapsed=179.7, requested=None) is None
    assert plan(policy, retries_done=0, max_retries=2, elapsed=179.0, requested=None) == 0.5
