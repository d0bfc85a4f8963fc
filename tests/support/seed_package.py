"""The client generated from the frozen seed pages (tests/fixtures/seed_docs/), as its own package.

Tests that pin what the seed pages describe (their model names, their recorded live bodies, the
code of tests/typing/ that the type checkers read) run on this package, not on the committed one,
which follows whatever pages spec/docs/ holds. It is generated once per test process into a
temporary directory, named `openrouter_seed_client` so it can be imported beside
`openrouter_client`. `python -m tests.support.seed_package DIR` writes it under DIR for the type
checkers of `make typecheck`.
"""

from __future__ import annotations

import functools
import importlib
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from openrouter_codegen.client.client_build import build_client
from openrouter_codegen.spec.spec_build import build_spec
from tests.spec.helpers import overlay_files, seed_pages

PACKAGE = "openrouter_seed_client"


def write_seed_package(root: Path) -> Path:
    """Generate the seed package into ``root/openrouter_seed_client/`` (whatever was there is
    replaced); returns ``root``, the directory to put on the import path."""
    document = build_spec(seed_pages(), overlay_files()).openapi
    document["info"]["x-client"] = {**document["info"].get("x-client", {}), "package": PACKAGE}
    build = build_client(document, format_code=False)
    shutil.rmtree(root / build.package, ignore_errors=True)
    for rel, text in build.files.items():
        path = root / build.package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@functools.cache
def seed_package() -> ModuleType:
    """Generate (once) and import the seed client package."""
    root = write_seed_package(Path(tempfile.mkdtemp(prefix="seed-client-")))
    sys.path.insert(0, str(root))
    return importlib.import_module(PACKAGE)


@functools.cache
def seed_package_root() -> Path:
    """The directory holding the imported seed package (for a type checker's search path)."""
    package = seed_package()
    assert package.__file__ is not None
    return Path(package.__file__).parents[1]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.support.seed_package DIR")
    print(write_seed_package(Path(sys.argv[1])) / PACKAGE)
