"""Command line: `python -m generator {spec,generate,check,diff}`. The only place that does file I/O."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, GeneratorError, Severity, map_all
from generator.files import (
    DOC_SUFFIXES,
    diff_trees,
    read_dir,
    read_source,
    read_tree,
    replace_tree,
    write_files_atomically,
)

if TYPE_CHECKING:
    from generator.changes import Change
    from generator.changes.report import ApiChanges
    from generator.client_build import Formatter, SchemaParser

EXIT_OK, EXIT_ERRORS, EXIT_WARNINGS_STRICT, EXIT_STALE, EXIT_BREAKING = 0, 1, 2, 3, 4


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator", description=__doc__,
        epilog="exit codes: 0 ok, 1 errors, 2 warnings under --strict, 3 stale (check), "
        "4 breaking API changes under --fail-on-breaking. "
        "`python -m generator diff OLD NEW [--format md|json]` compares two OpenAPI documents "
        "(see `python -m generator diff --help`).")
    parser.add_argument("command", choices=["spec", "generate", "check", "diff"])
    parser.add_argument("--root", type=Path, default=Path("."), help="project root")
    parser.add_argument("--docs", type=Path, help="docs pages (default: ROOT/spec/docs)")
    parser.add_argument("--overlays", type=Path, help="overlays (default: ROOT/spec/overlays)")
    parser.add_argument("--spec-dir", type=Path, help="spec output (default: ROOT/spec)")
    parser.add_argument("--out", type=Path, help="package output (default: ROOT/generated)")
    parser.add_argument(
        "--from-spec",
        type=Path,
        help="generate the client from this OpenAPI file instead of building it from docs pages",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--fail-on-breaking", action="store_true",
        help="stop with exit code 4 (nothing written) when the spec built from the docs pages "
        "breaks code written against the client of the committed spec/openapi.yaml (the changes "
        "spec/API_CHANGES.md lists as breaking)")
    parser.add_argument(
        "--no-format",
        action="store_true",
        help="skip formatting (for very large specs: the package is valid but not formatted, "
        "so `check` will call a formatted package stale)",
    )
    parser.add_argument(
        "--formatter",
        choices=["black", "ruff"],
        default="ruff",
        help="`ruff format` (the default), which gives black's output for what the templates render "
        "in a fraction of black's time (the tests compare the two), or black itself (cached in "
        "ROOT/.cache/black)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit code (0 ok, 1 errors, 2 warnings under --strict, 3 stale,
    4 breaking API changes under --fail-on-breaking)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["diff"]:
        return _diff(argv[1:])
    args = _parser().parse_args(argv)
    root: Path = args.root
    docs = args.docs or root / "spec" / "docs"
    overlays = args.overlays or root / "spec" / "overlays"
    spec_dir = args.spec_dir or root / "spec"
    out_dir = args.out or root / "generated"
    if args.fail_on_breaking and args.from_spec is not None:
        print("generator: --fail-on-breaking compares the spec built from the docs pages with "
              "the committed spec/openapi.yaml; it does not apply with --from-spec.",
              file=sys.stderr)
        return EXIT_ERRORS
    try:
        if args.command == "spec":
            return _run(args.command, root, docs, overlays, spec_dir, out_dir, args.from_spec,
                        args.strict, fail_on_breaking=args.fail_on_breaking)
        from generator.model.schema_process import SchemaProcess

        # Started before anything else: its import of datamodel-code-generator overlaps with the
        # spec build.
        with SchemaProcess() as schemas:
            return _run(args.command, root, docs, overlays, spec_dir, out_dir, args.from_spec,
                        args.strict, not args.no_format, args.formatter, schemas.start,
                        fail_on_breaking=args.fail_on_breaking)
    except _BreakingChanges as exc:
        for change in exc.changes:
            where = change.operation or "component"
            print(f"{change.pointer}: breaking: {change.change} ({where}): {change.detail}; "
                  f"Python: {change.python}", file=sys.stderr)
        print(f"generator: stopped: {_count(len(exc.changes), 'breaking API change')} and "
              f"--fail-on-breaking{'; nothing was written' if exc.command != 'check' else ''}.",
              file=sys.stderr)
        return EXIT_BREAKING
    except _StrictWarnings as exc:
        print(f"generator: stopped: {_count(len(exc.diagnostics), 'warning')} and --strict; "
              "nothing was written.", file=sys.stderr)
        return EXIT_WARNINGS_STRICT
    except GeneratorError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        errors = sum(d.severity is Severity.ERROR for d in exc.diagnostics)
        print(f"generator: stopped: {_count(errors, 'error')}; nothing was written.",
              file=sys.stderr)
        return EXIT_ERRORS


class _StrictWarnings(GeneratorError):
    """Warnings under --strict: reported already, they stop the run (exit code 2)."""


class _BreakingChanges(Exception):
    """Breaking API changes under --fail-on-breaking: they stop the run (exit code 4)."""

    def __init__(self, command: str, changes: tuple[Change, ...]) -> None:
        super().__init__(f"{len(changes)} breaking API changes")
        self.command = command
        self.changes = changes


def _diff_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator diff",
        description="Compare two OpenAPI documents (YAML or JSON; published ones or a normalized "
        "spec/openapi.yaml) and list what changed for code using the generated client: each "
        "change's kind, operation, JSON pointer, whether it breaks, and its Python meaning, "
        "with the semantic version bump it calls for.",
        epilog="exit codes: 0 ok, 1 errors (a document cannot be read), 4 breaking changes "
        "under --fail-on-breaking.")
    parser.add_argument("old", type=Path, help="the earlier document")
    parser.add_argument("new", type=Path, help="the later document")
    parser.add_argument("--format", choices=["md", "json"], default="md",
                        help='markdown for a reviewer (default), or JSON: {"changes": [...], '
                        '"bump": "major"|"minor"|"patch"|"none"}')
    parser.add_argument("--fail-on-breaking", action="store_true",
                        help="exit with code 4 when a change is breaking")
    return parser


def _diff(argv: list[str]) -> int:
    """`diff OLD NEW`: print the changes; 0, or 4 for breaking ones under --fail-on-breaking."""
    args = _diff_parser().parse_args(argv)
    from generator.changes import compare
    from generator.changes.load import load_document
    from generator.changes.render import to_json, to_markdown

    try:
        old, new = map_all(lambda p: load_document(read_source(p, str(p)).text, str(p)),
                           [args.old, args.new])
    except GeneratorError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        print("generator: diff stopped: a document cannot be read.", file=sys.stderr)
        return EXIT_ERRORS
    changes = compare(old, new)
    sys.stdout.write(to_json(changes) if args.format == "json" else to_markdown(
        changes, "API changes", f"From `{args.old}` to `{args.new}`."))
    return EXIT_BREAKING if args.fail_on_breaking and changes.breaking else EXIT_OK


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def _report(warnings: tuple[Diagnostic, ...], strict: bool) -> None:
    """Print warnings like a compiler; under --strict they are errors and stop the run."""
    for diagnostic in warnings:
        shown = Diagnostic(Severity.ERROR, diagnostic.location, diagnostic.message,
                           diagnostic.action + "; an error under --strict"
                           if diagnostic.action else "an error under --strict") \
            if strict else diagnostic
        print(shown, file=sys.stderr)
    if strict and warnings:
        raise _StrictWarnings(warnings)


def _run(command: str, root: Path, docs: Path, overlays: Path, spec_dir: Path, out_dir: Path,
         from_spec: Path | None, strict: bool, format_code: bool = True,
         formatter: Formatter = "ruff", schema_parser: SchemaParser | None = None, *,
         fail_on_breaking: bool = False) -> int:
    # Imported here so `--help` stays fast and a broken stage cannot break argument parsing.
    from generator.locate import locate
    from generator.spec_build import build_spec

    spec_files: dict[Path, str] = {}
    if from_spec is not None:
        from generator.client_build import load_spec_text

        spec_text, spec_name = read_source(from_spec, str(from_spec)).text, str(from_spec)
        openapi = load_spec_text(spec_text, spec_name)
        warnings: tuple[Diagnostic, ...] = ()
    else:
        built = build_spec(
            read_dir(docs, DOC_SUFFIXES, root=root),
            read_dir(overlays, (".yaml", ".yml", ".json"), root=root),
        )
        openapi, warnings = built.openapi, built.warnings
        spec_text, spec_name = built.openapi_yaml, str(spec_dir / "openapi.yaml")
        changes = _api_changes(spec_dir, built.openapi_yaml, openapi)
        spec_files = {
            spec_dir / "openapi.yaml": built.openapi_yaml,
            spec_dir / "MERGE_REPORT.md": built.report_md,
            spec_dir / "API_CHANGES.md": changes.text,
        }
        if fail_on_breaking and changes.changes.breaking:
            raise _BreakingChanges(command, changes.changes.breaking)
    if command == "spec":
        _report(warnings, strict)
        write_files_atomically(spec_files)
        print(f"wrote {', '.join(str(p) for p in spec_files)}")
        return EXIT_OK

    from generator.client_build import build_client
    from generator.model.schemas import parse_here
    from generator.render.format import DirectoryCache

    try:
        client = build_client(openapi, DirectoryCache(root / ".cache" / "black"),
                              format_code=format_code, formatter=formatter,
                              schema_parser=schema_parser or parse_here)
    except GeneratorError as exc:
        # Pointers into the spec also get its file and line, like every other message.
        raise GeneratorError(locate(exc.diagnostics, spec_name, spec_text)) from exc
    _report(warnings + locate(client.warnings, spec_name, spec_text), strict)
    package_dir = out_dir / client.package
    if command == "generate":
        write_files_atomically(spec_files)
        replace_tree(package_dir, client.files)
        print(f"wrote {len(spec_files)} spec files and {len(client.files)} files in {package_dir}")
        return EXIT_OK

    diff: list[str] = []
    for path, text in spec_files.items():
        committed = (path.read_text(encoding="utf-8", errors="replace") if path.exists()
                     else None)
        diff += diff_trees(str(path.parent), {path.name: committed} if committed is not None
                           else {}, {path.name: text})
    diff += diff_trees(str(package_dir), read_tree(package_dir), client.files)
    if diff:
        sys.stdout.writelines(diff[:4000])
        print("\ncheck: committed spec/ or generated/ is stale; run `make generate` and commit.")
        return EXIT_STALE
    print("check: spec/ and generated/ are up to date.")
    return EXIT_OK


def _api_changes(spec_dir: Path, spec_text: str, spec: dict[str, Any]) -> ApiChanges:
    """spec/API_CHANGES.md for replacing the committed spec by `spec`: read the committed spec
    and report (absent ones are None) and let `changes.report` decide."""
    from generator.changes.report import api_changes

    previous, report = spec_dir / "openapi.yaml", spec_dir / "API_CHANGES.md"
    return api_changes(
        read_source(previous, str(previous)).text if previous.is_file() else None,
        read_source(report, str(report)).text if report.is_file() else None,
        spec_text, spec, str(previous))
