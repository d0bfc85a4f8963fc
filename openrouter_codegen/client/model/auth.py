"""Where the client's API key goes, from the document's security schemes.

OpenAPI names the credentials an operation needs (`security`, else the document's); each is a
scheme of `components.securitySchemes`. The client has one key (`api_key=`), and puts it where
the first requirement of the operation's first usable alternative says: an `Authorization:
Bearer` header (`http` bearer, `oauth2`, `openIdConnect`), `Authorization: Basic` (`http` basic:
the key is sent as given, the base64 of `user:password`), or a named header, query parameter or
cookie (`apiKey`). `security: []` means no credential: none is sent. A document that declares no
usable scheme gets the bearer header (what most APIs, OpenRouter's included, expect).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from openrouter_codegen.common.schema_tools import as_mapping

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an RFC 9110 token (header, cookie names)


@dataclass(frozen=True)
class Auth:
    """Where the key goes: a header (names lower case, as the runtime keeps them), a query
    parameter or a cookie, and what comes before it (`Bearer `)."""

    location: Literal["header", "query", "cookie"]
    name: str
    prefix: str = ""


BEARER = Auth("header", "authorization", "Bearer ")


def _scheme_auth(scheme: Any) -> Auth | None:
    """The placement one security scheme asks for, or None for a scheme we cannot serve."""
    scheme = as_mapping(scheme)
    kind = scheme.get("type")
    if kind in ("oauth2", "openIdConnect"):
        return BEARER
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        if http == "bearer":
            return BEARER
        return Auth("header", "authorization", "Basic ") if http == "basic" else None
    if kind == "apiKey":
        where, name = scheme.get("in"), scheme.get("name")
        if where in ("header", "query", "cookie") and isinstance(name, str) and name and (
                where == "query" or _TOKEN.fullmatch(name)):
            return Auth(where, name.lower() if where == "header" else name)
    return None


def requirement_auth(requirements: Any,
                     schemes: dict[Any, Any]) -> Auth | None | Literal[False]:
    """The placement a `security` list asks for; None when it asks for no credential; False
    when none of its alternatives can be served."""
    if not isinstance(requirements, list):
        return False
    if not requirements:
        return None
    for requirement in requirements:
        names = list(as_mapping(requirement))
        if not names:
            return None  # `{}`: the credential is optional; send none rather than guess
        placements = [_scheme_auth(schemes.get(name)) for name in names]
        if placements[0] is not None:
            return placements[0]
    return False


def _schemes(document: dict[str, Any]) -> dict[Any, Any]:
    return as_mapping(as_mapping(document.get("components")).get("securitySchemes"))


def document_auth(document: dict[str, Any]) -> Auth:
    """Where the key goes by default: the document's `security`, else its first usable scheme,
    else the bearer header."""
    schemes = _schemes(document)
    found = requirement_auth(document.get("security"), schemes)
    if isinstance(found, Auth):
        return found
    for scheme in schemes.values():
        placement = _scheme_auth(scheme)
        if placement is not None:
            return placement
    return BEARER


def operation_auth(document: dict[str, Any], operation: dict[str, Any],
                   default: Auth | None = None) -> Auth | None:
    """Where the key goes for one operation (None: it sends no credential); `default` is
    `document_auth(document)` where the caller has it already."""
    if default is None:
        default = document_auth(document)
    if "security" not in operation:
        return default
    found = requirement_auth(operation.get("security"), _schemes(document))
    return default if found is False else found
