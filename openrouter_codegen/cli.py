"""Command line: `python -m openrouter_codegen {spec,generate,check,diff}`. The only place that does file I/O."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openrouter_codegen
from openrouter_codegen.common.diagnostics import Diagnostic, GeneratorError, Severity, map_all
from openrouter_codegen.common.files import (
    DOC_SUFFIXES,
    diff_trees,
    read_dir,
    read_source,
    read_tree,
    replace_tree,
    write_files_atomically,
)

if TYPE_CHECKING:
    from openrouter_codegen.changes import Change, ChangeSet
    from openrouter_codegen.changes.report import ApiChanges
    from openrouter_codegen.client.client_build import ClientBuild, Formatter, SchemaParser
    from openrouter_codegen.client.model.ir import ClientConfig
    from openrouter_codegen.distribution.release import Release

# 5: the directory is no project (no docs pages): refused before anything is read or written.
EXIT_OK, EXIT_ERRORS, EXIT_WARNINGS_STRICT, EXIT_STALE, EXIT_BREAKING, EXIT_NO_DOCS = 0, 1, 2, 3, 4, 5
EXIT_CODES = ("exit codes: 0 ok, 1 errors (nothing written), 2 warnings under --strict, 3 stale "
              "(check), 4 breaking API changes under --fail-on-breaking, 5 no docs pages (no "
              "ROOT/spec/docs/; nothing written).")
_COMMANDS = {
    "spec": ("build spec/openapi.yaml from the docs pages",
             ("Build spec/openapi.yaml (with spec/MERGE_REPORT.md and spec/API_CHANGES.md) from the "
             "docs pages in ROOT/spec/docs and the overlays in ROOT/spec/overlays, and bring the "
             "client's version (generated/pyproject.toml, generated/CHANGELOG.md) in step with "
             "the API changes. The package itself is left as it is: run `generate` for it.")),
    "generate": ("build the spec and the client package, README and version",
                 ("Build the spec from the docs pages (as `spec` does), then the client package "
                 "generated/<package>/ and its distribution files (generated/pyproject.toml, "
                 "README.md, CHANGELOG.md; the version follows spec/API_CHANGES.md: breaking -> "
                 "major, additive -> minor, descriptions -> patch). Writes nothing and says \"no "
                 "changes\" when every file is already up to date. With --from-spec FILE, only "
                 "the package is written, from that OpenAPI document, into --out.")),
    "check": ("fail when the committed spec/ or generated/ is stale",
              ("Regenerate in memory (as `generate` does) and compare with the committed files: "
              "exit 0 when they are up to date, else print a diff and exit 3. Writes nothing.")),
    "diff": ("compare two OpenAPI documents for the client",
             ("Compare two OpenAPI documents (YAML or JSON; published ones or a normalized "
             "spec/openapi.yaml) and list what changed for code using the generated client: "
             "each change's kind, operation, JSON pointer, whether it breaks, and its Python "
             "meaning, with the semantic version bump it calls for.")),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m openrouter_codegen", epilog=EXIT_CODES,
        description="openrouter-codegen: turn API docs pages (markdown with OpenAPI YAML blocks, "
        "in ROOT/spec/docs/) into one clean OpenAPI document (spec/openapi.yaml) and a typed "
        "Python client distribution (generated/). Run `make generate` in the project's root, "
        "or one of the commands below.")
    parser.add_argument("--version", action="version",
                        version=f"openrouter-codegen {openrouter_codegen.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     title="commands (`COMMAND --help` for each)")
    for name, (summary, description) in _COMMANDS.items():
        sub = commands.add_parser(name, help=summary, description=description, epilog=EXIT_CODES
                                  if name != "diff" else "exit codes: 0 ok, 1 errors (a document "
                                  "cannot be read), 4 breaking changes under --fail-on-breaking.")
        if name == "diff":
            _diff_arguments(sub)
        else:
            _build_arguments(sub)
    return parser


def _build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="project root, holding spec/docs/ (default: the current directory)")
    parser.add_argument("--docs", type=Path, help="docs pages (default: ROOT/spec/docs)")
    parser.add_argument("--overlays", type=Path, help="overlays (default: ROOT/spec/overlays)")
    parser.add_argument("--spec-dir", type=Path, help="spec output (default: ROOT/spec)")
    parser.add_argument("--out", type=Path, help="package and distribution output "
                        "(default: ROOT/generated)")
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


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit code (0 ok, 1 errors, 2 warnings under --strict, 3 stale,
    4 breaking API changes under --fail-on-breaking, 5 no docs pages)."""
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "diff":
        return _diff(args)
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
    if args.from_spec is None and not _has_pages(docs):
        print(f"generator: no docs pages in {docs} (a project keeps them in ROOT/spec/docs/); "
              "nothing was written. Run it in the project's root, or pass --root DIR, --docs DIR "
              "or --from-spec FILE.", file=sys.stderr)
        return EXIT_NO_DOCS
    try:
        if args.command == "spec":
            return _run(args.command, root, docs, overlays, spec_dir, out_dir, args.from_spec,
                        args.strict, fail_on_breaking=args.fail_on_breaking)
        from openrouter_codegen.client.model.schema_process import SchemaProcess

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


def _has_pages(docs: Path) -> bool:
    """Whether `docs` is a directory holding at least one page the extractor reads."""
    return docs.is_dir() and any(p.is_file() and p.suffix.lower() in DOC_SUFFIXES
                                 for p in docs.iterdir())


class _StrictWarnings(GeneratorError):
    """Warnings under --strict: reported already, they stop the run (exit code 2)."""


class _BreakingChanges(Exception):
    """Breaking API changes under --fail-on-breaking: they stop the run (exit code 4)."""

    def __init__(self, command: str, changes: tuple[Change, ...]) -> None:
        super().__init__(f"{len(changes)} breaking API changes")
        self.command = command
        self.changes = changes


def _diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", type=Path, help="the earlier document")
    parser.add_argument("new", type=Path, help="the later document")
    parser.add_argument("--format", choices=["md", "json"], default="md",
                        help='markdown for a reviewer (default), or JSON: {"changes": [...], '
                        '"bump": "major"|"minor"|"patch"|"none"}')
    parser.add_argument("--fail-on-breaking", action="store_true",
                        help="exit with code 4 when a change is breaking")


def _diff(args: argparse.Namespace) -> int:
    """`diff OLD NEW`: print the changes; 0, or 4 for breaking ones under --fail-on-breaking."""
    from openrouter_codegen.changes import compare
    from openrouter_codegen.changes.load import load_document
    from openrouter_codegen.changes.render import to_json, to_markdown

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
    from openrouter_codegen.spec.locate import locate
    from openrouter_codegen.spec.spec_build import build_spec

    spec_files: dict[Path, str] = {}
    release: _Release | None = None  # None with --from-spec: no committed history to follow
    if from_spec is not None:
        from openrouter_codegen.client.client_build import load_spec_text

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
        # Without a committed spec nothing is known to have changed: the version stays.
        known = changes.changes if (spec_dir / "openapi.yaml").is_file() else None
        release = _release(out_dir, openapi, known)
    if command == "spec":
        _report(warnings, strict)
        # The version follows the spec's change, so it moves with the spec (a later `generate`
        # finds the spec unchanged and keeps it).
        version_files = {} if release is None else _version_files(release, out_dir, None)
        return _write({**spec_files, **version_files}, {})

    from openrouter_codegen.client.client_build import build_client
    from openrouter_codegen.client.model.schemas import parse_here
    from openrouter_codegen.client.render.format import DirectoryCache

    try:
        client = build_client(openapi, DirectoryCache(root / ".cache" / "black"),
                              format_code=format_code, formatter=formatter,
                              schema_parser=schema_parser or parse_here,
                              version=None if release is None else release.release.version)
    except GeneratorError as exc:
        # Pointers into the spec also get its file and line, like every other message.
        raise GeneratorError(locate(exc.diagnostics, spec_name, spec_text)) from exc
    _report(warnings + locate(client.warnings, spec_name, spec_text), strict)
    package_dir = out_dir / client.package
    files = {**spec_files, **({} if release is None
                              else _version_files(release, out_dir, client))}
    if command == "generate":
        return _write(files, {package_dir: client.files})

    diff: list[str] = []
    for path, text in files.items():
        committed = _committed(path)
        diff += diff_trees(str(path.parent), {path.name: committed} if committed is not None
                           else {}, {path.name: text})
    diff += diff_trees(str(package_dir), read_tree(package_dir), client.files)
    if diff:
        sys.stdout.writelines(diff[:4000])
        print("\ncheck: committed spec/ or generated/ is stale; run `make generate` and commit.")
        return EXIT_STALE
    print("check: spec/ and generated/ are up to date.")
    return EXIT_OK


def _committed(path: Path) -> str | None:
    """A committed output file's text (None when absent); one that is not UTF-8 is stale."""
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None


def _write(files: dict[Path, str], trees: dict[Path, dict[str, str]]) -> int:
    """Write the files and trees that differ from what is on disk; say which, or "no changes"."""
    changed = {path: text for path, text in files.items() if _committed(path) != text}
    changed_trees = {path: tree for path, tree in trees.items() if read_tree(path) != tree}
    if not changed and not changed_trees:
        places = sorted({f"{p.parent}/" for p in files} | {f"{p}/" for p in trees})
        print(f"no changes: {', '.join(places)} already up to date.")
        return EXIT_OK
    write_files_atomically(changed)
    for path, tree in changed_trees.items():
        replace_tree(path, tree)
    written = [str(p) for p in changed] + [f"{p}/ ({_count(len(t), 'file')})"
                                           for p, t in changed_trees.items()]
    print(f"wrote {', '.join(written)}")
    return EXIT_OK


@dataclass(frozen=True)
class _Release:
    """The client's release and what the changelog and README are made from."""

    release: Release
    config: ClientConfig
    changes: ChangeSet | None
    previous_changelog: str | None
    today: date


def _release(out_dir: Path, openapi: dict[str, Any], changes: ChangeSet | None) -> _Release:
    """The next release after the version committed in OUT/pyproject.toml (absent: the first)."""
    from openrouter_codegen.client.model.config import client_config
    from openrouter_codegen.distribution.release import next_release
    from openrouter_codegen.distribution.version import committed_version

    pyproject, changelog = out_dir / "pyproject.toml", out_dir / "CHANGELOG.md"
    previous = committed_version(read_source(pyproject, str(pyproject)).text, str(pyproject)) \
        if pyproject.is_file() else None
    config = client_config(openapi)
    release = next_release(previous, changes, config.version)
    return _Release(release, config, changes, read_source(changelog, str(changelog)).text
                    if changelog.is_file() else None, datetime.now(UTC).date())


def _version_files(release: _Release, out_dir: Path, client: ClientBuild | None) -> dict[Path, str]:
    """OUT/pyproject.toml and CHANGELOG.md, and with the client built its README.md."""
    from openrouter_codegen.client.client_build import exception_names
    from openrouter_codegen.client.render.ruff_format import ruff_format_text
    from openrouter_codegen.distribution.changelog import changelog
    from openrouter_codegen.distribution.files import pyproject, readme

    version, config = release.release.version, release.config
    files = {out_dir / "pyproject.toml": pyproject(config, version),
             out_dir / "CHANGELOG.md": changelog(release.previous_changelog, release.release,
                                                 release.changes, release.today, config.title)}
    if client is not None:
        # Its Python examples laid out as ruff (and so `ruff format --check generated`) wants.
        text = readme(config, client.groups, version, tuple(
            exception_names(client.files["_exceptions.py"])))
        files[out_dir / "README.md"] = ruff_format_text(text, "README.md")
    return files


def _api_changes(spec_dir: Path, spec_text: str, spec: dict[str, Any]) -> ApiChanges:
    """spec/API_CHANGES.md for replacing the committed spec by `spec`: read the committed spec
    and report (absent ones are None) and let `changes.report` decide."""
    from openrouter_codegen.changes.report import api_changes

    previous, report = spec_dir / "openapi.yaml", spec_dir / "API_CHANGES.md"
    return api_changes(
        read_source(previous, str(previous)).text if previous.is_file() else None,
        read_source(report, str(report)).text if report.is_file() else None,
        spec_text, spec, str(previous))
