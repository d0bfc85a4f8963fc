"""Render the client runtime (templates/runtime/*.py.jinja) for one generated package.

The runtime is the hand-written part of the generated client (HTTP, retries, errors, streaming);
it is a template only so that names that come from the spec (package, client name, environment
variables, attribution headers) are filled in. Every value that lands in Python source goes
through a filter that makes it a literal (`pyrepr`) or inert docstring text (`doctext`), and the
few values that become identifiers are checked, so no spec string can inject code.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass

from openrouter_codegen.client.render.environment import TEMPLATES, environment

TEMPLATE_DIR = TEMPLATES / "runtime"
TEMPLATE_SUFFIX = ".py.jinja"


@dataclass(frozen=True)
class RuntimeContext:
    """Names the runtime needs from the spec and the generator's settings."""

    package: str  # "openrouter_client" (also the logger name)
    client_name: str  # "OpenRouter" (error class prefix, messages, User-Agent)
    api_key_env: str  # "OPENROUTER_API_KEY"
    log_env: str  # "OPENROUTER_CLIENT_LOG" (=debug or =info switches logging on)
    default_base_url: str  # "https://openrouter.ai/api/v1"
    # (python keyword, HTTP header) pairs, e.g. (("http_referer", "HTTP-Referer"), ...)
    attribution_headers: tuple[tuple[str, str], ...]
    version: str  # client version for the User-Agent
    # Environment variable that overrides the default base URL; "" derives it from
    # api_key_env ("OPENROUTER_API_KEY" -> "OPENROUTER_BASE_URL").
    base_url_env: str = ""
    # Where the API key goes by default: (header|query|cookie, name, prefix).
    auth: tuple[str, str, str] = ("header", "authorization", "Bearer ")


def render_runtime(ctx: RuntimeContext) -> dict[str, str]:
    """Render every runtime template; returns {"_base_client.py": source, ...}."""
    _check(ctx)
    env = environment()
    values = {
        "package": ctx.package,
        "client_name": ctx.client_name,
        "error_base": ctx.client_name + "Error",
        "api_key_env": ctx.api_key_env,
        "base_url_env": ctx.base_url_env or derived_base_url_env(ctx.api_key_env),
        "log_env": ctx.log_env,
        "default_base_url": ctx.default_base_url,
        "attribution_headers": ctx.attribution_headers,
        "version": ctx.version,
        "auth": ctx.auth,
    }
    names = sorted(p.name for p in TEMPLATE_DIR.iterdir() if p.name.endswith(TEMPLATE_SUFFIX))
    return {
        name.removesuffix(".jinja"): env.get_template(f"runtime/{name}").render(values)
        for name in names
    }


def derived_base_url_env(api_key_env: str) -> str:
    """The environment variable overriding the base URL, named after the API key's."""
    stem = api_key_env.removesuffix("_API_KEY").removesuffix("_KEY")
    return f"{stem}_BASE_URL"


def _check(ctx: RuntimeContext) -> None:
    identifiers = [("package", ctx.package), ("client_name", ctx.client_name)]
    identifiers += [("attribution keyword", kw) for kw, _ in ctx.attribution_headers]
    for what, name in identifiers:
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ValueError(f"runtime context: {what} {name!r} is not a Python identifier")
    keywords = [kw for kw, _ in ctx.attribution_headers]
    reserved = {"api_key", "base_url", "timeout", "max_retries", "default_headers",
                "default_query", "http_client", "retry_policy", "self"}
    clashes = sorted(set(keywords) & reserved) + sorted(
        {kw for kw in keywords if keywords.count(kw) > 1}
    )
    if clashes:
        raise ValueError(f"runtime context: attribution keywords clash: {clashes}")
    for what, value in [("api_key_env", ctx.api_key_env), ("log_env", ctx.log_env),
                        ("base_url_env", ctx.base_url_env)]:
        if value and not value.isprintable():
            raise ValueError(f"runtime context: {what} {value!r} has unprintable characters")
    for _, header in ctx.attribution_headers:
        if not header or not all(33 <= ord(c) <= 126 and c != ":" for c in header):
            raise ValueError(f"runtime context: {header!r} is not an HTTP header name")
