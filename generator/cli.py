"""Command line: `python -m generator {spec,generate,check}`. The only place that does file I/O."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic, GeneratorError, Severity
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
    from generator.client_build import Formatter, SchemaParser

EXIT_OK, EXIT_ERRORS, EXIT_WARNINGS_STRICT, EXIT_STALE = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("command", choices=["spec", "generate", "check"])
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
    """Run one command; return the exit code (0 ok, 1 errors, 2 warnings under --strict, 3 stale)."""
    args = _parser().parse_args(argv)
    root: Path = args.root
    docs = args.docs or root / "spec" / "docs"
    overlays = args.overlays or root / "spec" / "overlays"
    spec_dir = args.spec_dir or root / "spec"
    out_dir = args.out or root / "generated"
    try:
        if args.command == "spec":
            return _run(args.command, root, docs, overlays, spec_dir, out_dir, args.from_spec,
                        args.strict)
        from generator.model.schema_process import SchemaProcess

        # Started before anything else: its import of datamodel-code-generator overlaps with the
        # spec build.
        with SchemaProcess() as schemas:
            return _run(args.command, root, docs, overlays, spec_dir, out_dir, args.from_spec,
                        args.strict, not args.no_format, args.formatter, schemas.start)
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
         formatter: Formatter = "ruff", schema_parser: SchemaParser | None = None) -> int:
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
        spec_files = {
            spec_dir / "openapi.yaml": built.openapi_yaml,
            spec_dir / "MERGE_REPORT.md": built.report_md,
        }
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
