"""The HTTP core shared by every generated endpoint: one sync and one async base client.

Each call goes through ``request`` (decoded body), ``request_raw`` (status, headers and
decoded body), ``request_stream`` (an iterator of decoded event-stream chunks) or
``request_binary`` (a binary body read as it arrives). The base
client owns authentication, default headers, timeouts, retries, error mapping and debug
logging; the generated code only describes the request (``RequestOptions``) and how to decode
the JSON that comes back. Policy and defaults are described in ``_constants``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import ssl
import time
from collections.abc import Callable, Mapping
from copy import copy as shallow_copy
from dataclasses import dataclass
from functools import cache
from types import TracebackType
from typing import Any, Literal, Self, TypeVar, cast

import httpx

from ._binary import AsyncBinaryStream, BinaryStream
from ._constants import (
    API_KEY_ENV,
    AUTH,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_CONNECTION_LIMITS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    USER_AGENT,
)
from ._exceptions import (
    APIConnectionError,
    APIPoolExhaustedError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    MissingAPIKeyError,
    OpenRouterError,
)
from ._logs import body_for_log, logger, make_redactor, redact_headers, setup_logging
from ._response import APIResponse, is_json_response, read_body
from ._retries import (
    DEFAULT_RETRY_POLICY,
    RetryPolicy,
    is_retryable_error,
    is_retryable_status,
    plan_retry,
    retry_after,
)
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, NotGiven, Timeout

__all__ = ["AsyncAPIClient", "RequestOptions", "SyncAPIClient"]

T = TypeVar("T")

setup_logging()

# httpx's own default (5 s for everything) is too short for completions; an injected client
# that still has it gets our default instead.
_HTTPX_DEFAULT_TIMEOUT = httpx.Timeout(5.0)


@cache
def _shared_ssl_context() -> ssl.SSLContext:
    """One verifying SSL context for every client this package creates.

    Loading the CA bundle costs about 30 ms per ``httpx.Client``; sharing the context makes
    creating a client cheap (the context is read-only once built, so sharing is safe).
    """
    return httpx.create_ssl_context()


@dataclass(frozen=True, slots=True)
class RequestOptions:
    """Everything one call needs; built by the generated endpoint functions.

    ``path`` is already formatted with percent-encoded path parameters; ``query`` values are
    JSON-like (``None`` values are left out); ``json_body`` is the encoded JSON value or
    ``NOT_GIVEN`` for no body. The ``extra_*`` mappings come from the caller and win over
    everything else (``extra_body`` is merged into the top level of the JSON object; a
    ``None`` in ``extra_query`` removes that parameter). ``stream=True`` marks an operation
    whose answer is an event stream; such options go to ``request_stream``. ``content`` is a
    body the endpoint encoded itself (a form, multipart parts, raw bytes), sent as is with
    ``content_type``; ``json_body`` and ``extra_body`` must then be left out.
    ``raw_response`` marks an operation whose success body is not JSON: it is returned
    unparsed, as ``str`` (``"text"``, a ``text/*`` answer) or ``bytes`` (a file; or, through
    ``request_binary``, as a stream of them).
    ``error_is_data`` marks an operation whose success body declares an ``error`` property (a
    failed Responses object, a job that ended in error): a 2xx body with ``error`` is then
    that answer, decoded, not the API's error object raised (see ``read_body``).
    """

    method: str
    path: str
    query: Mapping[str, object] | None = None
    json_body: object = NOT_GIVEN
    headers: Mapping[str, str] | None = None
    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, object] | None = None
    extra_body: Mapping[str, object] | None = None
    timeout: Timeout | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN
    stream: bool = False
    content: bytes | None = None
    content_type: str = "application/octet-stream"
    raw_response: Literal["text", "bytes"] | None = None
    error_is_data: bool = False
    auth: tuple[str, str, str] | None | NotGiven = NOT_GIVEN


class _BaseClient:
    """Settings and request building shared by the sync and async clients."""

    _api_key: str
    _base_url: str
    _headers: dict[str, str]
    _default_query: dict[str, object]
    _redact: Callable[[str], str]
    _owns_client: bool
    _max_connections: int | None  # None: no limit, or a pool built by the caller
    timeout: Timeout
    max_retries: int
    retry_policy: RetryPolicy

    def _configure(
        self,
        *,
        api_key: str | None,
        base_url: str | httpx.URL | None,
        timeout: Timeout | NotGiven,
        client_timeout: httpx.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        retry_policy: RetryPolicy | None,
        attribution: Mapping[str, str | None],
    ) -> None:
        key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
        key = (key or "").strip()
        if not key:
            raise MissingAPIKeyError(
                f"No API key: pass api_key=... or set the {API_KEY_ENV} environment variable."
            )
        if not all(32 < ord(c) < 127 for c in key):
            raise OpenRouterError(
                "The API key contains characters that cannot be sent in an HTTP header "
                "(spaces, line breaks or non-ASCII)."
            )
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self._api_key = key
        self._redact = make_redactor(key)
        url = str(base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)
        self._base_url = url.rstrip("/")
        if isinstance(timeout, NotGiven):
            use_client = client_timeout is not None and client_timeout != _HTTPX_DEFAULT_TIMEOUT
            timeout = client_timeout if use_client else DEFAULT_TIMEOUT
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_policy = retry_policy or DEFAULT_RETRY_POLICY
        headers = {"accept": "application/json", "user-agent": USER_AGENT}
        for name, value in attribution.items():
            if value is not None:
                headers[name.lower()] = value
        for name, value in (default_headers or {}).items():
            headers[name.lower()] = value
        self._headers = headers
        self._default_query = dict(default_query or {})

    @property
    def api_key(self) -> str:
        """The API key in use."""
        return self._api_key

    @property
    def base_url(self) -> str:
        """The base URL every path is appended to."""
        return self._base_url

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._base_url!r}, timeout={self.timeout!r}, "
            f"max_retries={self.max_retries!r})"
        )

    def _copy_with(
        self,
        *,
        base_url: str | httpx.URL | None,
        timeout: Timeout | NotGiven,
        max_retries: int | NotGiven,
        default_headers: Mapping[str, str] | None,
        retry_policy: RetryPolicy | None,
    ) -> Self:
        new = shallow_copy(self)
        # The copy shares the connection pool; only the original closes it.
        new._owns_client = False
        if base_url is not None:
            new._base_url = str(base_url).rstrip("/")
        if not isinstance(timeout, NotGiven):
            new.timeout = timeout
        if not isinstance(max_retries, NotGiven):
            new.max_retries = max_retries
        if default_headers:
            new._headers = {
                **self._headers,
                **{name.lower(): value for name, value in default_headers.items()},
            }
        if retry_policy is not None:
            new.retry_policy = retry_policy
        new._post_copy()
        return new

    def _post_copy(self) -> None:
        """Called on a fresh copy from ``with_options``; subclasses that hold objects bound to
        the client (resource namespaces) rebind them here."""

    def _request_args(self, options: RequestOptions, events: bool) -> dict[str, Any]:
        headers = self._headers.copy()
        if events:
            headers["accept"] = "text/event-stream"
        body = options.json_body
        if options.content is not None and (options.extra_body or not isinstance(body, NotGiven)):
            raise TypeError("a pre-encoded body cannot be combined with json_body or extra_body")
        if options.extra_body:
            if isinstance(body, NotGiven):
                body = dict(options.extra_body)
            elif isinstance(body, dict):
                body = {**cast("dict[str, object]", body), **options.extra_body}
            else:
                raise TypeError("extra_body can only extend a JSON object body")
        content = options.content
        if content is not None:
            headers["content-type"] = options.content_type
        elif not isinstance(body, NotGiven):
            content = json.dumps(
                body, ensure_ascii=False, separators=(",", ":"), allow_nan=False
            ).encode("utf-8")
            headers["content-type"] = "application/json"
        if options.headers:
            for name, value in options.headers.items():
                headers[name.lower()] = value
        auth = AUTH if isinstance(options.auth, NotGiven) else options.auth
        if auth is not None and auth[0] != "query":
            where, name, prefix = auth
            if where == "header":
                headers.setdefault(name, prefix + self._api_key)
            else:  # a cookie, beside any the operation sends
                cookie = f"{name}={prefix}{self._api_key}"
                headers["cookie"] = (
                    f"{headers['cookie']}; {cookie}" if "cookie" in headers else cookie
                )
        if options.extra_headers:
            for name, value in options.extra_headers.items():
                headers[name.lower()] = value
        params: dict[str, object] | None = None
        in_query = auth is not None and auth[0] == "query"
        if self._default_query or options.query or options.extra_query or in_query:
            params = dict(self._default_query)
            if auth is not None and in_query:
                params[auth[1]] = auth[2] + self._api_key
            if options.query:
                for key, item in options.query.items():
                    if item is not None:
                        params[key] = item
            if options.extra_query:
                for key, item in options.extra_query.items():
                    if item is None:
                        params.pop(key, None)
                    else:
                        params[key] = item
        path = options.path if options.path.startswith("/") else "/" + options.path
        timeout = self.timeout if isinstance(options.timeout, NotGiven) else options.timeout
        return {
            "method": options.method.upper(),
            "url": self._base_url + path,
            "params": params,
            "headers": headers,
            "content": content,
            "timeout": timeout,
        }

    def _max_retries(self, options: RequestOptions) -> int:
        if isinstance(options.max_retries, NotGiven):
            return self.max_retries
        if options.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        return options.max_retries

    def _log_request(self, request: httpx.Request, attempt: int) -> None:
        logger.debug(
            "Request %s %s (attempt %d) headers=%s body=%s",
            request.method,
            self._redact(str(request.url)),
            attempt,
            redact_headers(request.headers, self._redact),
            body_for_log(request.content, self._redact),
        )

    def _log_response(self, request: httpx.Request, response: httpx.Response, t0: float) -> None:
        logger.debug(
            "Response %s %s -> %d %s after %.1f ms",
            request.method,
            self._redact(str(request.url)),
            response.status_code,
            response.reason_phrase,
            (time.monotonic() - t0) * 1000.0,
        )

    def _retry_delay(
        self,
        request: httpx.Request,
        reason: str,
        retries_done: int,
        max_retries: int,
        started: float,
        headers: httpx.Headers | None,
    ) -> float | None:
        delay = plan_retry(
            self.retry_policy,
            retries_done=retries_done,
            max_retries=max_retries,
            elapsed=time.monotonic() - started,
            requested=retry_after(headers) if headers is not None else None,
        )
        # At INFO, in the openai SDK's words, so an app's logging shows its retries.
        if delay is not None and logger.isEnabledFor(logging.INFO):
            logger.info(
                "Retrying request to %s in %.3g seconds (%s, retry %d of %d, after %s)",
                self._route(request),
                delay,
                request.method,
                retries_done + 1,
                max_retries,
                self._redact(reason),
            )
        return delay

    def _route(self, request: httpx.Request) -> str:
        """The request's URL without its query, relative to the base URL (``/chat/completions``)."""
        url = str(request.url.copy_with(query=None, fragment=None))
        return self._redact(url[len(self._base_url) :] if url.startswith(self._base_url) else url)

    def _transport_error(self, exc: httpx.HTTPError, request: httpx.Request) -> APIConnectionError:
        name = type(exc).__name__
        detail = self._redact(f"{name}: {exc}" if str(exc) else name)
        where = f"{request.method} {self._redact(str(request.url))}"
        if isinstance(exc, httpx.PoolTimeout):
            return self._pool_exhausted(request, where)
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"Request timed out: {where} ({detail})", request=request)
        return APIConnectionError(f"Connection error: {where} ({detail})", request=request)

    def _pool_exhausted(self, request: httpx.Request, where: str) -> APIPoolExhaustedError:
        waited = request.extensions.get("timeout", {}).get("pool")
        limit = self._max_connections
        if self._owns_client:
            busy = f"all {limit} connections of the pool" if limit else "every pooled connection"
        else:
            busy = "every connection of the http_client passed in"
        message = (
            f"No free connection: {busy} stayed in use for {waited} s (the pool timeout); "
            f"{where} was not sent. Close streams you stop reading (a with block, or "
            "close() / aclose()), or allow more connections: "
            "connection_limits=httpx.Limits(max_connections=...)."
        )
        return APIPoolExhaustedError(message, request=request, max_connections=limit)

    def _decode(self, decode: Callable[[Any], T], data: object, response: httpx.Response) -> T:
        try:
            return decode(data)
        except OpenRouterError:
            raise
        except Exception as exc:
            raise APIResponseValidationError(
                self._redact(
                    f"{response.status_code} response body could not be decoded: "
                    f"{type(exc).__name__}: {exc}"
                ),
                response=response,
                body=data,
            ) from exc


async def _async_sleep(seconds: float) -> None:
    # anyio (asyncio or trio, whichever runs us) is imported on the first retry only: importing
    # it costs a few milliseconds that `import openrouter_client` should not pay.
    import anyio

    await anyio.sleep(seconds)


def _pool_limits(http_client: object, connection_limits: httpx.Limits | None) -> httpx.Limits:
    """The limits of the pool the client builds (an ``http_client`` brings its own)."""
    if http_client is not None and connection_limits is not None:
        raise ValueError(
            "connection_limits= applies to the pool the client builds; with http_client= set "
            "the limits on that client instead: httpx.Client(limits=httpx.Limits(...))"
        )
    return connection_limits if connection_limits is not None else DEFAULT_CONNECTION_LIMITS


async def _release_after_cancel(client: httpx.AsyncClient, request: httpx.Request) -> None:
    """Give back the pool slots that cancelled requests left behind.

    httpcore 1.0.9 shields its clean-up from anyio cancellation but not from asyncio's own
    (``asyncio.wait_for``, ``task.cancel``), so a cancellation that lands while a connection is
    opened, a request sent or a response closed can stop the clean-up half-way (20 rounds of 30
    concurrent ``wait_for`` calls over a pool of 20 held all 20 slots in 4 of 6 runs):

    - this request stays queued in the pool, its connection ACTIVE, though nothing will ever
      read or close it: its entry is removed and the connection closed;
    - a connection no queued request owns stays in the pool neither idle nor closed (NEW: opened
      but never used; ACTIVE: a response closed half-way; never connected, encode/httpcore#1093):
      it is closed. Nothing else can use such a connection: the pool hands connections only to
      queued requests, and a request leaves the queue only after its connection's clean-up.

    Our request is found by its ``extensions`` dict, which httpx hands to httpcore as is. By the
    time this runs the cancellation has unwound every frame that used the request. It runs
    without awaiting until the pool is consistent, so no other task sees it half-done. Reads
    private httpcore attributes, defensively: with another pool implementation it does nothing.
    """
    pool: Any = getattr(getattr(client, "_transport", None), "_pool", None)
    pooled = _private_list(getattr(pool, "_connections", None))
    pending = _private_list(getattr(pool, "_requests", None))
    if pooled is None or pending is None:
        return
    for entry in [entry for entry in pending if _extensions_of(entry) is request.extensions]:
        pending.remove(entry)
    owned = {id(getattr(entry, "connection", None)) for entry in pending}
    closing: list[Any] = [
        connection for connection in pooled if id(connection) not in owned and _is_stuck(connection)
    ]
    if not closing:
        return
    for connection in closing:
        pooled.remove(connection)
    assign = getattr(pool, "_assign_requests_to_connections", None)
    if callable(assign):
        # Requests queued for a slot get the ones just freed now, not at the pool's next event.
        closing.extend(cast("list[Any]", assign()))
    for connection in closing:
        with contextlib.suppress(Exception):  # its socket may be half-closed already
            await connection.aclose()


def _is_stuck(connection: Any) -> bool:
    """Neither idle nor closed: in use, which an unowned connection cannot be."""
    is_idle = getattr(connection, "is_idle", None)
    is_closed = getattr(connection, "is_closed", None)
    return callable(is_idle) and callable(is_closed) and not is_idle() and not is_closed()


def _extensions_of(entry: object) -> object:
    """The ``extensions`` dict of a pool entry's request (None if it has none)."""
    return getattr(getattr(entry, "request", None), "extensions", None)


def _private_list(value: object) -> list[object] | None:
    """``value`` when it is a list (of httpcore's objects, whose types are private to it)."""
    return cast("list[object]", value) if isinstance(value, list) else None


def _refuse_stream(options: RequestOptions) -> None:
    if options.stream:
        raise ValueError("RequestOptions(stream=True) must be sent with request_stream()")


def _needs_body(response: httpx.Response) -> bool:
    """A streamed response must be read whole when it is an error or plain JSON."""
    return not 200 <= response.status_code < 300 or is_json_response(response)


class SyncAPIClient(_BaseClient):
    """Blocking client on ``httpx.Client``; use as a context manager or call ``close()``."""

    _client: httpx.Client

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.Client | None = None,
        retry_policy: RetryPolicy | None = None,
        connection_limits: httpx.Limits | None = None,
        http_referer: str | None = None,
        x_title: str | None = None,
    ) -> None:
        """Configure the client; the generated client class documents each option."""
        self._configure(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            client_timeout=http_client.timeout if http_client is not None else None,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            retry_policy=retry_policy,
            attribution={
                "HTTP-Referer": http_referer,
                "X-Title": x_title,
            },
        )
        limits = _pool_limits(http_client, connection_limits)
        self._owns_client = http_client is None
        self._max_connections = limits.max_connections if http_client is None else None
        self._client = (
            http_client
            if http_client is not None
            else httpx.Client(timeout=self.timeout, verify=_shared_ssl_context(), limits=limits)
        )

    def with_options(
        self,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> Self:
        """A copy with some settings changed, sharing this client's connection pool."""
        return self._copy_with(
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            retry_policy=retry_policy,
        )

    copy = with_options

    def close(self) -> None:
        """Close the connection pool (not an ``http_client`` passed in by the caller)."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def request(self, options: RequestOptions, decode: Callable[[Any], T]) -> T:
        """Send, retry as needed, and return the decoded body."""
        _refuse_stream(options)
        response, data, _ = self._send(options, stream=False)
        return self._decode(decode, data, response)

    def request_raw(self, options: RequestOptions, decode: Callable[[Any], T]) -> APIResponse[T]:
        """Like ``request``, but with the status, headers and raw response alongside."""
        _refuse_stream(options)
        response, data, retries = self._send(options, stream=False)
        return APIResponse(response, self._decode(decode, data, response), retries)

    def request_stream(
        self,
        options: RequestOptions,
        decode_chunk: Callable[[Any], T],
        decode_event: Callable[[Any, str], T] | None = None,
    ) -> Stream[T]:
        """Send (retrying only until a 2xx event stream starts) and iterate decoded chunks;
        ``decode_event`` decodes events that have an ``event:`` name."""
        response, _, _ = self._send(options, stream=True, events=True)
        return Stream(
            response.iter_bytes(),
            decode_chunk,
            response=response,
            redact=self._redact,
            decode_event=decode_event,
        )

    def request_binary(self, options: RequestOptions) -> BinaryStream:
        """Send (retrying only until a 2xx answer starts) and return its body unread, as a
        stream of bytes; an error status raises here, typed, as ``request`` would."""
        _refuse_stream(options)
        response, _, _ = self._send(options, stream=True)
        return BinaryStream(response, redact=self._redact)

    def _send(
        self, options: RequestOptions, *, stream: bool, events: bool = False
    ) -> tuple[httpx.Response, object, int]:
        """Send, retrying as the policy says, and return the response with its decoded body and
        the retries taken. ``stream``: a 2xx answer that is not JSON is returned unread (the
        body is None); ``events``: that answer is to be an event stream."""
        request = self._client.build_request(**self._request_args(options, events))
        max_retries = self._max_retries(options)
        started = time.monotonic()
        retries = 0
        while True:
            debug = logger.isEnabledFor(logging.DEBUG)
            if debug:
                self._log_request(request, retries + 1)
            t0 = time.monotonic()
            try:
                response = self._client.send(request, stream=stream)
                if stream and _needs_body(response):
                    try:
                        response.read()
                    finally:
                        response.close()
            except httpx.HTTPError as exc:
                delay = None
                if is_retryable_error(exc, request.method, self.retry_policy.retry_non_idempotent):
                    delay = self._retry_delay(
                        request, type(exc).__name__, retries, max_retries, started, None
                    )
                if delay is None:
                    raise self._transport_error(exc, request) from exc
                time.sleep(delay)
                retries += 1
                continue
            if debug:
                self._log_response(request, response, t0)
            if stream and not _needs_body(response):
                return response, None, retries
            try:
                data = read_body(
                    response,
                    self._redact,
                    stream=events,
                    raw=options.raw_response,
                    error_is_data=options.error_is_data,
                )
            except APIStatusError as err:
                delay = None
                if is_retryable_status(err.status_code):
                    reason = str(err.status_code)
                    delay = self._retry_delay(
                        request, reason, retries, max_retries, started, err.headers
                    )
                if delay is None:
                    raise
            else:
                return response, data, retries
            time.sleep(delay)
            retries += 1


class AsyncAPIClient(_BaseClient):
    """Async client on ``httpx.AsyncClient``; use ``async with`` or call ``aclose()``."""

    _client: httpx.AsyncClient

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry_policy: RetryPolicy | None = None,
        connection_limits: httpx.Limits | None = None,
        http_referer: str | None = None,
        x_title: str | None = None,
    ) -> None:
        """Configure the client; the generated client class documents each option."""
        self._configure(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            client_timeout=http_client.timeout if http_client is not None else None,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            retry_policy=retry_policy,
            attribution={
                "HTTP-Referer": http_referer,
                "X-Title": x_title,
            },
        )
        limits = _pool_limits(http_client, connection_limits)
        self._owns_client = http_client is None
        self._max_connections = limits.max_connections if http_client is None else None
        self._client = (
            http_client
            if http_client is not None
            else httpx.AsyncClient(
                timeout=self.timeout, verify=_shared_ssl_context(), limits=limits
            )
        )

    def with_options(
        self,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> Self:
        """A copy with some settings changed, sharing this client's connection pool."""
        return self._copy_with(
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            retry_policy=retry_policy,
        )

    copy = with_options

    async def aclose(self) -> None:
        """Close the connection pool (not an ``http_client`` passed in by the caller)."""
        if self._owns_client:
            await self._client.aclose()

    close = aclose

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def request(self, options: RequestOptions, decode: Callable[[Any], T]) -> T:
        """Send, retry as needed, and return the decoded body."""
        _refuse_stream(options)
        response, data, _ = await self._send(options, stream=False)
        return self._decode(decode, data, response)

    async def request_raw(
        self, options: RequestOptions, decode: Callable[[Any], T]
    ) -> APIResponse[T]:
        """Like ``request``, but with the status, headers and raw response alongside."""
        _refuse_stream(options)
        response, data, retries = await self._send(options, stream=False)
        return APIResponse(response, self._decode(decode, data, response), retries)

    async def request_stream(
        self,
        options: RequestOptions,
        decode_chunk: Callable[[Any], T],
        decode_event: Callable[[Any, str], T] | None = None,
    ) -> AsyncStream[T]:
        """Send (retrying only until a 2xx event stream starts) and iterate decoded chunks;
        ``decode_event`` decodes events that have an ``event:`` name."""
        response, _, _ = await self._send(options, stream=True, events=True)
        return AsyncStream(
            response.aiter_bytes(),
            decode_chunk,
            response=response,
            redact=self._redact,
            decode_event=decode_event,
        )

    async def request_binary(self, options: RequestOptions) -> AsyncBinaryStream:
        """Send (retrying only until a 2xx answer starts) and return its body unread, as a
        stream of bytes; an error status raises here, typed, as ``request`` would."""
        _refuse_stream(options)
        response, _, _ = await self._send(options, stream=True)
        return AsyncBinaryStream(response, redact=self._redact)

    async def _send(
        self, options: RequestOptions, *, stream: bool, events: bool = False
    ) -> tuple[httpx.Response, object, int]:
        """As in ``SyncAPIClient._send``."""
        request = self._client.build_request(**self._request_args(options, events))
        max_retries = self._max_retries(options)
        started = time.monotonic()
        retries = 0
        while True:
            debug = logger.isEnabledFor(logging.DEBUG)
            if debug:
                self._log_request(request, retries + 1)
            t0 = time.monotonic()
            try:
                response = await self._client.send(request, stream=stream)
                if stream and _needs_body(response):
                    try:
                        await response.aread()
                    finally:
                        await response.aclose()
            except httpx.HTTPError as exc:
                delay = None
                if is_retryable_error(exc, request.method, self.retry_policy.retry_non_idempotent):
                    delay = self._retry_delay(
                        request, type(exc).__name__, retries, max_retries, started, None
                    )
                if delay is None:
                    raise self._transport_error(exc, request) from exc
                await _async_sleep(delay)
                retries += 1
                continue
            except BaseException:  # cancelled (wait_for, task.cancel, a timeout scope)
                await _release_after_cancel(self._client, request)
                raise
            if debug:
                self._log_response(request, response, t0)
            if stream and not _needs_body(response):
                return response, None, retries
            try:
                data = read_body(
                    response,
                    self._redact,
                    stream=events,
                    raw=options.raw_response,
                    error_is_data=options.error_is_data,
                )
            except APIStatusError as err:
                delay = None
                if is_retryable_status(err.status_code):
                    reason = str(err.status_code)
                    delay = self._retry_delay(
                        request, reason, retries, max_retries, started, err.headers
                    )
                if delay is None:
                    raise
            else:
                return response, data, retries
            await _async_sleep(delay)
            retries += 1
