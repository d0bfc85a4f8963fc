"""The schema stage in a process of its own, started before the spec is built.

Importing datamodel-code-generator takes about 0.45 s and needs nothing from the spec. The CLI starts
this process first, so that import runs on the second core while the docs pages are extracted, merged
and normalized; the prepared document is sent over when it is ready and the models come back. The
result is the same as `schemas.parse_schemas_deep` in the calling process (a test compares them); only
the wall time changes.

The worker is a plain `python -c` child talking pickle over its stdin and stdout, not a
multiprocessing pool: `spawn` re-runs the caller's main script when it has no `__main__` guard, and
`fork` is unsafe in callers that run threads (pytest among them). If the worker dies without an
answer, the parse runs in this process instead, so the outcome never depends on the worker.
"""

from __future__ import annotations

import functools
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from openrouter_codegen.client.model.schemas import ParsedSchemas

# openrouter_codegen.client.model.schemas is imported where it is used: the worker starts before this process has
# imported anything it does not need yet (≈ 30 ms sooner).

# The child gets this process's import path first, so it finds the same `generator` package. It does
# one parse and exits, so collecting cycles would only cost time (≈ 0.15 s of the parse of the
# OpenRouter spec, measured alone, for ≈ 1 MB more peak memory); exiting returns the memory.
_BOOT = ("import gc; gc.disable(); import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); "
         "from openrouter_codegen.client.model.schema_process import serve; serve()")


def serve() -> None:
    """The worker's side: import dcg, then answer one pickled `(document, ref_depth)` request with
    `("ok", ParsedSchemas)` or `("raised", exception)`."""
    # The imports this process exists to overlap with the spec build.
    import datamodel_code_generator.model
    import datamodel_code_generator.parser.openapi  # noqa: F401

    from openrouter_codegen.client.model.schemas import parse_schemas_deep

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answer
    document, ref_depth = pickle.load(source)
    try:
        answer: tuple[str, object] = ("ok", parse_schemas_deep(document, ref_depth))
    except Exception as exc:  # noqa: BLE001 (sent to the parent, which raises it)
        answer = ("raised", exc)
    sink.write(pickle.dumps(answer, pickle.HIGHEST_PROTOCOL))
    sink.flush()
    sys.stderr.flush()
    # The parent reads until this process's stdout closes: tearing down dcg's and pydantic's modules
    # would keep it waiting ≈ 0.1 s for nothing.
    os._exit(0)


class SchemaProcess:
    """One schema parse in a worker process that starts importing dcg as soon as this is made.

    Use it as a context manager, or call `close`; `start` (or `parse`) may be called once.
    """

    def __init__(self) -> None:
        self._child: subprocess.Popen[bytes] | None
        try:
            self._child = subprocess.Popen([sys.executable, "-c", _BOOT], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE)
            assert self._child.stdin is not None
            self._child.stdin.write(pickle.dumps(sys.path, pickle.HIGHEST_PROTOCOL))
            self._child.stdin.flush()
        except OSError:
            self._child = None  # no worker: the parse runs here

    def start(self, document: dict[str, Any], ref_depth: int) -> Callable[[], ParsedSchemas]:
        """Send `document` to the worker; the returned function waits for
        `parse_schemas_deep(document, ref_depth)` from it and raises its errors here."""
        from openrouter_codegen.client.model.schemas import parse_here

        child = self._child
        if child is None:
            return parse_here(document, ref_depth)
        assert child.stdin is not None
        try:
            # Blocks until the worker has imported dcg and reads; it writes nothing before that.
            child.stdin.write(pickle.dumps((document, ref_depth), pickle.HIGHEST_PROTOCOL))
            child.stdin.close()
        except OSError:  # the worker is gone (the pipe broke)
            self.close()
            return parse_here(document, ref_depth)
        return functools.partial(self._answer, child, document, ref_depth)

    def parse(self, document: dict[str, Any], ref_depth: int) -> ParsedSchemas:
        """`start` and wait."""
        return self.start(document, ref_depth)()

    def _answer(self, child: subprocess.Popen[bytes], document: dict[str, Any],
                ref_depth: int) -> ParsedSchemas:
        from openrouter_codegen.client.model.schemas import ParsedSchemas, parse_schemas_deep

        assert child.stdout is not None
        out = child.stdout.read()
        child.stdout.close()
        child.wait()
        self._child = None
        try:
            status, value = pickle.loads(out) if child.returncode == 0 else ("died", None)
        except (pickle.UnpicklingError, EOFError, ValueError):
            status, value = "died", None
        if status == "died":  # whatever went wrong there, the parse here gives the answer
            return parse_schemas_deep(document, ref_depth)
        if status == "raised":
            assert isinstance(value, BaseException)
            raise value
        assert isinstance(value, ParsedSchemas)
        return value

    def close(self) -> None:
        """Stop the worker if it has not answered (a run that stopped before the schema stage)."""
        child, self._child = self._child, None
        if child is not None:
            child.kill()
            child.wait()
            for stream in (child.stdin, child.stdout):
                if stream is not None:
                    stream.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
