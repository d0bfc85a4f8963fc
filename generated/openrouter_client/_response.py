"""Reading one HTTP response: JSON body, error objects, and the raw-access wrapper.

These functions only look at a response whose body was already read; the clients do the I/O.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Generic, Literal, TypeVar, cast

import httpx

from ._exceptions import (
    APIResponseValidationError,
    APIStatusError,
    status_error_class,
)
from ._json import loads

T = TypeVar("T")

EXCERPT_LIMIT = 200
_JSON_TYPES = ("application/json", "+json")


class APIResponse(Generic[T]):
    """Status, headers and the decoded body of one call, together.

    ``parsed`` (or ``parse()``) is the typed result the plain call would have returned;
    ``http_response`` is the underlying ``httpx.Response``; ``retries_taken`` counts retries.
    """

    __slots__ = ("http_response", "parsed", "retries_taken")

    def __init__(self, http_response: httpx.Response, parsed: T, retries_taken: int) -> None:
        self.http_response = http_response
        self.parsed = parsed
        self.retries_taken = retries_taken

    def parse(self) -> T:
        """The decoded body (the same object every time)."""
        return self.parsed

    @property
    def status_code(self) -> int:
        """HTTP status of the final attempt."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """Response headers of the final attempt."""
        return self.http_response.headers

    @property
    def url(self) -> httpx.URL:
        """The URL that was requested."""
        return self.http_response.request.url

    @property
    def elapsed(self) -> timedelta:
        """Time from sending the final attempt to reading its whole body."""
        return self.http_response.elapsed

    @property
    def content(self) -> bytes:
        """The raw body bytes."""
        return self.http_response.content

    def __repr__(self) -> str:
        response = self.http_response
        return (
            f"<APIResponse [{response.status_code} {response.reason_phrase}] "
            f"{response.request.method} {response.request.url}>"
        )


def excerpt(data: bytes | str, limit: int = EXCERPT_LIMIT) -> str:
    """The start of a body as one line of text, for error messages."""
    size = len(data)
    text = data[: limit * 4].decode("utf-8", "replace") if isinstance(data, bytes) else data
    text = " ".join(text.split())
    if not text:
        return "empty body" if size == 0 else f"{size} bytes of whitespace"
    if len(text) > limit:
        return f"{text[:limit]!r}... ({size} bytes)"
    return repr(text)


def is_json_response(response: httpx.Response) -> bool:
    """True when the response says its body is JSON."""
    content_type: str = response.headers.get("content-type", "")
    return content_type.partition(";")[0].strip().lower().endswith(_JSON_TYPES)


class ResponseShapeError(ValueError):
    """A body whose top-level JSON class is not one the spec declares for it (an array where an
    object is expected, ...); the client raises it as an ``APIResponseValidationError``."""


_KINDS: dict[str, type] = {"object": dict, "array": list, "null": type(None)}
_FOUND: dict[type, str] = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
}


def expect_json(data: object, *kinds: Literal["object", "array", "null"]) -> None:
    """Raise ``ResponseShapeError`` unless the top level of a decoded body is one of ``kinds``.

    Only bodies declared as objects or arrays are checked: decoding one of another class would
    fail somewhere inside (or hand back a list typed as a model); scalars are kept as sent.
    """
    cls = data.__class__
    for kind in kinds:
        if cls is _KINDS[kind]:
            return
    raise ResponseShapeError(f"expected a JSON {' or '.join(kinds)}, found {json_class(data)} at /")


def json_class(data: object) -> str:
    """What a decoded JSON value is, for messages: "an object", "an array", "a string", ..."""
    cls = data.__class__
    return _FOUND.get(cls, "null or an empty body" if data is None else cls.__name__)


def as_object(value: object) -> dict[str, object] | None:
    """``value`` typed as a JSON object when it is a dict (its keys are str), else None; the
    value itself is left un-narrowed, which would leave its items' types unknown."""
    return cast("dict[str, object]", value) if isinstance(value, dict) else None


def error_object(data: object) -> Mapping[str, object] | None:
    """The ``error`` member of an API error body, if ``data`` is one.

    ``{"error": {"message": ...}}`` and ``{"error": "text"}`` both count; a body that merely
    has an ``error`` key set to null does not.
    """
    body = as_object(data)
    if body is None:
        return None
    error = body.get("error")
    found = as_object(error)
    if found is not None and ("message" in found or "code" in found):
        return found
    if isinstance(error, str):
        return {"message": error}
    return None


def status_error(
    *,
    response: httpx.Response | None,
    body: object,
    error: Mapping[str, object] | None,
    redact: Callable[[str], str],
    in_stream: bool = False,
) -> APIStatusError:
    """The exception for an error object or an error status, with a readable message."""
    http_status = response.status_code if response is not None else 200
    code_value = error.get("code") if error is not None else None
    code = code_value if isinstance(code_value, (int, str)) else None
    status = http_status
    if http_status < 400 and code is not None:
        status = _code_as_status(code, http_status)
    metadata_value = error.get("metadata") if error is not None else None
    metadata = as_object(metadata_value)
    if error is not None:
        detail = error.get("message")
        text = detail if isinstance(detail, str) and detail else "no message"
    elif isinstance(body, str):
        text = f"non-JSON error body: {excerpt(body)}"
    else:
        text = f"unexpected error body: {excerpt(json.dumps(body, default=str))}"
    message = f"{status} {text}"
    if code is not None and code != status:
        message += f" (code {code!r})"
    provider = metadata.get("provider_name") if metadata else None
    if isinstance(provider, str) and provider:
        message += f" [provider: {provider}]"
    if http_status != status or in_stream:
        where = "in a stream event" if in_stream else "in the body"
        message += f" (sent {where} of an HTTP {http_status} response)"
    return status_error_class(status)(
        redact(message),
        response=response,
        status_code=status,
        code=code,
        metadata=metadata,
        body=body,
        in_stream=in_stream,
    )


def _code_as_status(code: int | str, fallback: int) -> int:
    if isinstance(code, bool):
        return fallback
    if isinstance(code, int):
        return code if 100 <= code <= 599 else fallback
    return int(code) if code.isdigit() and 100 <= int(code) <= 599 else fallback


def read_body(
    response: httpx.Response,
    redact: Callable[[str], str],
    *,
    stream: bool = False,
    raw: Literal["text", "bytes"] | None = None,
    error_is_data: bool = False,
) -> object:
    """The parsed JSON of a response whose body was read, or the error it stands for.

    A 2xx body: empty -> ``None``; JSON -> the value, unless it is an error object, which raises
    the matching ``APIStatusError``; anything else raises ``APIResponseValidationError`` with
    an excerpt. A non-2xx status always raises an ``APIStatusError``. ``stream=True`` marks a
    request that expected an event stream but got a (JSON) body instead. ``raw``: an operation
    whose answer is not JSON; a 2xx body is returned unparsed, as ``str`` for ``"text"`` (decoded
    by the response's charset, else UTF-8) or ``bytes`` -- unless the server sent a JSON error
    object instead, which raises like any other. ``error_is_data``: the operation's success body
    declares an ``error`` property, so a 2xx JSON body (not a stream's) with ``error`` is
    returned as the answer it is, not raised.
    """
    content = response.content
    status = response.status_code
    if raw is not None and 200 <= status < 300:
        if is_json_response(response):
            try:
                sent: object = loads(content)
            except ValueError:
                sent = None
            error = error_object(sent)
            if error is not None:
                raise status_error(response=response, body=sent, error=error, redact=redact)
        return response.text if raw == "text" else content
    try:
        data: object = None if not content or content.isspace() else loads(content)
    except ValueError:
        if 200 <= status < 300:
            raise APIResponseValidationError(
                redact(f"{status} response body is not valid JSON: {excerpt(content)}"),
                response=response,
                body=content,
                excerpt=redact(excerpt(content)),
            ) from None
        body_text = redact(content.decode("utf-8", "replace"))
        raise status_error(response=response, body=body_text, error=None, redact=redact) from None
    success = 200 <= status < 300
    error = None if error_is_data and success and not stream else error_object(data)
    if error is not None or not success:
        if error is None and data is None:
            data = ""
        raise status_error(response=response, body=data, error=error, redact=redact)
    if stream:
        raise APIResponseValidationError(
            redact(
                f"expected an event stream, got {response.headers.get('content-type')!r}: "
                f"{excerpt(content)}"
            ),
            response=response,
            body=data,
        )
    return data
