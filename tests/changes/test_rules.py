"""Each rule of `openrouter_codegen.changes` on a minimal pair of documents: the kind, where, whether it
breaks code using the generated client, and the Python name it gives."""

from __future__ import annotations

from typing import Any

from openrouter_codegen.changes import compare
from tests.changes.documents import changed, document, get, json_answer, json_body, kinds, only, ref


def api() -> dict[str, Any]:
    """GET /things (a list of Thing), POST /things (NewThing -> Thing); Kind is shared."""
    return document(
        paths={"/things": {
            "get": get(json_answer(ref("ThingList")), parameters=[
                {"name": "limit", "in": "query", "schema": {"type": "integer"}}]),
            "post": {"operationId": "createThing", "tags": ["Things"],
                     "requestBody": json_body(ref("NewThing")),
                     "responses": json_answer(ref("Thing"))},
        }},
        schemas={
            "Thing": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"}, "size": {"type": "number"}, "kind": ref("Kind"),
                "note": {"type": "string", "description": "A note."}}},
            "ThingList": {"type": "object", "properties": {
                "data": {"type": "array", "items": ref("Thing")}}},
            "NewThing": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"}, "size": {"type": "number"}, "kind": ref("Kind")}},
            "Kind": {"type": "string", "enum": ["small", "large"]},
        })


def schema(doc: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = doc["components"]["schemas"][name]
    return found


# Operations

def test_identical_documents_have_no_change() -> None:
    changes = compare(api(), api())
    assert changes.changes == () and changes.bump == "none"


def test_operation_added_is_minor_and_names_the_new_method() -> None:
    def add(doc: dict[str, Any]) -> None:
        doc["paths"]["/things/{id}"] = {"delete": {
            "operationId": "deleteThing", "tags": ["Things"], "summary": "Delete a thing",
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"204": {"description": "gone"}}}}

    changes = changed(api(), add)
    c = only(changes)
    assert (c.change, c.operation, c.pointer, c.breaking) == (
        "operation-added", "DELETE /things/{id}", "/paths/~1things~1{id}/delete", False)
    assert c.python == "client.things.delete()" and "Delete a thing" in c.detail
    assert changes.bump == "minor"


def test_operation_removed_is_breaking_and_points_into_the_old_document() -> None:
    changes = changed(api(), lambda doc: doc["paths"]["/things"].pop("get"))
    c = only(changes)
    assert (c.change, c.operation, c.pointer, c.breaking, c.python) == (
        "operation-removed", "GET /things", "/paths/~1things/get", True, "client.things.list()")
    assert changes.bump == "major"


def test_deprecated_operation_is_minor() -> None:
    changes = changed(api(), lambda doc: doc["paths"]["/things"]["get"].update(deprecated=True))
    c = only(changes)
    assert (c.change, c.breaking, c.detail) == ("deprecated", False, "operation deprecated")
    assert changes.bump == "minor"


def test_summary_and_description_changes_are_a_patch() -> None:
    def reword(doc: dict[str, Any]) -> None:
        doc["paths"]["/things"]["get"]["summary"] = "List the things"
        schema(doc, "Thing")["properties"]["note"]["description"] = "A longer note."

    changes = changed(api(), reword)
    assert kinds(changes) == ["description-changed", "description-changed"]
    assert {c.pointer for c in changes.changes} == {
        "/paths/~1things/get", "/components/schemas/Thing/properties/note"}
    assert not changes.breaking and changes.bump == "patch"


# Parameters

def test_optional_parameter_added_is_not_breaking_a_required_one_is() -> None:
    def add(required: bool) -> Any:
        return lambda doc: doc["paths"]["/things"]["get"]["parameters"].append(
            {"name": "page-size", "in": "query", "required": required,
             "schema": {"type": "integer"}})

    optional = only(changed(api(), add(False)))
    assert (optional.change, optional.breaking) == ("parameter-added", False)
    assert optional.python == "client.things.list(page_size=...)"
    assert optional.pointer == "/paths/~1things/get/parameters/1"
    assert only(changed(api(), add(True))).breaking


def test_parameter_removed_is_breaking() -> None:
    c = only(changed(api(), lambda doc: doc["paths"]["/things"]["get"]["parameters"].clear()))
    assert (c.change, c.breaking, c.pointer, c.python) == (
        "parameter-removed", True, "/paths/~1things/get/parameters/0",
        "client.things.list(limit=...)")


def test_parameter_turning_required_breaks_turning_optional_does_not() -> None:
    required = api()
    required["paths"]["/things"]["get"]["parameters"][0]["required"] = True
    c = only(compare(api(), required))
    assert (c.change, c.breaking) == ("parameter-required", True)
    back = only(compare(required, api()))
    assert (back.change, back.breaking) == ("parameter-required", False)


def test_parameter_schema_narrowed_breaks() -> None:
    c = only(changed(api(), lambda doc: doc["paths"]["/things"]["get"]["parameters"][0].update(
        schema={"type": "integer", "enum": [10, 20]})))
    assert (c.change, c.breaking, c.operation) == ("type-changed", True, "GET /things")


def test_authorization_header_is_no_parameter_of_the_client() -> None:
    changes = changed(api(), lambda doc: doc["paths"]["/things"]["get"]["parameters"].append(
        {"name": "Authorization", "in": "header", "required": True, "schema": {"type": "string"}}))
    assert changes.changes == ()


# Properties, through $refs, attributed to the component once

def test_request_property_added_optional_or_required() -> None:
    def add(required: bool) -> Any:
        def edit(doc: dict[str, Any]) -> None:
            schema(doc, "NewThing")["properties"]["colourName"] = {"type": "string"}
            if required:
                schema(doc, "NewThing")["required"].append("colourName")
        return edit

    c = only(changed(api(), add(False)))
    assert (c.change, c.operation, c.breaking) == ("request-property-added", None, False)
    assert c.pointer == "/components/schemas/NewThing/properties/colourName"
    assert c.python == "NewThing.colour_name" and c.affects == ("POST /things",)
    assert "used by POST /things" in c.detail
    assert only(changed(api(), add(True))).breaking


def test_request_property_removed_breaks() -> None:
    c = only(changed(api(), lambda doc: schema(doc, "NewThing")["properties"].pop("size")))
    assert (c.change, c.breaking, c.python) == ("request-property-removed", True, "NewThing.size")


def test_response_property_added_and_removed() -> None:
    added = only(changed(api(), lambda doc: schema(doc, "Thing")["properties"].update(
        created={"type": "integer"})))
    assert (added.change, added.breaking) == ("response-property-added", False)
    assert added.affects == ("GET /things", "POST /things")  # GET reaches it through ThingList
    removed = only(changed(api(), lambda doc: schema(doc, "Thing")["properties"].pop("note")))
    assert (removed.change, removed.breaking, removed.python) == (
        "response-property-removed", True, "Thing.note")
    assert removed.pointer == "/components/schemas/Thing/properties/note"


def test_required_added_breaks_requests_and_removed_breaks_responses() -> None:
    def require(name: str, prop: str) -> Any:
        return lambda doc: schema(doc, name)["required"].append(prop)

    def unrequire(name: str, prop: str) -> Any:
        return lambda doc: schema(doc, name)["required"].remove(prop)

    cases = [(require("NewThing", "size"), "property-required-added", True),
             (require("Thing", "note"), "property-required-added", False),
             (unrequire("Thing", "id"), "property-required-removed", True),
             (unrequire("NewThing", "name"), "property-required-removed", False)]
    for edit, kind, breaking in cases:
        c = only(changed(api(), edit))
        assert (c.change, c.breaking) == (kind, breaking), c


def test_nullable_in_each_form_breaks_responses_only() -> None:
    forms = [{"type": ["number", "null"]}, {"oneOf": [{"type": "number"}, {"type": "null"}]},
             {"type": "number", "nullable": True}]
    for form in forms:
        response = only(changed(api(), lambda doc, f=form: schema(doc, "Thing")["properties"]
                                .update(size=f)))
        assert (response.change, response.breaking) == ("property-nullable-changed", True)
        assert response.python == "Thing.size" and response.detail.startswith("may now be null")
        request = only(changed(api(), lambda doc, f=form: schema(doc, "NewThing")["properties"]
                               .update(size=f)))
        assert (request.change, request.breaking) == ("property-nullable-changed", False)


def test_nullable_wrapper_around_a_ref_is_a_nullable_change_not_a_type_change() -> None:
    c = only(changed(api(), lambda doc: schema(doc, "Thing")["properties"].update(
        kind={"anyOf": [ref("Kind"), {"type": "null"}]})))
    assert (c.change, c.breaking) == ("property-nullable-changed", True)
    assert (c.pointer, c.python) == ("/components/schemas/Thing/properties/kind", "Thing.kind")


def test_type_narrowed_widened_or_changed() -> None:
    def size(name: str, new_type: str) -> Any:
        return lambda doc: schema(doc, name)["properties"]["size"].update(type=new_type)

    cases = [(size("NewThing", "integer"), True, "narrowed"),   # callers may send 1.5
             (size("Thing", "integer"), False, "narrowed"),     # an int is a float to readers
             (size("Thing", "string"), True, "changed"),
             (size("NewThing", "string"), True, "changed")]
    for edit, breaking, how in cases:
        c = only(changed(api(), edit))
        assert (c.change, c.breaking) == ("type-changed", breaking) and how in c.detail, c
    widened = compare(*reversed([api(), _with(api(), size("Thing", "integer"))]))
    assert only(widened).breaking  # a response field that may now be a float


def _with(doc: dict[str, Any], edit: Any) -> dict[str, Any]:
    edit(doc)
    return doc


# Enums and schemas

def test_enum_value_added_and_removed() -> None:
    added = only(changed(api(), lambda doc: schema(doc, "Kind")["enum"].append("medium")))
    assert (added.change, added.value, added.breaking, added.python, added.pointer) == (
        "enum-value-added", "medium", False, "Kind", "/components/schemas/Kind")
    assert added.operation is None and added.affects == ("GET /things", "POST /things")
    removed = only(changed(api(), lambda doc: schema(doc, "Kind")["enum"].remove("large")))
    assert (removed.change, removed.value, removed.breaking) == ("enum-value-removed", "large", True)


def test_enum_values_compare_by_json_class() -> None:
    old = document(schemas={"Flag": {"enum": [1, "a"]}})
    new = document(schemas={"Flag": {"enum": [True, "a"]}})
    changes = compare(old, new).changes
    assert sorted((c.change, c.value) for c in changes if c.change.startswith("enum")) == [
        ("enum-value-added", True), ("enum-value-removed", 1)]
    assert only(compare(old, new), "type-changed").detail == \
        "type changed: integer | string -> boolean | string"


def test_schema_added_and_removed() -> None:
    changes = changed(api(), lambda doc: doc["components"]["schemas"].update(
        Extra={"type": "object"}))
    c = only(changes)
    assert (c.change, c.breaking, c.python, c.pointer) == (
        "schema-added", False, "Extra", "/components/schemas/Extra")
    with_extra = _with(api(), lambda doc: doc["components"]["schemas"].update(
        Extra={"type": "object"}))
    gone = only(compare(with_extra, api()))
    assert (gone.change, gone.breaking, gone.python) == ("schema-removed", True, "Extra")


def test_union_branch_added_widens_removed_narrows_requests() -> None:
    def shapes(*names: str) -> dict[str, Any]:
        doc = api()
        for name in ("Circle", "Square", "Triangle"):
            doc["components"]["schemas"][name] = {"type": "object", "properties": {
                "side": {"type": "number"}}}
        schema(doc, "NewThing")["properties"]["shape"] = {"oneOf": [ref(n) for n in names]}
        return doc

    gained = only(compare(shapes("Circle", "Square"), shapes("Circle", "Square", "Triangle")))
    assert (gained.change, gained.breaking) == ("type-changed", False)
    assert "`Triangle`" in gained.detail
    lost = only(compare(shapes("Circle", "Square"), shapes("Circle")))
    assert (lost.change, lost.breaking) == ("type-changed", True)


# $refs: followed structurally, with cycles

def test_a_ref_pointing_elsewhere_is_one_type_change_breaking_by_structure() -> None:
    def retarget(new_schema: dict[str, Any]) -> Any:
        def edit(doc: dict[str, Any]) -> None:
            doc["components"]["schemas"]["Thing2"] = new_schema
            schema(doc, "ThingList")["properties"]["data"]["items"] = ref("Thing2")
        return edit

    same = changed(api(), retarget(schema(api(), "Thing")))
    c = only(same, "type-changed")
    assert not c.breaking and "`Thing`" in c.detail and "`Thing2`" in c.detail
    assert c.python == "ThingList.data[]"
    fewer = {**schema(api(), "Thing"), "properties": {"id": {"type": "string"}}}
    assert only(changed(api(), retarget(fewer)), "type-changed").breaking


def test_recursive_schemas_terminate_and_report_once() -> None:
    def tree(name_type: str) -> dict[str, Any]:
        return document(
            paths={"/tree": {"get": get(json_answer(ref("Node")), operationId="getTree")}},
            schemas={"Node": {"type": "object", "properties": {
                "name": {"type": name_type},
                "children": {"type": "array", "items": ref("Node")}}}})

    c = only(compare(tree("string"), tree("integer")))
    assert (c.change, c.pointer) == ("type-changed", "/components/schemas/Node/properties/name")

    def pair(name_type: str) -> dict[str, Any]:
        doc = tree("string")
        doc["components"]["schemas"]["Node2"] = {"type": "object", "properties": {
            "name": {"type": name_type}, "children": {"type": "array", "items": ref("Node2")}}}
        doc["paths"]["/tree"]["get"]["responses"] = json_answer(ref("Node2"))
        return doc

    retargeted = compare(tree("string"), pair("integer"))
    c = only(retargeted, "type-changed")
    assert c.operation == "GET /tree" and c.breaking  # Node2.name is no string


# Responses, media types, security

def test_response_statuses() -> None:
    def statuses(doc: dict[str, Any]) -> None:
        responses = doc["paths"]["/things"]["post"]["responses"]
        responses["201"] = responses.pop("200")
        responses["404"] = {"description": "missing"}

    changes = changed(api(), statuses)
    by_status = {(c.change, c.pointer.rsplit("/", 1)[1]): c for c in changes.changes}
    assert by_status[("response-status-removed", "200")].breaking
    assert not by_status[("response-status-added", "201")].breaking
    assert not by_status[("response-status-added", "404")].breaking
    assert set(by_status) == {("response-status-removed", "200"), ("response-status-added", "201"),
                              ("response-status-added", "404")}
    with_429 = _with(api(), lambda doc: doc["paths"]["/things"]["post"]["responses"].update(
        {"429": {"description": "slow down"}}))
    error_gone = only(compare(with_429, api()))
    assert (error_gone.change, error_gone.breaking) == ("response-status-removed", False)


def test_media_types() -> None:
    stream = only(changed(api(), lambda doc: doc["paths"]["/things"]["post"]["responses"]["200"]
                          ["content"].update({"text/event-stream": {"schema": ref("Thing")}})))
    assert (stream.change, stream.breaking, stream.python) == (
        "content-type-added", False, "client.things.create() result")
    assert stream.pointer == "/paths/~1things/post/responses/200/content/text~1event-stream"

    def form_only(doc: dict[str, Any]) -> None:
        content = doc["paths"]["/things"]["post"]["requestBody"]["content"]
        content["multipart/form-data"] = content.pop("application/json")

    changes = changed(api(), form_only)
    removed = only(changes, "content-type-removed")
    assert removed.breaking and removed.python == "client.things.create(...)"
    assert not only(changes, "content-type-added").breaking


def test_security_requirements_and_schemes() -> None:
    bearer = {"bearer": {"type": "http", "scheme": "bearer"}}

    def secured(**op_fields: Any) -> dict[str, Any]:
        doc = api()
        doc["components"]["securitySchemes"] = dict(bearer)
        doc["security"] = [{"bearer": []}]
        doc["paths"]["/things"]["get"].update(op_fields)
        return doc

    opened = only(compare(secured(), secured(security=[])))
    assert (opened.change, opened.breaking, opened.operation) == (
        "security-changed", False, "GET /things")  # a call with a key still works
    closed = only(compare(secured(security=[]), secured()))
    assert closed.breaking  # a call without a key no longer does
    header = secured()
    header["components"]["securitySchemes"]["bearer"] = {"type": "apiKey", "in": "header",
                                                          "name": "X-Key"}
    scheme = only(compare(secured(), header))
    assert (scheme.change, scheme.breaking, scheme.pointer) == (
        "security-changed", True, "/components/securitySchemes/bearer")


# Python names come from the generator's naming

def test_python_names_follow_the_generator() -> None:
    def keys(extra: dict[str, Any]) -> dict[str, Any]:
        return document(
            paths={"/keys": {"get": {
                "operationId": "listKeys", "tags": ["API Keys"],
                "parameters": [{"name": "HTTP-Referer", "in": "header",
                                "schema": {"type": "string"}}],
                "responses": json_answer(ref("API Keys_list_Response_200"))}}},
            schemas={"API Keys_list_Response_200": {"type": "object", "properties": {
                "data": {"type": "string"}, **extra}}})

    c = only(compare(keys({}), keys({"maxTokens": {"type": "integer"}})))
    # the class is named from its use: the answer of a list of keys
    assert c.python == "KeyList.max_tokens"
    removed = compare(keys({}), document())
    assert {c.python for c in removed.changes} == {"client.api_keys.list()",
                                                   "KeyList"}
    assert dict(removed.methods) == {"GET /keys": "client.api_keys.list"}


def test_schemas_sharing_sub_schemas_compare_in_linear_time() -> None:
    """A `$ref` retargeted to a parallel family of schemas, each with two properties pointing at
    the next: every pair is compared once (without that, 2**40 paths)."""
    def chain(prefix: str, last_type: str) -> dict[str, Any]:
        schemas = {f"{prefix}{i}": {"type": "object", "properties": {
            "a": ref(f"{prefix}{i + 1}"), "b": ref(f"{prefix}{i + 1}")}} for i in range(40)}
        schemas[f"{prefix}40"] = {"type": "object", "properties": {"v": {"type": last_type}}}
        return schemas

    old = document(paths={"/x": {"get": get(json_answer(ref("X0")))}}, schemas=chain("X", "string"))
    new = document(paths={"/x": {"get": get(json_answer(ref("Y0")))}},
                   schemas={**chain("X", "string"), **chain("Y", "integer")})
    c = only(compare(old, new), "type-changed")
    assert c.breaking and "/components/schemas/Y40/properties/v" in c.detail


def test_a_status_written_as_a_number_is_the_same_status() -> None:
    quoted = api()
    responses = quoted["paths"]["/things"]["post"]["responses"]
    responses[200] = responses.pop("200")
    assert compare(api(), quoted).changes == ()
