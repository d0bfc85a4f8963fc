"""Defaults of the OpenRouter client: timeouts, retries, environment variables.

Timeout: ``httpx.Timeout(120.0, connect=10.0)`` unless ``timeout=`` is given per client or per
call (a number of seconds, an ``httpx.Timeout``, or ``None`` for no limit). httpx applies these
limits to each network operation (connecting, each read, each write, waiting for a pooled
connection), not to the whole call. Connecting takes well under a second on a sane network, so
10 s only catches unreachable hosts. A slow completion is not cut off by the 120 s read limit:
the API keeps slow requests alive (leading whitespace before a JSON body, ``: OPENROUTER
PROCESSING`` comments in a stream), so 120 s without a single byte means the connection is dead.

Connections: one pool per client, at most 1000 connections open at once (``openai``'s limit;
httpx's own 100 is too few for long concurrent LLM streams, each holding a connection for its
whole length), of which up to 100 idle ones are kept alive for 5 s for the next calls.
``connection_limits=httpx.Limits(...)`` on the client changes that. A call that finds every
connection busy waits for one up to the ``pool`` part of the timeout, then raises
``APIPoolExhaustedError`` (a timeout error; nothing was sent, so it is retried like a connection
failure).

Retries: ``max_retries=2`` per client, overridable per call (0 disables). Retried are 408, 409,
429 and 5xx answers (also when the error arrives in the body of a 200), connection failures
before the request was sent (any method), and, for idempotent methods only (GET, HEAD, OPTIONS,
PUT, DELETE), timeouts and connections lost after sending: a POST that may have reached the
server is not sent twice, because a duplicated completion costs money. Other 4xx are never
retried. The wait is exponential (0.5 s, 1 s, 2 s, ... at most 8 s) with up to 25 % jitter,
replaced by the server's ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date) when it
sends one; a requested wait longer than 60 s is not honoured by waiting, the error is raised.
No retry starts later than 180 s after the first attempt. A stream is retried only before its
first event: once a 2xx event stream is handed to the caller, nothing is resent.

Environment: the API key falls back to ``OPENROUTER_API_KEY``, the base URL to
``OPENROUTER_BASE_URL`` and then ``https://openrouter.ai/api/v1``; ``OPENROUTER_CLIENT_LOG=debug``
(or ``info``) sends this package's log lines to stderr.
"""

from __future__ import annotations

from typing import Final

import httpx

PACKAGE: Final = "openrouter_client"
CLIENT_NAME: Final = "OpenRouter"
VERSION: Final = "2.0.0"
USER_AGENT: Final = "OpenRouter-python/2.0.0"

API_KEY_ENV: Final = "OPENROUTER_API_KEY"
BASE_URL_ENV: Final = "OPENROUTER_BASE_URL"
LOG_ENV: Final = "OPENROUTER_CLIENT_LOG"
DEFAULT_BASE_URL: Final = "https://openrouter.ai/api/v1"
# Where the API key goes unless an operation says otherwise: (header|query|cookie, name, prefix).
AUTH: Final[tuple[str, str, str]] = ("header", "authorization", "Bearer ")

DEFAULT_TIMEOUT: Final = httpx.Timeout(120.0, connect=10.0)
DEFAULT_CONNECTION_LIMITS: Final = httpx.Limits(
    max_connections=1000, max_keepalive_connections=100, keepalive_expiry=5.0
)
DEFAULT_MAX_RETRIES: Final = 2
INITIAL_RETRY_DELAY: Final = 0.5
MAX_RETRY_DELAY: Final = 8.0
RETRY_JITTER: Final = 0.25
MAX_RETRY_AFTER: Final = 60.0
RETRY_TIME_BUDGET: Final = 180.0
