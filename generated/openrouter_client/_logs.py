"""Debug logging: one logger named after the package, switched on by an environment variable.

``OPENROUTER_CLIENT_LOG=debug`` attaches a stderr handler to this package's logger (every request
with redacted headers and body, every response, every retry) and to httpx's (one line per HTTP
exchange); ``=info`` shows httpx's lines and this package's retries (logged at INFO, as the
``openai`` SDK logs them). This happens when the package is imported;
otherwise the loggers stay silent unless the application configures logging itself. Secrets
never reach a log line: the ``Authorization`` header (and any header whose value contains the
key) is replaced by ``<redacted>`` and the key is cut out of bodies and messages.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping

from ._constants import LOG_ENV, PACKAGE

logger = logging.getLogger(PACKAGE)

REDACTED = "<redacted>"
SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})
BODY_LOG_LIMIT = 2000


def setup_logging() -> None:
    """Attach a stderr handler when the environment variable asks for debug or info logs."""
    level = {"debug": logging.DEBUG, "info": logging.INFO}.get(
        os.environ.get(LOG_ENV, "").strip().lower()
    )
    if level is None:
        return
    for target in (logger, logging.getLogger("httpx")):
        if any(getattr(h, "_from_env", False) for h in target.handlers):
            continue
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
        setattr(handler, "_from_env", True)
        target.addHandler(handler)
        target.setLevel(level)


def make_redactor(secret: str | None) -> Callable[[str], str]:
    """A function that cuts ``secret`` out of a text (identity when there is no secret)."""
    if not secret:
        return _identity

    def redact(text: str) -> str:
        return text.replace(secret, REDACTED) if secret in text else text

    return redact


def _identity(text: str) -> str:
    return text


def redact_headers(headers: Mapping[str, str], redact: Callable[[str], str]) -> dict[str, str]:
    """Headers fit for a log line: sensitive ones and any value holding the key redacted."""
    return {
        name: REDACTED if name.lower() in SENSITIVE_HEADERS else redact(value)
        for name, value in headers.items()
    }


def body_for_log(content: bytes | None, redact: Callable[[str], str]) -> str:
    """The start of a request body as text, for a debug line."""
    if not content:
        return "-"
    # Redact before cutting, so a key straddling the cut cannot leak its first half.
    text = redact(content.decode("utf-8", "replace"))
    if len(text) <= BODY_LOG_LIMIT:
        return text
    return f"{text[:BODY_LOG_LIMIT]}... ({len(content)} bytes)"
