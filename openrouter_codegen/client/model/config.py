"""The client's names and defaults, from `info.x-client` with generic fallbacks, made safe.

Every value here ends up in generated code: names as identifiers (checked), the rest as literals.
A value that cannot be used (an environment variable name with spaces, an attribution header that
is not a header name) is replaced by the fallback, with a warning naming its JSON pointer.
"""

from __future__ import annotations

import re
from typing import Any

from openrouter_codegen.client.model.auth import document_auth
from openrouter_codegen.client.model.ir import ClientConfig
from openrouter_codegen.client.model.naming import pascal, snake, unique, words
from openrouter_codegen.common.diagnostics import Diagnostic, Location, Severity
from openrouter_codegen.common.schema_tools import as_mapping

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NOT_VERSION = re.compile(r"[^A-Za-z0-9.+_~-]+")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an RFC 9110 token
# Names the package's __init__.py and _client.py bind; the client classes (`X`, `AsyncX`) and the
# error base (`XError`) must not collide with them.
_PACKAGE_NAMES = frozenset({
    "APIResponse", "AccumulatedCompletion", "RetryPolicy", "Stream", "AsyncStream", "NotGiven",
    "SyncAPIClient", "AsyncAPIClient", "APIError", "MissingAPIKeyError", "APIConnectionError",
    "APITimeoutError", "APIPoolExhaustedError", "APIResponseValidationError", "APIStatusError",
    "BadRequestError", "AuthenticationError", "PaymentRequiredError", "PermissionDeniedError", "NotFoundError",
    "ConflictError", "UnprocessableEntityError", "RateLimitError", "InternalServerError",
})
# Keyword arguments of the generated client constructors.
_CLIENT_KEYWORDS = frozenset({"api_key", "base_url", "timeout", "max_retries", "default_headers",
                              "default_query", "http_client", "retry_policy",
                              "connection_limits", "self"})


def _client_name(wanted: str) -> str:
    name = pascal(wanted) if words(wanted) else "Client"
    while {name, f"Async{name}", f"{name}Error"} & _PACKAGE_NAMES:
        name += "Client"
    return name


def _server_url(document: dict[str, Any]) -> str:
    """The first server's URL with its variables at their defaults."""
    servers = document.get("servers")
    server = servers[0] if isinstance(servers, list) and servers else {}
    if not isinstance(server, dict) or not server.get("url"):
        return "http://localhost"
    url = str(server["url"])
    variables = server.get("variables")
    for name, spec in (variables.items() if isinstance(variables, dict) else ()):
        if isinstance(spec, dict) and "default" in spec:
            url = url.replace("{" + str(name) + "}", str(spec["default"]))
    return url


def _version(version: str, warnings: list[Diagnostic]) -> str:
    """The version as the client sends it in its User-Agent header: no spaces, no controls."""
    safe = _NOT_VERSION.sub("-", version).strip("-") or "0"
    if safe != version:
        warnings.append(Diagnostic(Severity.WARNING, Location(pointer="/info/version"),
                                   f"{version!r} cannot go in a User-Agent header",
                                   f"using {safe!r}"))
    return safe


def configure(document: dict[str, Any]) -> tuple[ClientConfig, tuple[Diagnostic, ...]]:
    """The client configuration of `document`, and a warning for every value that was replaced."""
    warnings: list[Diagnostic] = []

    def warn(key: str, message: str, action: str) -> None:
        warnings.append(Diagnostic(Severity.WARNING, Location(pointer=f"/info/x-client/{key}"),
                                   message, action))

    info = as_mapping(document.get("info"))
    xc = as_mapping(info.get("x-client"))
    title = str(info.get("title") or "API")
    client_name = _client_name(str(xc.get("class-name") or title.replace("API", "")))
    package = snake(str(xc.get("package") or f"{snake(client_name)}_client"))

    def env(key: str, fallback: str) -> str:
        value = xc.get(key)
        if value is None:
            return fallback
        if not isinstance(value, str) or not _ENV_NAME.fullmatch(value):
            warn(key, f"{value!r} is not an environment variable name", f"using {fallback}")
            return fallback
        return value

    attribution: list[tuple[str, str]] = []
    taken = set(_CLIENT_KEYWORDS)
    headers = xc.get("attribution-headers")
    for key, header in sorted((headers or {}).items() if isinstance(headers, dict) else (),
                              key=lambda kv: str(kv[0])):
        if not isinstance(header, str) or not _HEADER_NAME.fullmatch(header):
            warn("attribution-headers", f"{header!r} (for {key!r}) is not an HTTP header name",
                 "left out")
            continue
        attribution.append((unique(snake(str(key)), taken), header))
    config = ClientConfig(
        package=package,
        client_name=client_name,
        api_key_env=env("api-key-env", f"{snake(client_name).upper()}_API_KEY"),
        log_env=env("log-env", f"{package.upper()}_LOG"),
        default_base_url=_server_url(document),
        attribution_headers=tuple(attribution),
        title=title,
        version=_version(str(info.get("version") or "0"), warnings),
        description=None if info.get("description") is None else str(info["description"]),
        auth=document_auth(document),
    )
    return config, tuple(warnings)


def client_config(document: dict[str, Any]) -> ClientConfig:
    """The client configuration of `document` (see `configure` for the warnings)."""
    return configure(document)[0]
