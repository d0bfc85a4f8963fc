"""A docs page added later regenerates with no code change and disturbs nothing else."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate

from openrouter_codegen.common.files import DOC_SUFFIXES, read_dir
from openrouter_codegen.common.schema_tools import iter_operations, resolve_pointer
from openrouter_codegen.spec.localize import is_page_local
from openrouter_codegen.spec.spec_build import SpecBuild, build_spec
from tests.spec.helpers import LATER_DOCS, REPO, overlay_files, seed_pages

TOUCHED_PATHS = {"/credits", "/credits/coinbase", "/keys"}


def _later_build() -> SpecBuild:
    later = read_dir(LATER_DOCS, DOC_SUFFIXES, root=REPO)
    assert [p.path.rsplit("/", 1)[1] for p in later] == ["005_later_page.md"]
    return build_spec(seed_pages() + later, overlay_files())


def test_new_operations_appear_with_their_own_names() -> None:
    doc = _later_build().openapi
    ops = {(m, p): op for p, m, op in iter_operations(doc)}
    assert len(ops) == 19
    credits = ops[("get", "/credits")]
    assert credits["tags"] == ["credits"]
    assert "parameters" not in credits
    data_ref = resolve_pointer(doc, credits["responses"]["200"]["content"]["application/json"]
                               ["schema"]["$ref"])["properties"]["data"]["$ref"]
    # the new page's own __schema0, renamed after its use site
    assert data_ref == "#/components/schemas/Credits_getCredits_Response_200Data"
    data = resolve_pointer(doc, data_ref)
    assert data["properties"]["currency"]["enum"] == ["USD", "EUR"]
    assert data["properties"]["total_usage"] == {"type": ["number", "null"], "format": "double"}
    chain = ops[("post", "/credits/coinbase")]["requestBody"]
    assert chain["required"] is True
    assert resolve_pointer(doc, "#/components/schemas/CreateCoinbaseChargeRequestChainId") == {
        "type": "integer", "enum": [1, 137, 8453]}
    assert {t["name"] for t in doc["tags"]} >= {"credits", "chat", "models"}
    assert not any(is_page_local(n) for n in doc["components"]["schemas"])
    validate(doc)


def test_newer_version_of_an_endpoint_wins_and_keeps_older_extras() -> None:
    build = _later_build()
    doc = build.openapi
    create = doc["paths"]["/keys"]["post"]
    assert create["summary"] == "Create a new API key (with expiry)"
    body = create["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert "expires_at" in body and "include_byok_in_limit" in body  # new + kept from 002
    limit_reset = doc["components"]["schemas"][
        "KeysPostRequestBodyContentApplicationJsonSchemaLimitReset"]
    assert limit_reset["enum"] == ["daily", "weekly", "monthly", "yearly"]
    data = doc["components"]["schemas"]["KeysPostResponsesContentApplicationJsonSchemaData"]
    assert {"creator_user_id", "expires_at", "usage_daily"} <= set(data["properties"])
    assert set(create["responses"]) == {"201", "400", "401", "429", "500"}
    report = build.report_md
    assert "'Create a new API key' replaced by 'Create a new API key (with expiry)'" in report
    assert "`tests/fixtures/docs_later/005_later_page.md:" in report


def _without(doc: dict[str, Any], paths: set[str]) -> dict[str, Any]:
    return {p: item for p, item in doc["paths"].items() if p not in paths}


def test_nothing_of_the_other_pages_is_disturbed(seed_build: SpecBuild) -> None:
    later = _later_build().openapi
    assert _without(later, TOUCHED_PATHS) == _without(seed_build.openapi, TOUCHED_PATHS)
    assert later["paths"]["/keys"]["get"] == seed_build.openapi["paths"]["/keys"]["get"]
    changed = {"KeysPostRequestBodyContentApplicationJsonSchemaLimitReset",
               "KeysPostResponsesContentApplicationJsonSchemaData"}
    old_schemas = seed_build.openapi["components"]["schemas"]
    new_schemas = later["components"]["schemas"]
    for name, schema in old_schemas.items():
        if name not in changed:
            assert new_schemas[name] == schema, name
