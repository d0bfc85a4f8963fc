"""The client generated from the frozen seed pages (tests/fixtures/seed_docs/), as its own package.

Tests that pin what the seed pages describe (their model names, their recorded live bodies) run
on this package, not on the committed one, which follows whatever pages spec/docs/ holds. It is
generated once per test process into a temporary directory, named `openrouter_seed_client` so
it can be imported beside `openrouter_client`.
"""

from __future__ import annotations

import functools
import importlib
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from openrouter_codegen.client.client_build import build_client
from openrouter_codegen.spec.spec_build import build_spec
from tests.spec.helpers import overlay_files, seed_pages

PACKAGE = "openrouter_seed_client"


@functools.cache
def seed_package() -> ModuleType:
    """Generate (once) and import the seed client package."""
    document = build_spec(seed_pages(), overlay_files()).openapi
    document["info"]["x-client"] = {**document["info"].get("x-client", {}), "package": PACKAGE}
    build = build_client(document, format_code=False)
    root = Path(tempfile.mkdtemp(prefix="seed-client-"))
    for rel, text in build.files.items():
        path = root / build.package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root))
    return importlib.import_module(PACKAGE)
