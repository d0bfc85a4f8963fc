"""The golden-vector extractor: on a tiny inline page, on malformed examples, on the real pages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from openrouter_codegen.spec.spec_build import build_spec
from tests.spec.helpers import SEED_DOCS, overlay_files, seed_pages

from .golden import (
    DOCS_DIR,
    SPEC_PATH,
    GoldenError,
    SpecOperation,
    docs_pages,
    extract_examples,
    load_examples,
    load_golden_vectors,
    load_spec,
    match_operation,
    spec_operations,
    usable_golden_vectors,
)

TINY_PAGE = '''\
# Create a widget

POST https://api.example.test/v2/widgets

## OpenAPI Specification

```yaml
openapi: 3.1.1
```

## SDK Code Examples

```python
import requests

url = "https://api.example.test/v2/widgets"

payload = {
    "name": "w",
    "enabled": True,
    "size": None,
    "tags": ["a", "b"]
}
headers = {"Authorization": "Bearer <token>"}

response = requests.post(url, json=payload, headers=headers)

print(response.json())
```

```javascript
const response = await fetch(url, {method: 'POST'});
```

# Update a widget

## Usage

```python
# A python block outside the SDK section is not a golden vector.
import requests
requests.get("https://api.example.test/v2/ignored")
```

## SDK Code Examples

```python
import requests
# Not a heading: this line is inside a code block.
response = requests.request(
    "PATCH",
    "https://api.example.test/v2/widgets/w%201?dry_run=1",
    params={"verbose": "true"},
    json={"name": "renamed"},
)
```

```python
import requests

response = requests.get("https://api.example.test/v2/widgets/mine")
```
'''

TINY_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "https://api.example.test/v2"}],
    "paths": {
        "/widgets": {"post": {"operationId": "createWidget", "responses": {}}},
        "/widgets/{id}": {
            "get": {"operationId": "getWidget", "responses": {}},
            "patch": {"operationId": "updateWidget", "responses": {}},
        },
        "/widgets/mine": {"get": {"operationId": "getMyWidget", "responses": {}}},
    },
}


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_tiny_page_yields_only_the_sdk_python_examples() -> None:
    examples = extract_examples(TINY_PAGE, "tiny.txt")

    assert [(e.method, e.url) for e in examples] == [
        ("POST", "https://api.example.test/v2/widgets"),
        ("PATCH", "https://api.example.test/v2/widgets/w%201?dry_run=1"),
        ("GET", "https://api.example.test/v2/widgets/mine"),
    ]
    create, update, mine = examples
    assert create.has_json
    assert create.json_body == {"name": "w", "enabled": True, "size": None, "tags": ["a", "b"]}
    assert create.headers == {"Authorization": "Bearer <token>"}
    assert create.title == "Create a widget"
    assert create.line == _line_of(TINY_PAGE, "response = requests.post(")
    assert create.where == f"tiny.txt:{create.line}"

    assert update.title == "Update a widget"
    assert update.json_body == {"name": "renamed"}
    assert update.params == {"verbose": "true"}
    assert update.line == _line_of(TINY_PAGE, "response = requests.request(")

    assert not mine.has_json and mine.json_body is None and mine.params == {}


def test_examples_match_operations_most_literal_template_first() -> None:
    create, update, mine = (
        match_operation(e, TINY_SPEC) for e in extract_examples(TINY_PAGE, "tiny.txt")
    )
    assert create.operation == SpecOperation("POST", "/widgets")
    assert create.operation.operation_id == "createWidget"
    assert create.path == "/widgets" and create.path_params == {} and create.query == {}

    assert update.operation == SpecOperation("PATCH", "/widgets/{id}")
    assert update.path_params == {"id": "w 1"}  # percent-decoded
    assert update.query == {"dry_run": "1", "verbose": "true"}

    # /widgets/mine fits both /widgets/mine and /widgets/{id}: the literal path wins.
    assert mine.operation == SpecOperation("GET", "/widgets/mine")


def test_spec_operations_lists_every_method_and_path() -> None:
    assert spec_operations(TINY_SPEC) == {
        SpecOperation("POST", "/widgets"),
        SpecOperation("GET", "/widgets/{id}"),
        SpecOperation("PATCH", "/widgets/{id}"),
        SpecOperation("GET", "/widgets/mine"),
    }


def _sdk_page(code: str) -> str:
    return f"# Page\n\n## SDK Code Examples\n\n```python\n{code}\n```\n"


@pytest.mark.parametrize(
    ("code", "bad_line", "message"),
    [
        ("import requests\nresponse = requests.get(url,", 7, "does not parse"),
        ("import requests\nprint('no call')", 6, "found 0"),
        (
            "import requests\nrequests.get('https://x/a')\nrequests.get('https://x/b')",
            6, "found 2",
        ),
        (
            "import requests\npayload = build()\nrequests.post('https://x/a', json=payload)",
            8, "refers to `payload`",
        ),
        ("import requests\nrequests.post('https://x/a', json=make())", 7, "not a literal"),
        ("import requests\nrequests.post('https://x/a', data={'a': 1})", 7, "data"),
        ("import requests\nrequests.session('https://x/a')", 7, "not an HTTP call"),
        ("import requests\nrequests.get(**kwargs)", 7, "kwargs"),
    ],
)
def test_an_unreadable_example_is_an_error_naming_page_and_line(
    code: str, bad_line: int, message: str
) -> None:
    with pytest.raises(GoldenError, match=re.escape(message)) as caught:
        extract_examples(_sdk_page(code), "bad.txt")
    assert caught.value.page == "bad.txt"
    assert caught.value.line == bad_line
    assert str(caught.value).startswith(f"bad.txt:{bad_line}: ")


def test_an_unclosed_code_block_is_an_error() -> None:
    with pytest.raises(GoldenError, match=r"^p\.txt:3: code block is never closed"):
        extract_examples("# T\n## SDK Code Examples\n```python\nimport requests\n", "p.txt")


def test_an_example_outside_the_spec_is_an_error() -> None:
    page = _sdk_page("import requests\nrequests.delete('https://api.example.test/v2/widgets')")
    with pytest.raises(GoldenError, match=r"bad\.txt:7: no operation in the spec for DELETE"):
        match_operation(extract_examples(page, "bad.txt")[0], TINY_SPEC)
    page = _sdk_page("import requests\nrequests.get('https://elsewhere.test/v2/widgets/1')")
    with pytest.raises(GoldenError, match="not below any server URL"):
        match_operation(extract_examples(page, "bad.txt")[0], TINY_SPEC)


def _sdk_sections_with_python(text: str) -> int:
    """Independent count: SDK sections whose text contains a ```python fence."""
    sections = re.split(r"^## SDK Code Examples$", text, flags=re.MULTILINE)[1:]
    return sum("```python" in re.split(r"^# ", s, flags=re.MULTILINE)[0] for s in sections)


def test_every_example_of_the_seed_pages_is_found() -> None:
    pages = docs_pages(SEED_DOCS)
    assert pages, f"no docs pages in {SEED_DOCS}"
    examples = load_examples(pages)
    expected = sum(_sdk_sections_with_python(p.read_text(encoding="utf-8")) for p in pages)
    assert expected > 0
    assert len(examples) == expected
    for example in examples:
        assert example.url.startswith("https://"), example.where
        assert example.headers.get("Authorization") == "Bearer <token>", example.where
        # A POST/PATCH in these docs always carries a JSON body; a GET/DELETE never does.
        assert example.has_json == (example.method in {"POST", "PATCH"}), example.where


def test_every_seed_example_matches_an_operation_and_covers_the_spec() -> None:
    # The seed pages document every operation they define with an example.
    spec = build_spec(seed_pages(), overlay_files()).openapi
    vectors = load_golden_vectors(SEED_DOCS, spec)
    assert len(vectors) == len(load_examples(docs_pages(SEED_DOCS)))
    undocumented = spec_operations(spec) - {v.operation for v in vectors}
    assert not undocumented, f"operations without a golden example: {sorted(map(str, undocumented))}"
    for vector in vectors:
        for name, value in vector.path_params.items():
            assert value and "/" not in value, (vector.id, name)


def test_every_readable_example_of_the_live_pages_matches_the_committed_spec() -> None:
    # spec/docs/ may hold any pages: an example that is not a golden request is reported (the
    # golden tests skip it, saying why), the others match an operation of spec/openapi.yaml.
    assert SPEC_PATH.exists(), f"{SPEC_PATH} is missing; run `make spec`"
    vectors, problems = usable_golden_vectors(DOCS_DIR, load_spec())
    found = len(vectors) + len(problems)
    assert found == sum(_sdk_sections_with_python(p.read_text(encoding="utf-8"))
                        for p in docs_pages(DOCS_DIR))
    assert all(str(p).startswith("spec/docs/") for p in problems), problems


def test_an_example_that_is_no_requests_call_is_reported_not_fatal(tmp_path: Any) -> None:
    (tmp_path / "001_page.md").write_text(TINY_PAGE.replace("requests.post(", "print("),
                                          encoding="utf-8")
    (tmp_path / "002_page.md").write_text(TINY_PAGE, encoding="utf-8")
    vectors, problems = usable_golden_vectors(tmp_path, TINY_SPEC)
    whole = len(extract_examples(TINY_PAGE, "tiny.md"))
    posts = TINY_PAGE.count("requests.post(")
    assert posts and len(problems) == posts
    assert all(p.page.endswith("001_page.md") and "requests" in str(p) for p in problems)
    # The page's other examples, and every example of the next page, are still used.
    assert sum(v.example.page.endswith("002_page.md") for v in vectors) == whole
    assert sum(v.example.page.endswith("001_page.md") for v in vectors) == whole - posts
