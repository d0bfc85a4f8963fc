"""Fold the chunks of a streamed chat completion into the final message.

Usage::

    with client.chat.send(..., stream=True) as stream:
        final = accumulate(stream)           # or: await aaccumulate(async_stream)
    final.content, final.reasoning, final.tool_calls, final.finish_reason, final.usage

A Responses stream (typed events tagged by ``type``) folds the same way::

    with client.responses.create(..., stream=True) as events:
        final = accumulate_response(events)  # or: await aaccumulate_response(async_events)
    final.text, final.reasoning, final.status, final.response, final.usage

A mid-stream error (an error event, a lost connection) raised by ``accumulate`` or by iterating
the stream carries what arrived before it, folded up, in its ``partial``::

    try:
        final = accumulate(stream)
    except RateLimitError as exc:
        final = exc.partial                  # text, reasoning, tool calls and usage so far

``text(answer)`` is the text of a chat response or of either folded result, as one ``str``
(a message's content may be a string, a list of parts or null)::

    print(text(client.chat.send(...)))       # or text(final)

To print chunks while keeping the total::

    acc: ChatStreamAccumulator[Usage] = ChatStreamAccumulator()
    for chunk in stream:
        acc.add(chunk)
    final = acc.result()

Chunks are read by attribute only (``chunk.choices[i].delta.content`` etc., the JSON names),
so any objects shaped like chat completion chunks work. Text and reasoning are concatenated;
tool calls are merged by their ``index`` (``id`` and ``name`` kept from the first delta that
has them, ``arguments`` concatenated); the last ``finish_reason`` and ``usage`` win.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from ._exceptions import OpenRouterError

U = TypeVar("U")

if TYPE_CHECKING:
    # The shapes the accumulator reads, for type checkers only: building Protocol classes would
    # cost `import openrouter_client` about a millisecond, and nothing checks them at run time.
    from collections.abc import Sequence
    from typing import Protocol

    U_co = TypeVar("U_co", covariant=True)

    class FunctionDeltaLike(Protocol):
        """``tool_calls[j].function`` of a chunk's delta."""

        @property
        def name(self) -> str | None: ...

        @property
        def arguments(self) -> str | None: ...

    class ToolCallDeltaLike(Protocol):
        """One entry of a delta's ``tool_calls``."""

        @property
        def index(self) -> int | None: ...

        @property
        def id(self) -> str | None: ...

        @property
        def function(self) -> FunctionDeltaLike | None: ...

    class DeltaLike(Protocol):
        """``choices[i].delta`` of a chunk."""

        @property
        def content(self) -> str | None: ...

        @property
        def reasoning(self) -> str | None: ...

        @property
        def tool_calls(self) -> Sequence[ToolCallDeltaLike] | None: ...

    class ChoiceLike(Protocol):
        """One entry of a chunk's ``choices``."""

        @property
        def index(self) -> int | None: ...

        @property
        def delta(self) -> DeltaLike | None: ...

        @property
        def finish_reason(self) -> str | None: ...

    class ChunkLike(Protocol[U_co]):
        """A chat completion chunk; ``U_co`` is the type of its ``usage``."""

        @property
        def id(self) -> str | None: ...

        @property
        def choices(self) -> Sequence[ChoiceLike] | None: ...

        @property
        def usage(self) -> U_co | None: ...


@dataclass(slots=True)
class AccumulatedToolCall:
    """A tool call put together from its deltas."""

    index: int
    id: str | None = None
    name: str = ""
    arguments: str = ""
    type: str = "function"


@dataclass(slots=True)
class AccumulatedChoice:
    """One choice's message put together from its deltas."""

    index: int
    content: str = ""
    reasoning: str | None = None
    tool_calls: list[AccumulatedToolCall] = field(default_factory=list[AccumulatedToolCall])
    finish_reason: str | None = None


@dataclass(slots=True)
class AccumulatedCompletion(Generic[U]):
    """The whole stream folded up; the shortcut properties read the first choice."""

    id: str | None
    choices: list[AccumulatedChoice]
    usage: U | None
    chunk_count: int

    @property
    def content(self) -> str:
        """Text of the first choice ("" if none came)."""
        return self.choices[0].content if self.choices else ""

    @property
    def reasoning(self) -> str | None:
        """Reasoning text of the first choice (None if the model sent none)."""
        return self.choices[0].reasoning if self.choices else None

    @property
    def tool_calls(self) -> list[AccumulatedToolCall]:
        """Tool calls of the first choice, in index order."""
        return self.choices[0].tool_calls if self.choices else []

    @property
    def finish_reason(self) -> str | None:
        """Finish reason of the first choice."""
        return self.choices[0].finish_reason if self.choices else None


class _ChoiceState:
    __slots__ = ("content", "reasoning", "tool_calls", "finish_reason")

    def __init__(self) -> None:
        self.content: list[str] = []
        self.reasoning: list[str] | None = None
        self.tool_calls: dict[int, AccumulatedToolCall] = {}
        self.finish_reason: str | None = None


class ChatStreamAccumulator(Generic[U]):
    """Collects chunks one by one with ``add``; ``result()`` gives the message so far."""

    def __init__(self) -> None:
        self._id: str | None = None
        self._choices: dict[int, _ChoiceState] = {}
        self._usage: U | None = None
        self._count = 0

    def add(self, chunk: ChunkLike[U]) -> None:
        """Fold one chunk in."""
        self._count += 1
        if self._id is None:
            self._id = getattr(chunk, "id", None) or None
        usage = getattr(chunk, "usage", None)
        if usage is not None:
            self._usage = usage
        for choice in getattr(chunk, "choices", None) or ():
            index = getattr(choice, "index", None)
            key = index if isinstance(index, int) else 0
            state = self._choices.get(key)
            if state is None:
                state = self._choices[key] = _ChoiceState()
            finish_reason = getattr(choice, "finish_reason", None)
            if finish_reason is not None:
                state.finish_reason = finish_reason
            delta = getattr(choice, "delta", None)
            if delta is not None:
                _add_delta(state, delta)

    def result(self) -> AccumulatedCompletion[U]:
        """The accumulated completion (can be called at any point)."""
        choices = [
            AccumulatedChoice(
                index=index,
                content="".join(state.content),
                reasoning=("".join(state.reasoning) if state.reasoning is not None else None),
                tool_calls=[state.tool_calls[i] for i in sorted(state.tool_calls)],
                finish_reason=state.finish_reason,
            )
            for index, state in sorted(self._choices.items())
        ]
        return AccumulatedCompletion(
            id=self._id, choices=choices, usage=self._usage, chunk_count=self._count
        )


def _add_delta(state: _ChoiceState, delta: DeltaLike) -> None:
    content = getattr(delta, "content", None)
    if content:
        state.content.append(content)
    reasoning = getattr(delta, "reasoning", None)
    if reasoning:
        if state.reasoning is None:
            state.reasoning = []
        state.reasoning.append(reasoning)
    for position, tool_call in enumerate(getattr(delta, "tool_calls", None) or ()):
        _add_tool_call(state.tool_calls, tool_call, position)


def _add_tool_call(
    calls: dict[int, AccumulatedToolCall], delta: ToolCallDeltaLike, position: int
) -> None:
    index = getattr(delta, "index", None)
    call_id = getattr(delta, "id", None)
    if not isinstance(index, int):
        # Without an index, an id names the call; failing that, its position in this delta.
        matches = [i for i, call in calls.items() if call_id and call.id == call_id]
        index = matches[0] if matches else position
    call = calls.get(index)
    if call is None:
        call = calls[index] = AccumulatedToolCall(index=index)
    if call_id and call.id is None:
        call.id = call_id
    function = getattr(delta, "function", None)
    if function is None:
        return
    name = getattr(function, "name", None)
    # Names arrive whole; some providers repeat them on every delta.
    if name and name != call.name:
        call.name += name
    arguments = getattr(function, "arguments", None)
    if arguments:
        call.arguments += arguments


def accumulate(chunks: Iterable[ChunkLike[U]]) -> AccumulatedCompletion[U]:
    """Read every chunk of a (sync) stream and return the folded completion; an error that ends
    the stream is raised with what came before it in ``partial``."""
    acc: ChatStreamAccumulator[U] = ChatStreamAccumulator()
    try:
        for chunk in chunks:
            acc.add(chunk)
    except OpenRouterError as exc:
        _keep_partial(exc, acc)
        raise
    return acc.result()


async def aaccumulate(chunks: AsyncIterable[ChunkLike[U]]) -> AccumulatedCompletion[U]:
    """Read every chunk of an async stream and return the folded completion; an error that ends
    the stream is raised with what came before it in ``partial``."""
    acc: ChatStreamAccumulator[U] = ChatStreamAccumulator()
    try:
        async for chunk in chunks:
            acc.add(chunk)
    except OpenRouterError as exc:
        _keep_partial(exc, acc)
        raise
    return acc.result()


def _keep_partial(
    exc: OpenRouterError, acc: ChatStreamAccumulator[Any] | ResponseStreamAccumulator
) -> None:
    # A stream of this client has set it already, with the error event's own content folded in
    # (its usage, say); any other iterable of chunks gets what was read from it.
    if exc.partial is None:
        exc.partial = acc.result()


def partial_accumulator(
    first: object,
) -> ChatStreamAccumulator[Any] | ResponseStreamAccumulator | None:
    """The accumulator a stream keeps for its errors' ``partial``, chosen by its first item:
    chat chunks have ``choices``, Responses events a ``type`` of ``response.*``; None for other
    streams."""
    item = first  # not narrowed by the test below, which leaves pyright a partly unknown dict
    # The chat accumulator reads attributes: a chunk kept as a mapping (not decoded) has none.
    if not isinstance(first, dict) and (
        getattr(first, "choices", None) is not None
        or getattr(first, "object", None) == "chat.completion.chunk"
    ):
        return ChatStreamAccumulator()
    kind = _read(item, "type")
    if isinstance(kind, str) and kind.startswith("response."):
        return ResponseStreamAccumulator()
    return None


# Responses-style streams (``POST /responses`` with ``stream: true``): typed events tagged by
# ``type``. Events are read by attribute, or by key where an unknown event stayed a mapping.
_TEXT_DELTA = "response.output_text.delta"
_REASONING_DELTAS = frozenset(
    {"response.reasoning_text.delta", "response.reasoning_summary_text.delta"}
)
_STARTED = frozenset({"response.created", "response.in_progress"})
_FINISHED = frozenset({"response.completed", "response.failed", "response.incomplete"})


def _read(item: object, name: str) -> Any:
    """``item.name``, or ``item[name]`` for an event kept as a mapping."""
    if isinstance(item, dict):
        return cast("dict[str, Any]", item).get(name)
    return getattr(item, name, None)


@dataclass(slots=True)
class AccumulatedResponse:
    """A Responses stream folded up.

    ``response`` is the response object of the event that ended the stream
    (``response.completed``, ``.failed`` or ``.incomplete``), typed as the stream decoded it;
    ``None`` if the stream ended before one came (then ``text`` and ``reasoning`` hold what the
    deltas brought).
    """

    id: str | None
    text: str
    reasoning: str | None
    status: str | None
    response: Any
    usage: Any
    event_count: int


class ResponseStreamAccumulator:
    """Collects Responses stream events with ``add``; ``result()`` gives the response so far."""

    def __init__(self) -> None:
        self._id: str | None = None
        self._text: list[str] = []
        self._reasoning: list[str] | None = None
        self._status: str | None = None
        self._response: Any = None
        self._count = 0

    def add(self, event: object) -> None:
        """Fold one event in."""
        self._count += 1
        kind = _read(event, "type")
        if kind == _TEXT_DELTA:
            delta = _read(event, "delta")
            if isinstance(delta, str):
                self._text.append(delta)
        elif kind in _REASONING_DELTAS:
            delta = _read(event, "delta")
            if isinstance(delta, str):
                if self._reasoning is None:
                    self._reasoning = []
                self._reasoning.append(delta)
        elif kind in _STARTED or kind in _FINISHED:
            response = _read(event, "response")
            if response is not None:
                response_id = _read(response, "id")
                if isinstance(response_id, str):
                    self._id = response_id
                status = _read(response, "status")
                if isinstance(status, str):
                    self._status = status
                if kind in _FINISHED:
                    self._response = response

    def result(self) -> AccumulatedResponse:
        """The accumulated response (can be called at any point)."""
        response = self._response
        return AccumulatedResponse(
            id=self._id,
            text="".join(self._text),
            reasoning="".join(self._reasoning) if self._reasoning is not None else None,
            status=self._status,
            response=response,
            usage=_read(response, "usage") if response is not None else None,
            event_count=self._count,
        )


def accumulate_response(events: Iterable[object]) -> AccumulatedResponse:
    """Read every event of a (sync) Responses stream and return the folded response; an error
    that ends the stream is raised with what came before it in ``partial``."""
    acc = ResponseStreamAccumulator()
    try:
        for event in events:
            acc.add(event)
    except OpenRouterError as exc:
        _keep_partial(exc, acc)
        raise
    return acc.result()


async def aaccumulate_response(events: AsyncIterable[object]) -> AccumulatedResponse:
    """Read every event of an async Responses stream and return the folded response; an error
    that ends the stream is raised with what came before it in ``partial``."""
    acc = ResponseStreamAccumulator()
    try:
        async for event in events:
            acc.add(event)
    except OpenRouterError as exc:
        _keep_partial(exc, acc)
        raise
    return acc.result()


def text(answer: object, choice: int = 0) -> str:
    """The text of an answer, for the common case: always a ``str`` ("" where there is none).

    Reads a chat response (``choices[choice].message.content``, which the API sends as a
    string, a list of content parts or null: the ``text`` of the ``text`` parts is joined), a
    legacy completion (``choices[choice].text``), an ``accumulate()`` result and an
    ``accumulate_response()`` result (their ``text`` so far). Values are read by attribute, or
    by key where the client kept an unknown shape as a mapping.
    """
    if isinstance(answer, AccumulatedCompletion):
        return answer.choices[choice].content if len(answer.choices) > choice else ""
    if isinstance(answer, AccumulatedResponse):
        return answer.text
    choices = _read(answer, "choices")
    if not isinstance(choices, list):
        return ""
    # Typed as what the server may send: a list narrowed from `object` has unknown items.
    items = cast("list[object]", choices)
    if len(items) <= choice:
        return ""
    picked = items[choice]
    message = _read(picked, "message")
    content = _read(message, "content") if message is not None else _read(picked, "text")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        pieces = cast("list[object]", content)
        parts = (_read(part, "text") for part in pieces if _read(part, "type") == "text")
        return "".join(part for part in parts if isinstance(part, str))
    return ""
