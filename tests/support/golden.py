"""Golden request vectors from the docs pages' Python examples ("## SDK Code Examples").

Each docs page documents one or more operations; under its "## SDK Code Examples" heading sits a
```python block calling `requests`. Those blocks are parsed with `ast` (never executed) into a
`GoldenExample` (method, URL, `json=` body, `params=`, page and line), then matched to the
OpenAPI operation whose path template fits the URL (`GoldenVector`). Anything that cannot be
understood is a `GoldenError` naming page:line, never a silent skip.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml  # type: ignore[import-untyped]

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = REPO_ROOT / "spec" / "docs"
SPEC_PATH = REPO_ROOT / "spec" / "openapi.yaml"

SDK_SECTION = "SDK Code Examples"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PAGE_SUFFIXES = (".txt", ".md")

_PYTHON_LANGS = {"python", "py", "python3"}
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^`\s]*)")
# `requests` keywords whose value is a body we cannot compare with a JSON body.
_UNSUPPORTED_KEYWORDS = {"data", "files"}


class GoldenError(Exception):
    """An example that could not be read or matched; the message starts with page:line."""

    def __init__(self, page: str, line: int, message: str) -> None:
        self.page = page
        self.line = line
        super().__init__(f"{page}:{line}: {message}")


@dataclass(frozen=True)
class GoldenExample:
    """One `requests` call from a docs page, as written there."""

    page: str
    line: int  # 1-based line of the `requests.<verb>(` call in the page
    title: str  # the page section's "# " heading the example belongs to
    method: str  # upper case
    url: str
    json_body: Any = None
    has_json: bool = False
    params: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """page:line, for messages."""
        return f"{self.page}:{self.line}"


@dataclass(frozen=True)
class SpecOperation:
    """An operation of an OpenAPI document, by method and path template."""

    method: str  # upper case
    path: str  # the template, e.g. /keys/{hash}
    operation_id: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class GoldenVector:
    """A golden example matched to its operation, with the URL split into its parts."""

    example: GoldenExample
    operation: SpecOperation
    path: str  # the concrete path below the server URL, e.g. /keys/sk-or-v1-0e6f...
    path_params: Mapping[str, str]
    query: Mapping[str, Any]  # the URL's own query merged with `params=`

    @property
    def id(self) -> str:
        """A readable test id: operation and page:line."""
        return f"{self.operation.method} {self.operation.path} @ {self.example.where}"


# --------------------------------------------------------------------------- markdown


@dataclass(frozen=True)
class _CodeBlock:
    lang: str
    fence_line: int  # 1-based line of the opening fence
    code: str
    title: str
    in_sdk_section: bool


def _code_blocks(text: str, page: str) -> list[_CodeBlock]:
    blocks: list[_CodeBlock] = []
    title = ""
    in_sdk = False
    fence: tuple[str, str, int] | None = None  # (marker, lang, line)
    body: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if fence is not None:
            marker, lang, start = fence
            stripped = line.strip()
            if stripped.startswith(marker[0] * len(marker)) and stripped.strip(marker[0]) == "":
                blocks.append(_CodeBlock(lang, start, "\n".join(body), title, in_sdk))
                fence, body = None, []
            else:
                body.append(line)
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = (opening.group(2), opening.group(3).lower(), number)
            continue
        heading = _HEADING.match(line)
        if heading:
            level, text_ = len(heading.group(1)), heading.group(2)
            if level == 1:
                title = text_
            if level <= 2:
                in_sdk = level == 2 and text_ == SDK_SECTION
    if fence is not None:
        raise GoldenError(page, fence[2], "code block is never closed")
    return blocks


# --------------------------------------------------------------------------- python


_UNRESOLVED = object()


def _literal(node: ast.expr, env: Mapping[str, Any], page: str, line0: int, what: str) -> Any:
    if isinstance(node, ast.Name):
        value = env.get(node.id, _UNRESOLVED)
        if value is _UNRESOLVED:
            raise GoldenError(
                page, line0 + node.lineno, f"{what} refers to `{node.id}`, which is not "
                "assigned a literal earlier in the example"
            )
        return value
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError) as exc:
        raise GoldenError(
            page, line0 + node.lineno, f"{what} is not a literal: {ast.unparse(node)} ({exc})"
        ) from exc


def _requests_calls(tree: ast.Module) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "requests"
    ]


def _example_from_block(block: _CodeBlock, page: str) -> GoldenExample:
    line0 = block.fence_line  # code line n is page line fence_line + n
    try:
        tree = ast.parse(block.code)
    except SyntaxError as exc:
        raise GoldenError(page, line0 + (exc.lineno or 1), f"Python example does not parse: "
                          f"{exc.msg}") from exc
    env: dict[str, Any] = {}
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            try:
                env[statement.targets[0].id] = ast.literal_eval(statement.value)
            except (ValueError, TypeError, SyntaxError):
                env.pop(statement.targets[0].id, None)  # not a literal: unresolvable later
    calls = _requests_calls(tree)
    if len(calls) != 1:
        raise GoldenError(
            page, line0 + 1, f"expected exactly one `requests.<method>(...)` call in the Python "
            f"example, found {len(calls)}"
        )
    call = calls[0]
    line = line0 + call.lineno
    assert isinstance(call.func, ast.Attribute)
    verb = call.func.attr
    positional = list(call.args)
    if any(isinstance(arg, ast.Starred) for arg in positional) or any(
        kw.arg is None for kw in call.keywords
    ):
        raise GoldenError(page, line, "`*args` / `**kwargs` in the requests call")
    keywords = {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}
    if verb == "request":
        method_node = positional.pop(0) if positional else keywords.pop("method", None)
        if method_node is None:
            raise GoldenError(page, line, "requests.request(...) without a method")
        method = _literal(method_node, env, page, line0, "the method")
        if not isinstance(method, str):
            raise GoldenError(page, line, f"the method is not a string: {method!r}")
    elif verb in HTTP_METHODS:
        method = verb
    else:
        raise GoldenError(page, line, f"`requests.{verb}` is not an HTTP call")
    url_node = positional.pop(0) if positional else keywords.pop("url", None)
    if url_node is None:
        raise GoldenError(page, line, "the requests call has no URL")
    url = _literal(url_node, env, page, line0, "the URL")
    if not isinstance(url, str):
        raise GoldenError(page, line, f"the URL is not a string: {url!r}")
    if positional:
        raise GoldenError(page, line, "unexpected extra positional arguments")
    unsupported = sorted(_UNSUPPORTED_KEYWORDS & keywords.keys())
    if unsupported:
        raise GoldenError(page, line, f"unsupported body keyword(s): {', '.join(unsupported)}")

    def keyword_mapping(name: str) -> Mapping[str, Any]:
        if name not in keywords:
            return {}
        value = _literal(keywords[name], env, page, line0, f"`{name}=`")
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise GoldenError(page, line, f"`{name}=` is not a mapping: {value!r}")
        return dict(value)

    has_json = "json" in keywords
    json_body = _literal(keywords["json"], env, page, line0, "`json=`") if has_json else None
    return GoldenExample(
        page=page,
        line=line,
        title=block.title,
        method=method.upper(),
        url=url,
        json_body=json_body,
        has_json=has_json,
        params=keyword_mapping("params"),
        headers=keyword_mapping("headers"),
    )


def extract_examples(text: str, page: str) -> list[GoldenExample]:
    """Every Python example under an "## SDK Code Examples" heading of one page, in order."""
    examples, problems = collect_examples(text, page)
    if problems:
        raise problems[0]
    return examples


def collect_examples(text: str, page: str) -> tuple[list[GoldenExample], list[GoldenError]]:
    """Like `extract_examples`, but an example that cannot be read as a golden request is
    returned as its error beside the others instead of stopping the page."""
    examples: list[GoldenExample] = []
    problems: list[GoldenError] = []
    for block in _code_blocks(text, page):
        if block.in_sdk_section and block.lang in _PYTHON_LANGS:
            try:
                examples.append(_example_from_block(block, page))
            except GoldenError as exc:
                problems.append(exc)
    return examples, problems


# --------------------------------------------------------------------------- spec matching


def spec_operations(spec: Mapping[str, Any]) -> frozenset[SpecOperation]:
    """Every operation (method + path template) in an OpenAPI document."""
    found = set()
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, Mapping) else None
            if isinstance(operation, Mapping):
                found.add(SpecOperation(method.upper(), path, operation.get("operationId")))
    return frozenset(found)


def _template_regex(template: str) -> re.Pattern[str]:
    pattern = ""
    for piece in re.split(r"(\{[^}/]+\})", template):
        if piece.startswith("{") and piece.endswith("}"):
            pattern += f"(?P<{_group_name(piece[1:-1])}>[^/]+)"
        else:
            pattern += re.escape(piece)
    return re.compile(pattern + "/?$")


def _group_name(parameter: str) -> str:
    # Regex group names must be identifiers; keep a reversible mapping via hex escapes.
    return "p_" + "".join(c if c.isalnum() else f"_{ord(c):x}_" for c in parameter)


def _literal_length(template: str) -> int:
    return len(re.sub(r"\{[^}/]+\}", "", template))


def _server_paths(spec: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    servers = [s.get("url", "") for s in spec.get("servers") or [] if isinstance(s, Mapping)]
    parsed = [urlsplit(url) for url in servers or [""]]
    return [(p.scheme, p.netloc, p.path.rstrip("/")) for p in parsed]


def find_operation(
    spec: Mapping[str, Any], method: str, path: str
) -> tuple[SpecOperation, dict[str, str]]:
    """The operation of ``spec`` serving ``method path`` (a path below the server URL) and its
    path parameters; the most literal template wins. LookupError when none or several fit."""
    candidates: list[tuple[int, SpecOperation, dict[str, str]]] = []
    for operation in spec_operations(spec):
        if operation.method != method.upper():
            continue
        matched = _template_regex(operation.path).match(path)
        if matched:
            names = {_group_name(n): n for n in re.findall(r"\{([^}/]+)\}", operation.path)}
            params = {names[k]: unquote(v) for k, v in matched.groupdict().items()}
            candidates.append((_literal_length(operation.path), operation, params))
    if not candidates:
        raise LookupError(f"no operation in the spec for {method.upper()} {path}")
    candidates.sort(key=lambda c: (-c[0], c[1].path))
    if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
        tied = ", ".join(str(c[1]) for c in candidates if c[0] == candidates[0][0])
        raise LookupError(f"{method.upper()} {path} matches several operations: {tied}")
    return candidates[0][1], candidates[0][2]


def match_operation(example: GoldenExample, spec: Mapping[str, Any]) -> GoldenVector:
    """Find the operation of ``spec`` that ``example`` calls; the most literal template wins."""
    url = urlsplit(example.url)
    relative: str | None = None
    for scheme, netloc, base in _server_paths(spec):
        if (not netloc or (scheme, netloc) == (url.scheme, url.netloc)) and (
            url.path == base or url.path.startswith(base + "/")
        ):
            relative = url.path[len(base):] or "/"
            break
    if relative is None:
        raise GoldenError(example.page, example.line,
                          f"URL {example.url} is not below any server URL of the spec")
    try:
        operation, path_params = find_operation(spec, example.method, relative)
    except LookupError as exc:
        raise GoldenError(example.page, example.line, str(exc)) from exc
    query: dict[str, Any] = dict(parse_qsl(url.query, keep_blank_values=True))
    query.update(example.params)
    return GoldenVector(example, operation, relative, path_params, query)


# --------------------------------------------------------------------------- loading


def docs_pages(docs_dir: Path = DOCS_DIR) -> list[Path]:
    """The docs pages (markdown exported as .txt or .md), in a stable order."""
    return sorted(p for p in docs_dir.iterdir() if p.suffix in PAGE_SUFFIXES and p.is_file())


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def load_examples(pages: Iterable[Path]) -> list[GoldenExample]:
    """Every golden example of the given pages."""
    examples: list[GoldenExample] = []
    for page in pages:
        examples += extract_examples(page.read_text(encoding="utf-8"), _display(page))
    return examples


def load_spec(path: Path = SPEC_PATH) -> Mapping[str, Any]:
    """The OpenAPI document at ``path``."""
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    if not isinstance(document, Mapping):
        raise TypeError(f"{path}: not an OpenAPI document (top level is not a mapping)")
    return document


def load_golden_vectors(
    docs_dir: Path = DOCS_DIR, spec: Mapping[str, Any] | None = None
) -> list[GoldenVector]:
    """Every golden vector of the docs pages, matched to ``spec`` (default spec/openapi.yaml)."""
    document = load_spec() if spec is None else spec
    return [match_operation(e, document) for e in load_examples(docs_pages(docs_dir))]


def usable_golden_vectors(
    docs_dir: Path = DOCS_DIR, spec: Mapping[str, Any] | None = None
) -> tuple[list[GoldenVector], list[GoldenError]]:
    """The golden vectors of the docs pages that can be read and matched to ``spec``, and an
    error for each example that cannot (a page's example may not be a ``requests`` call):
    the golden tests report those and skip them instead of failing to collect."""
    document = load_spec() if spec is None else spec
    vectors: list[GoldenVector] = []
    problems: list[GoldenError] = []
    for page in docs_pages(docs_dir):
        try:
            examples, unreadable = collect_examples(page.read_text(encoding="utf-8"),
                                                    _display(page))
        except GoldenError as exc:  # the page's code blocks cannot be told apart
            problems.append(exc)
            continue
        problems += unreadable
        for example in examples:
            try:
                vectors.append(match_operation(example, document))
            except GoldenError as exc:
                problems.append(exc)
    return vectors, problems


# --------------------------------------------------------------------------- client methods

# The generated methods document their operation on a line of their docstring: ``POST /keys``.
_DOCSTRING_OPERATION = re.compile(
    r"``(" + "|".join(m.upper() for m in HTTP_METHODS) + r") (/[^`\s]*)``"
)


@dataclass(frozen=True)
class ClientMethod:
    """Where a client exposes an operation: ``client.<namespace>.<name>(...)``."""

    namespace: str
    name: str

    def of(self, client: Any) -> Any:
        """The bound method on ``client`` (sync or async)."""
        return getattr(getattr(client, self.namespace), self.name)

    def __str__(self) -> str:
        return f"client.{self.namespace}.{self.name}"


def _form_twin_of(name: str) -> str | None:
    """The JSON method a form twin (``<method>_multipart``, ``<method>_form``) sends as."""
    for suffix in ("_multipart", "_form"):
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return None


def client_methods(client: Any) -> dict[SpecOperation, ClientMethod]:
    """Every operation a generated client instance exposes, found through its namespaces (the
    public properties of its class) and the ``METHOD /path`` line in each method's docstring.

    A paged list's ``iter_<method>`` repeats ``<method>``'s docstring, operation line included,
    and only calls ``<method>`` page after page: the operation is exposed by ``<method>``, so the
    pager is not counted (when ``<method>`` is there beside it). Likewise a body declared as
    JSON and as a form gives ``<method>_multipart`` / ``<method>_form`` beside ``<method>``:
    the same operation, sent another way, exposed by ``<method>``."""
    found: dict[SpecOperation, ClientMethod] = {}
    for namespace, attribute in vars(type(client)).items():
        if namespace.startswith("_") or not isinstance(attribute, property):
            continue
        resource = getattr(client, namespace)
        names = set(dir(type(resource)))
        for name in sorted(names):
            method = getattr(type(resource), name)
            if name.startswith("_") or not callable(method):
                continue
            if name.startswith("iter_") and name.removeprefix("iter_") in names:
                continue
            if _form_twin_of(name) in names:
                continue
            doc = method.__doc__ or ""
            matched = _DOCSTRING_OPERATION.search(doc)
            if matched is None:
                continue
            operation = SpecOperation(matched.group(1), matched.group(2))
            if operation in found:
                raise LookupError(f"{operation} is exposed twice: {found[operation]} and "
                                  f"client.{namespace}.{name}")
            found[operation] = ClientMethod(namespace, name)
    return found
