"""The docstrings of endpoint methods: summary, description, route, then a Google-style `Args:`
section (name, type, `optional`, the spec's description and default) and `Returns:`."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from openrouter_codegen.client.model.ir import ListOf, Model, Named, Nullable, Operation, TypeRef


class DocArg(Protocol):
    """An argument as the docstring reads it (`openrouter_codegen.client.render.api.Arg`)."""

    @property
    def name(self) -> str: ...
    @property
    def hint(self) -> str: ...
    @property
    def default(self) -> str | None: ...


# What the options every endpoint takes do; the same words in every docstring.
_COMMON_ARGS = (
    ("extra_headers", "Mapping[str, str] | None",
     "Headers sent with this call, replacing any of the same name."),
    ("extra_query", "Mapping[str, object] | None",
     "Query parameters added to this call; a `None` value removes one."),
    ("extra_body", "Mapping[str, object] | None",
     "Keys added to the JSON body (for parameters the API takes before its docs list them)."),
    ("timeout", "float | httpx.Timeout | None",
     ("This call's timeout in seconds or as an `httpx.Timeout` (`None`: no timeout); "
      "default: the client's.")),
    ("max_retries", "int", ("Retries of this call on connection failures, 408, 429 and 5xx; "
                            "default: the client's `max_retries`.")),
)
DOC_WIDTH = 88  # text columns of a docstring line, before the method's indentation


@dataclass(frozen=True)
class ArgNote:
    """What the spec says of one argument: its description and its (server-side) default."""

    description: str | None
    default: str | None  # JSON text


def endpoint_doc(op: Operation, args: Sequence[DocArg], notes: dict[str, ArgNote],
                 stream_flag: DocArg | None, returns: str, chunk: str | None,
                 raw: bool = False, client: str | None = None, binary: str | None = None) -> str:
    """The docstring of an endpoint: summary, description, route, then `Args:` (Google style:
    name, type, description, the spec's default) and `Returns:`. `client` is the type of the
    first argument of a module-level endpoint function; `binary` the stream class a streamed
    file answer is returned as (`with_streaming_response`)."""
    parts = [p for p in (op.summary, op.description) if p]
    if len(parts) == 2 and parts[0].strip() == parts[1].strip():
        parts = parts[:1]
    parts.append(f"``{op.http_method} {op.path}``")
    form = op.body is not None and op.body.encoding in ("multipart", "form")
    if op.body is not None and form:
        parts.append(f"The body is sent as ``{_media(op.body.content_type)}``.")
    for media, method, function in op.forms:
        if client is not None:  # a module-level function: name its twin function
            method = function + ("_async" if client.startswith("Async") else "")
        parts.append(textwrap.fill(f"To send it as ``{_media(media)}`` (a file upload, say): "
                                   f"`{method}`.", DOC_WIDTH, break_long_words=False,
                                   break_on_hyphens=False))
    lines = ["Args:"]
    if client is not None:
        lines += _arg_lines("client", client, "The client the request goes through.")
    for a in args:
        note = notes.get(a.name, ArgNote(None, None))
        # str(): a hostile document may put a number or a list where prose belongs.
        text = str(note.description or ("" if a.default is not None else "Required."))
        if note.default is not None:
            text = _sentence(text) + f"Server default: `{note.default}`."
        hint = _documented_type(a.hint) + (", optional" if a.default is not None else "")
        lines += _arg_lines(a.name, hint, text)
    if stream_flag is not None:
        note = notes.get(stream_flag.name, ArgNote(None, None))
        text = _sentence(str(note.description or "")) + \
            f"`True` streams the answer as `{chunk}` events."
        lines += _arg_lines(stream_flag.name, "bool, optional", text)
    for name, hint, text in _COMMON_ARGS:
        if name == "extra_body" and form:
            text = "Fields added to the form (for parameters the API takes before its docs list them)."
        lines += _arg_lines(name, hint + ", optional", text)
    if any(a.default is not None for a in args):
        parts.append(textwrap.fill("An optional argument left out is not sent (the server's "
                                   "default applies); `None` is sent as `null`.", DOC_WIDTH))
    parts.append("\n".join(lines))
    if binary is not None:
        parts.append("Returns:\n" + textwrap.fill(
            f"`{binary}`: the body, read as it arrives (`{_binary_reads(binary)}`); close it, or "
            "use it as a context manager, to release the connection.",
            DOC_WIDTH, initial_indent="    ", subsequent_indent="    "))
    elif raw:
        parts.append("Returns:\n" + textwrap.fill(
            f"`APIResponse[{returns}]`: the status, headers and raw response with the parsed body.",
            DOC_WIDTH, initial_indent="    ", subsequent_indent="    "))
    elif stream_flag is not None:
        parts.append(f"Returns:\n    `{returns}`; with `stream=True` a stream of `{chunk}`.")
    elif chunk is not None:
        parts.append(f"Returns:\n    A stream of `{chunk}`.")
    elif returns != "None":
        parts.append(f"Returns:\n    `{returns}`.")
    text = "\n\n".join(parts)
    return "Deprecated.\n\n" + text if op.deprecated else text


def _media(content_type: str) -> str:
    """A media type without its parameters (`multipart/form-data`)."""
    return content_type.partition(";")[0].strip()


def _binary_reads(stream: str) -> str:
    """How a binary stream is read, in its own method names."""
    if stream.startswith("Async"):
        return "aiter_bytes()`, `aread()`, `awrite_to(path)"
    return "iter_bytes()`, `read()`, `write_to(path)"


def type_doc(t: TypeRef, models: dict[str, Model]) -> str | None:
    """The description of the model an undescribed argument takes (or takes a list of)."""
    while isinstance(t, (Nullable, ListOf)):
        t = t.inner if isinstance(t, Nullable) else t.item
    model = models.get(t.name) if isinstance(t, Named) else None
    return model.description if model is not None else None


def _sentence(text: str) -> str:
    """`text` ready for another sentence after it: a full stop and a space, if it has words."""
    text = text.strip()
    if not text:
        return ""
    return text + (" " if text[-1] in ".!?:" else ". ")


def _documented_type(hint: str) -> str:
    """An argument's annotation as its docstring shows it: without the `NotGiven` marker."""
    return hint.removesuffix(" | NotGiven")


def _arg_lines(name: str, hint: str, text: str) -> list[str]:
    """One Google-style `name (type): text` entry, its text wrapped and indented under it; the
    spec's own line breaks (lists) are kept."""
    out: list[str] = []
    head = f"    {name} ({hint}):"
    # A blank line would end the `Args:` section: the spec's paragraphs are joined.
    source = [line.strip() for line in text.strip().split("\n") if line.strip()] or [""]
    for i, line in enumerate(source):
        first = head + " " if i == 0 else " " * 8
        out += textwrap.wrap(line, DOC_WIDTH, initial_indent=first, subsequent_indent=" " * 8,
                             break_long_words=False, break_on_hyphens=False) or [head]
    return out
