"""Every error the client raises, in one hierarchy.

::

    OpenRouterError
    ├── MissingAPIKeyError             no api_key argument and no environment variable
    └── APIError                       .message .request .body
        ├── APIConnectionError         the request or the response got lost on the way
        │   └── APITimeoutError
        │       └── APIPoolExhaustedError  no free pooled connection in time (never sent)
        ├── APIResponseValidationError a 2xx body that cannot be read (not JSON, truncated,
        │                              not what the decoder expects); .response .excerpt
        └── APIStatusError             the API answered with an error; .status_code .code
            │                          .message .metadata .provider_name .raw .headers .response
            ├── BadRequestError 400, AuthenticationError 401, PaymentRequiredError 402,
            │   PermissionDeniedError 403, NotFoundError 404, ConflictError 409,
            │   UnprocessableEntityError 422, RateLimitError 429
            └── InternalServerError    every status >= 500

The API also sends its error object (``{"error": {"code", "message", "metadata"}}``) with HTTP
200, as the whole body or as one event of a stream. Both raise the class chosen by the error's
``code``, exactly as if that code had been the HTTP status, so ``except RateLimitError`` catches
all three forms; ``http_status`` keeps the real HTTP status and ``in_stream`` tells a mid-stream
error (raised after the events before it were delivered) apart. A non-numeric ``code`` falls back
to the HTTP status for ``status_code``. No message, ``str`` or ``repr`` contains the API key.
An operation whose success body itself declares an ``error`` property (a Responses object that
failed, a job that ended in error) returns such a 2xx body as its answer instead of raising.

An error that ends a stream (raised while iterating it, or by ``accumulate()``) carries what the
stream had delivered, folded up, in ``partial``: text, reasoning, tool calls and usage (the error
event's own usage included) for chat, the text and status so far for Responses streams.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import httpx

if TYPE_CHECKING:
    from ._accumulate import AccumulatedCompletion, AccumulatedResponse

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIPoolExhaustedError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingAPIKeyError",
    "NotFoundError",
    "OpenRouterError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "status_error_class",
]


class OpenRouterError(Exception):
    """Base class of every error raised by this client."""

    partial: AccumulatedCompletion[Any] | AccumulatedResponse | None = None
    """What the stream this error ended had delivered, folded up (None when it ended no stream,
    or a stream of events neither chat chunks nor Responses events)."""


class MissingAPIKeyError(OpenRouterError):
    """Neither ``api_key=`` nor the environment variable gave an API key."""


class APIError(OpenRouterError):
    """An error tied to one HTTP exchange: what was asked (``request``) and what came back."""

    message: str
    request: httpx.Request | None
    body: object

    def __init__(self, message: str, *, request: httpx.Request | None, body: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body

    def __str__(self) -> str:
        return self.message


class APIConnectionError(APIError):
    """The request could not be sent, or the connection broke before the whole answer came."""

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request | None
    ) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout expired."""

    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request | None
    ) -> None:
        super().__init__(message, request=request)


class APIPoolExhaustedError(APITimeoutError):
    """Every connection of the pool stayed in use for the whole pool timeout; nothing was sent.

    ``max_connections`` is the pool's limit when the client built the pool itself (``None`` for
    an ``http_client`` passed in). Usually streams that are kept open (not read to the end nor
    closed), or more concurrent calls than the limit: close streams in a ``with`` block, or raise
    the limit with ``connection_limits=httpx.Limits(max_connections=...)``.
    """

    max_connections: int | None

    def __init__(
        self,
        message: str = "No free connection in the pool.",
        *,
        request: httpx.Request | None,
        max_connections: int | None = None,
    ) -> None:
        super().__init__(message, request=request)
        self.max_connections = max_connections


class APIResponseValidationError(APIError):
    """A successful response whose body cannot be read or decoded.

    ``excerpt`` holds the start of the body as text (for bodies that are not JSON at all).
    """

    response: httpx.Response | None
    status_code: int
    excerpt: str

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response | None,
        body: object = None,
        excerpt: str = "",
    ) -> None:
        super().__init__(
            message,
            request=response.request if response is not None else None,
            body=body,
        )
        self.response = response
        self.status_code = response.status_code if response is not None else 200
        self.excerpt = excerpt

    @property
    def headers(self) -> httpx.Headers:
        """Headers of the response (empty for a stream read from bytes)."""
        return self.response.headers if self.response is not None else httpx.Headers()


class APIStatusError(APIError):
    """The API answered with an error: an HTTP status >= 400, or an error object in a 200.

    ``status_code`` is the HTTP status, or the numeric error ``code`` when that arrived with
    HTTP 200; ``code``, ``message`` and ``metadata`` come from the error object when there is
    one; ``body`` is the whole parsed body (or the body text when it was not JSON).
    """

    status_code: int
    http_status: int
    code: int | str | None
    metadata: Mapping[str, object] | None
    response: httpx.Response | None
    in_stream: bool

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response | None,
        status_code: int,
        code: int | str | None = None,
        metadata: Mapping[str, object] | None = None,
        body: object = None,
        in_stream: bool = False,
    ) -> None:
        super().__init__(
            message,
            request=response.request if response is not None else None,
            body=body,
        )
        self.status_code = status_code
        self.http_status = response.status_code if response is not None else 200
        self.code = code
        self.metadata = metadata
        self.response = response
        self.in_stream = in_stream

    @property
    def headers(self) -> httpx.Headers:
        """Headers of the response (empty for a stream read from bytes)."""
        return self.response.headers if self.response is not None else httpx.Headers()

    @property
    def provider_name(self) -> str | None:
        """The upstream provider that failed, when the API names one in ``metadata``."""
        value = self.metadata.get("provider_name") if self.metadata else None
        return value if isinstance(value, str) else None

    @property
    def raw(self) -> object:
        """The provider's own error payload (``metadata.raw``), when the API passes it on."""
        return self.metadata.get("raw") if self.metadata else None

    @property
    def user_id(self) -> str | None:
        """The ``user_id`` next to the error object, when the API sends one."""
        body = self.body
        fields = cast("Mapping[str, object]", body) if isinstance(body, Mapping) else None
        value = fields.get("user_id") if fields is not None else None
        return value if isinstance(value, str) else None


class BadRequestError(APIStatusError):
    """400: the request is malformed or has invalid parameters."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, invalid, expired or disabled."""


class PaymentRequiredError(APIStatusError):
    """402: not enough credits for this request."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this (for example, input flagged by moderation)."""


class NotFoundError(APIStatusError):
    """404: no such resource."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the current state (retried by default)."""


class UnprocessableEntityError(APIStatusError):
    """422: the request is well formed but cannot be processed."""


class RateLimitError(APIStatusError):
    """429: rate limited (retried by default, honouring ``Retry-After``)."""


class InternalServerError(APIStatusError):
    """Any status >= 500, including a provider that is down or returned garbage (502)."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The exception class for an HTTP status (or an error object's numeric code)."""
    if status >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status, APIStatusError)
