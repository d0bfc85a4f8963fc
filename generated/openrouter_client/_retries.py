"""When to retry and how long to wait; pure functions, the clients do the sleeping.

The policy (see ``_constants``): retry 408, 409, 429 and 5xx; connection failures before the
request went out for every method; timeouts and lost connections after sending only for
idempotent methods (every method with ``retry_non_idempotent=True``); exponential backoff with jitter; ``retry-after-ms`` / ``Retry-After`` honoured
up to a cap; no retry starts after the time budget is spent.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass

import httpx

from ._constants import (
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RETRY_JITTER,
    RETRY_TIME_BUDGET,
)

RETRYABLE_STATUSES = frozenset({408, 409, 429})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})

# Failures that happen before a single byte of the request left: safe to resend any method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after sending: the server may have acted on the request.
_LOST_AFTER_SENDING = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Backoff settings, and which failures are retried.

    ``RetryPolicy(initial_delay=0.001)`` makes tests fast. ``retry_non_idempotent=True`` also
    retries a POST or PATCH whose connection was lost or timed out after the request was sent:
    the server may have processed it (and billed it), so this is off by default.
    """

    initial_delay: float = INITIAL_RETRY_DELAY
    max_delay: float = MAX_RETRY_DELAY
    jitter: float = RETRY_JITTER
    # A server asking for a longer wait than this gets its error raised instead.
    max_retry_after: float = MAX_RETRY_AFTER
    # No retry starts later than this many seconds after the first attempt started.
    time_budget: float = RETRY_TIME_BUDGET
    # Resend any method after a timeout or lost connection, not only idempotent ones.
    retry_non_idempotent: bool = False


DEFAULT_RETRY_POLICY = RetryPolicy()


def is_retryable_status(status: int) -> bool:
    """408, 409, 429 and every 5xx are worth another try."""
    return status in RETRYABLE_STATUSES or status >= 500


def is_retryable_error(
    exc: httpx.HTTPError, method: str, retry_non_idempotent: bool = False
) -> bool:
    """A transport error is retried if the request surely was not sent, or is idempotent (or
    the policy opts in to resending any method)."""
    if isinstance(exc, _NOT_SENT):
        return True
    idempotent = retry_non_idempotent or method.upper() in IDEMPOTENT_METHODS
    return idempotent and isinstance(exc, _LOST_AFTER_SENDING)


def retry_after(headers: httpx.Headers, now: float | None = None) -> float | None:
    """The wait the server asks for, in seconds: ``retry-after-ms``, else ``Retry-After``.

    ``Retry-After`` may be a number of seconds or an HTTP date; unreadable values are ignored.
    """
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(float(value) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def backoff(policy: RetryPolicy, retries_done: int) -> float:
    """Exponential backoff for the next retry, with up to ``policy.jitter`` taken off."""
    delay = min(policy.initial_delay * 2.0**retries_done, policy.max_delay)
    return delay * (1.0 - policy.jitter * random.random())


def plan_retry(
    policy: RetryPolicy,
    *,
    retries_done: int,
    max_retries: int,
    elapsed: float,
    requested: float | None,
) -> float | None:
    """Seconds to wait before the next attempt, or ``None`` when no retry should happen.

    ``requested`` is the server's ``Retry-After`` (if any); ``elapsed`` counts from the start
    of the first attempt.
    """
    if retries_done >= max_retries:
        return None
    if requested is not None:
        if requested > policy.max_retry_after:
            return None
        delay = requested
    else:
        delay = backoff(policy, retries_done)
    if elapsed + delay > policy.time_budget:
        return None
    return delay
