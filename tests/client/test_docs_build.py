"""`make docs` builds the HTML API reference of the committed package (pdoc), with the parameters,
options and model descriptions the docstrings carry. The pages' wording is checked on the package
of the frozen seed pages (`make docs DOCS_PACKAGE=...`), whose descriptions it is: the committed
package follows whatever pages spec/docs/ holds."""

from __future__ import annotations

import html
import os
import pkgutil
import re
import subprocess
from pathlib import Path

import openrouter_client.api
import pytest

from tests.support.seed_package import PACKAGE, seed_package_root

ROOT = Path(__file__).resolve().parents[2]


def _text(page: Path) -> str:
    """A page's text without its tags, whitespace folded, so phrases read as in the docstring."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.read_text())))


def _make_docs(out: Path, package: str | None = None, path: Path | None = None) -> Path:
    args = ["make", "-s", "docs", f"DOCS_DIR={out}"]
    if package is not None:
        args.append(f"DOCS_PACKAGE={package}")
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(path), env.get("PYTHONPATH")]))
    done = subprocess.run(args, cwd=ROOT, check=False, capture_output=True, text=True,
                          timeout=900, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference of the committed package."""
    return _make_docs(tmp_path_factory.mktemp("docs") / "html")


@pytest.fixture(scope="module")
def seed_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pages of the seed pages' package (`openrouter_seed_client/`) in its reference."""
    out = _make_docs(tmp_path_factory.mktemp("seed-docs") / "html", PACKAGE,
                     seed_package_root())
    return out / PACKAGE


def test_every_public_module_has_a_page(docs: Path) -> None:
    pages = {p.relative_to(docs).as_posix() for p in docs.rglob("*.html")}
    api_modules = {f"openrouter_client/api/{m.name}.html"
                   for m in pkgutil.iter_modules(openrouter_client.api.__path__)
                   if not m.name.startswith("_")}
    assert len(api_modules) > 3
    assert {"index.html", "openrouter_client.html", "openrouter_client/api.html",
            "openrouter_client/models.html", *api_modules} <= pages
    assert not any("/_" in page for page in pages)  # private modules stay out


def test_endpoint_pages_document_each_parameter(seed_docs: Path) -> None:
    chat = _text(seed_docs / "api/chat.html")
    assert "Arguments:" in chat
    assert "messages (Sequence[" in chat
    assert "temperature (float | None, optional): Server default: 1 ." in chat
    assert "session_id (str, optional): A unique identifier for grouping related requests" in chat
    assert "stream (bool, optional): True streams the answer as ChatStreamingChunk events." in chat
    keys = _text(seed_docs / "api/api_keys.html")
    assert "offset (str, optional): Number of API keys to skip for pagination" in keys
    assert "max_retries (int, optional): Retries of this call" in keys


def test_client_page_documents_every_constructor_option(docs: Path) -> None:
    client = _text(docs / "openrouter_client.html")
    for option in ("api_key (str | None): The API key. Default: the OPENROUTER_API_KEY",
                   "base_url (str | httpx.URL | None)", "timeout (float | httpx.Timeout | None)",
                   "max_retries (int)", "default_headers", "default_query",
                   "http_client (httpx.Client | None)", "http_client (httpx.AsyncClient | None)",
                   "retry_policy (RetryPolicy | None)",
                   "http_referer (str | None): Sent as the HTTP-Referer header",
                   "x_title (str | None)"):
        assert option in client, option


def test_models_page_carries_descriptions_and_use_sites(seed_docs: Path) -> None:
    models = _text(seed_docs / "models.html")
    assert "The answer of client.models.list() ." in models  # a model the spec leaves undescribed
    assert "The form of Message whose role is system ." in models
