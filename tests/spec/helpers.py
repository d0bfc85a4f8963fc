"""Helpers for the spec-pipeline tests: the seed pages, the overlays, small pages."""

from __future__ import annotations

import textwrap
from pathlib import Path

from openrouter_codegen.common.files import DOC_SUFFIXES, SourceFile, read_dir

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "spec" / "docs"
OVERLAYS = REPO / "spec" / "overlays"
LATER_DOCS = REPO / "tests" / "fixtures" / "docs_later"
# The seed pages, frozen: tests that pin their content read these, not the live spec/docs/,
# which a maintainer may add to at any time.
SEED_DOCS = REPO / "tests" / "fixtures" / "seed_docs"


def seed_pages() -> tuple[SourceFile, ...]:
    """The frozen seed pages, as the CLI reads them, named as they were in spec/docs/."""
    return tuple(SourceFile(f"spec/docs/{Path(f.path).name}", f.text)
                 for f in read_dir(SEED_DOCS, DOC_SUFFIXES, root=REPO))


def live_pages() -> tuple[SourceFile, ...]:
    """The pages in spec/docs/ now, as the CLI reads them."""
    return read_dir(DOCS, DOC_SUFFIXES, root=REPO)


def overlay_files() -> tuple[SourceFile, ...]:
    """The committed overlays, as the CLI reads them."""
    return read_dir(OVERLAYS, (".yaml", ".yml", ".json"), root=REPO)


def page(body: str, path: str = "spec/docs/009_test.md") -> SourceFile:
    """A markdown page holding `body` (dedented)."""
    return SourceFile(path, textwrap.dedent(body).lstrip("\n"))


def yaml_page(block: str, path: str = "spec/docs/009_test.md", title: str = "Test page") -> SourceFile:
    """A markdown page with one ```yaml block holding `block` (dedented)."""
    text = f"# {title}\n\nGET https://api.example.com/v2/things\n\n```yaml\n"
    text += textwrap.dedent(block).strip("\n") + "\n```\n"
    return SourceFile(path, text)
