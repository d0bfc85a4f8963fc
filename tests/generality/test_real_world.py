"""Real-world OpenAPI documents (../shared/openapi/other/, read in place) generate with
`--from-spec`, with one endpoint for each of their operations, import module by module and pass
`mypy --strict`.

The documents: OpenAI's published API (288 operations, 3.1; an example holds the unquoted YAML date
`version: 2024-10-01`, which used to stop the build), Swagger's Petstore (3.0) and
openapi-python-client's end-to-end documents (its baseline as 3.0 JSON and 3.1 YAML, and its enum
document). Measured on 2 cores shared with other work: OpenAI's 83 s (about 22 s of it generating,
15 s mypy), each of the others 3-10 s.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from openrouter_codegen.cli import EXIT_OK, main
from openrouter_codegen.client.client_build import load_spec_text
from tests.generality.support import mypy_strict
from tests.support.shared_data import shared_file

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DOCUMENTS = [
    pytest.param("openai_openapi.yaml", 288, marks=pytest.mark.slow, id="openai"),
    pytest.param("petstore3.yaml", 19, id="petstore"),
    pytest.param("opc_baseline_openapi_3.0.json", None, id="opc-baseline-3.0"),
    pytest.param("opc_baseline_openapi_3.1.yaml", None, id="opc-baseline-3.1"),
    pytest.param("opc_openapi_3.1_enums.yaml", None, id="opc-enums"),
]
# Imports every module of the package (the models are lazily imported otherwise) and says how many.
IMPORT_ALL = """\
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [m.name for m in pkgutil.walk_packages(package.__path__, sys.argv[1] + ".")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


# An endpoint's request options: its method and its path (an expression, on one line or several).
SENDS = re.compile(r'^( +)method="([A-Z]+)",\n\1path=(.+?),\n\1\w+=', re.MULTILINE | re.DOTALL)


def _operations(spec: Path) -> int:
    document = load_spec_text(spec.read_text(encoding="utf-8"), str(spec))
    return sum(method in HTTP_METHODS for item in document["paths"].values() for method in item)


@pytest.mark.parametrize(("name", "operations"), DOCUMENTS)
def test_real_world_document_generates_imports_and_type_checks(
        name: str, operations: int | None, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    spec = shared_file("openapi", "other", name)
    if operations is not None:  # the documents we know the size of have not changed under us
        assert _operations(spec) == operations
    out = tmp_path / "out"
    code = main(["generate", "--from-spec", str(spec), "--out", str(out), "--root", str(tmp_path)])
    assert code == EXIT_OK, capsys.readouterr().err
    [package] = [p.name for p in out.iterdir()]
    # Every operation has an endpoint: each builds its request options with its method and path
    # (an operation with a form body besides JSON has a twin per form, sending the same pair).
    endpoints = {match.groups()[1:] for path in (out / package / "api").glob("*.py")
                 for match in SENDS.finditer(path.read_text(encoding="utf-8"))}
    assert len(endpoints) == _operations(spec)
    imported = subprocess.run([sys.executable, "-c", IMPORT_ALL, package], cwd=out,
                              capture_output=True, text=True, check=False)
    assert imported.returncode == 0, imported.stderr
    assert int(imported.stdout) == sum(1 for _ in (out / package).rglob("*.py")) - 1
    checked = mypy_strict(out, package)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_openai_documents_unquoted_date_is_read_as_the_text_it_stands_for() -> None:
    spec = shared_file("openapi", "other", "openai_openapi.yaml")
    document = load_spec_text(spec.read_text(encoding="utf-8"), str(spec))
    example = document["components"]["schemas"]["ChatSessionResource"]["example"]
    assert example["workflow"]["version"] == "2024-10-01"
