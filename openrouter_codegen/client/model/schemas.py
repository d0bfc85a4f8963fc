"""Schemas -> IR models, with datamodel-code-generator doing the schema resolution.

datamodel-code-generator (dcg) parses the components, resolves references, names inline schemas, escapes
keywords and builds unions; we read its parsed models (not its rendered code) and turn them into our IR, which
our own templates render with straight-line decode/encode code. That keeps dcg's hard-won schema handling while
the runtime shape of the classes stays ours.
"""

from __future__ import annotations

import ast
import functools
import json
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from openrouter_codegen.client.model.class_names import TAG_KEYS, class_names
from openrouter_codegen.client.model.ir import (
    AliasModel,
    Discriminator,
    EnumModel,
    Field,
    ListOf,
    Lit,
    MapOf,
    Model,
    Named,
    Nullable,
    ObjectModel,
    Prim,
    TypeRef,
    UnionModel,
    UnionOf,
    union_of,
)
from openrouter_codegen.client.model.tidy import tidy_models
from openrouter_codegen.common.diagnostics import (
    Diagnostic,
    GeneratorError,
    Location,
    Severity,
    error,
)
from openrouter_codegen.common.guard import run_deep
from openrouter_codegen.common.schema_tools import json_text

_PRIMS: dict[str, Prim] = {
    "str": Prim("str"), "int": Prim("int"), "float": Prim("float"), "bool": Prim("bool"),
    "Any": Prim("any"), "None": Prim("none"), "bytes": Prim("str"),
}
# Formats dcg turns into rich Python types; on the wire they are strings, and we keep them as sent so that
# nothing is lost or reformatted (documented in the README).
_STRING_LIKE = {"datetime", "AwareDatetime", "NaiveDatetime", "date", "time", "timedelta", "UUID",
                "AnyUrl", "Decimal", "EmailStr", "IPv4Address", "IPv6Address", "Path", "Base64Str"}


# The JSON class of an enum item that cannot be a member (see _Converter.model).
_NON_SCALAR: dict[type, Literal["null", "object", "array"]] = {
    type(None): "null", dict: "object", list: "array"}


@dataclass(frozen=True)
class ParsedSchemas:
    """Models in dependency-free, name-sorted order, and the Python name of each component pointer."""

    models: tuple[Model, ...]
    names: dict[str, str]  # "#/components/schemas/X" -> Python name
    warnings: tuple[Diagnostic, ...]


def parse_schemas(document: dict[str, Any]) -> ParsedSchemas:
    """Run dcg's OpenAPI parser on `document` and convert its models into the IR."""
    # Imported lazily: dcg is heavy and only this stage needs it.
    from datamodel_code_generator import PythonVersion
    from datamodel_code_generator.enums import DataModelType
    from datamodel_code_generator.model import get_data_model_types
    from datamodel_code_generator.parser.openapi import OpenAPIParser

    kinds = get_data_model_types(DataModelType.DataclassesDataclass,
                                 target_python_version=PythonVersion.PY_311)
    with warnings.catch_warnings(), _dcg_errors():
        warnings.simplefilter("ignore")
        parser = OpenAPIParser(
            json.dumps(document),
            data_model_type=kinds.data_model,
            data_model_root_type=kinds.root_model,
            data_model_field_type=kinds.field_model,
            data_type_manager_type=kinds.data_type_manager,
            dump_resolve_reference_action=kinds.dump_resolve_reference_action,
            snake_case_field=True,
            use_union_operator=True,
            strict_nullable=True,
            parent_scoped_naming=True,
            capitalise_enum_members=True,
            use_standard_collections=True,
            use_schema_description=True,
            use_field_description=True,
            keep_model_order=True,
        )
        # Only the parsed models are used; formatting dcg's own rendering of them is wasted time.
        parser.parse(format_=False)
    results = list(parser.results)
    by_path = {m.reference.path: m for m in results}
    # dcg's class names are the document's (docs-tool names included) and may repeat
    # (`foo-bar`, `foo_bar`); ours are readable and unique per pointer.
    names = class_names(document, {m.reference.path: m.class_name for m in results},
                        {m.reference.path: tag for m in results if (tag := _tag(m, by_path))})
    converter = _Converter(names, by_path)
    converted = [converter.model(m) for m in results]
    pointers = {names[m.reference.path]: m.reference.path.lstrip("#") for m in results}
    models, tidy_warnings = tidy_models(converted, pointers)
    models.sort(key=lambda m: m.name)
    return ParsedSchemas(tuple(models), names, tuple(converter.warnings + tidy_warnings))


def parse_schemas_deep(document: dict[str, Any], ref_depth: int) -> ParsedSchemas:
    """`parse_schemas` with recursion room for `$ref` chains `ref_depth` long (see `guard.run_deep`)."""
    return run_deep(lambda: parse_schemas(document), ref_depth)


def parse_here(document: dict[str, Any], ref_depth: int) -> Callable[[], ParsedSchemas]:
    """The schema stage in this process, run when its models are asked for (the form
    `client_build.SchemaParser` takes)."""
    return functools.partial(parse_schemas_deep, document, ref_depth)


_POINTER = re.compile(r"#(/[^\s'\")]+)")


@contextmanager
def _dcg_errors() -> Iterator[None]:
    """dcg's errors (inheritance cycles, unsupported constructs, its own failures on odd input) as
    located diagnostics instead of tracebacks."""
    try:
        yield
    except (RecursionError, GeneratorError):
        raise  # the caller knows which chain is deep; ours are located already
    except Exception as exc:
        text = str(exc).strip() or type(exc).__name__
        found = _POINTER.search(text)
        raise error(f"datamodel-code-generator cannot resolve the schemas: {text}",
                    pointer=found.group(1) if found else "/components/schemas") from exc


class _Converter:
    def __init__(self, names: dict[str, str], by_path: dict[str, Any]) -> None:
        self.names = names
        self.by_path = by_path
        self.warnings: list[Diagnostic] = []
        self.field_cache: dict[str, tuple[Field, ...]] = {}

    def warn(self, pointer: str, message: str, action: str) -> None:
        self.warnings.append(
            Diagnostic(Severity.WARNING, Location(pointer=pointer.lstrip("#")), message, action))

    def model(self, m: Any) -> Model:
        kind = type(m).__name__
        name = self.names[m.reference.path]
        description = m.description or _title(m, name)
        # dcg has one class per enum flavour (Enum, IntEnum, ...), all subclasses of its Enum.
        if any(base.__name__ == "Enum" for base in type(m).__mro__):
            values = [(f.name, _enum_value(f.default)) for f in m.fields]
            members: list[tuple[str, str | int | float]] = []
            for n, v in values:
                # An item equal in Python to an earlier one (`true` after `1`, `1.0` after `1`)
                # would be an alias of its member, re-encoded in the member's JSON class: it stays
                # no member, so its values are kept as sent.
                if isinstance(v, (str, int, float)) and all(v != kept for _, kept in members):
                    members.append((n, v))
            # A null, object or array item says the value may be one; it is no member (dcg would
            # name it `NoneType_None` or `LIST__1_` and we would make it the text "None", "[1]").
            also = tuple(dict.fromkeys(_NON_SCALAR[type(v)] for _, v in values
                                       if type(v) in _NON_SCALAR))
            return EnumModel(name, description, tuple(members), also)
        if kind in ("TypeAlias", "TypeAliasType", "TypeStatement", "RootModel", "DataClassRootType"):
            field = m.fields[0]
            target = self.type(field.data_type, m.reference.path)
            disc = (field.extras or {}).get("discriminator") if hasattr(field, "extras") else None
            if isinstance(target, UnionOf) or (isinstance(target, Nullable)
                                               and isinstance(target.inner, UnionOf)):
                options = target.options if isinstance(target, UnionOf) else (
                    *target.inner.options, Prim("none"))  # type: ignore[union-attr]
                return UnionModel(name, description, options,
                                  self.discriminator(disc, m.reference.path))
            return AliasModel(name, description, target)
        return ObjectModel(name, description, self.fields(m), self.additional(m))

    def fields(self, m: Any) -> tuple[Field, ...]:
        """Own and inherited (allOf) fields, by JSON name; memoised, as bases are shared."""
        cached = self.field_cache.get(m.reference.path)
        if cached is None:
            cached = self.field_cache[m.reference.path] = self._fields(m)
        return cached

    def _fields(self, m: Any) -> tuple[Field, ...]:
        collected: dict[str, Field] = {}
        for base in getattr(m, "base_classes", []) or []:
            ref = getattr(base, "reference", None)
            if ref is not None and ref.path in self.by_path:
                for f in self.fields(self.by_path[ref.path]):
                    collected[f.json_name] = f
        for f in m.fields:
            json_name = f.name if f.original_name is None else f.original_name
            ftype = self.type(f.data_type, f"{m.reference.path}/properties/{json_name}")
            if f.nullable and not isinstance(ftype, Nullable):
                ftype = Nullable(ftype)
            collected[json_name] = Field(
                py_name=f.name, json_name=json_name, type=ftype, required=bool(f.required),
                description=(f.extras or {}).get("description") or getattr(f, "description", None),
                read_only=bool(getattr(f, "read_only", False)
                               or (f.extras or {}).get("readOnly")),
                write_only=bool(getattr(f, "write_only", False)
                                or (f.extras or {}).get("writeOnly")),
                deprecated=bool((f.extras or {}).get("deprecated")),
                default=json_text(f.default) if f.has_default else None,
            )
        return tuple(collected.values())

    def additional(self, m: Any) -> TypeRef | None:
        extra = getattr(m, "extra_template_data", None) or {}
        value = extra.get("additionalPropertiesType") if isinstance(extra, dict) else None
        return Prim("any") if value else None

    def discriminator(self, disc: Any, pointer: str) -> Discriminator | None:
        if not isinstance(disc, dict) or "propertyName" not in disc:
            return None
        mapping: list[tuple[str, str]] = []
        targets: list[str] = []
        for value, ref in (disc.get("mapping") or {}).items():
            target = ref if str(ref).startswith("#") else f"#/components/schemas/{ref}"
            if target in self.names:
                mapping.append((str(value), self.names[target]))
                targets.append(target)
            else:
                self.warn(pointer, f"discriminator mapping {value!r} -> {ref!r} names no schema",
                          "variant decoded by shape")
        if not mapping:
            return None
        return Discriminator(self.tag_name(str(disc["propertyName"]), targets), tuple(mapping))

    def tag_name(self, name: str, targets: list[str]) -> str:
        """The JSON name of a discriminator's property. dcg hands it over renamed as the
        variants' Python field (`_shape` as `field_shape`): decoding must read the key the
        server sends."""
        for target in targets:
            fields = list(_dcg_fields(self.by_path.get(target), self.by_path))
            if any(_json_name(f) == name for f in fields):
                return name
            renamed = next((_json_name(f) for f in fields if f.name == name), None)
            if renamed is not None:
                return renamed
        return name

    def type(self, dt: Any, pointer: str) -> TypeRef:
        result = self._type(dt, pointer)
        if dt.is_optional and not isinstance(result, Nullable):
            result = Nullable(result)
        return result

    def _type(self, dt: Any, pointer: str) -> TypeRef:
        if dt.reference is not None:
            name = self.names.get(dt.reference.path)
            if name is None:
                self.warn(pointer, f"reference {dt.reference.path} has no model", "typed as Any")
                return Prim("any")
            return Named(name)
        if dt.is_list or dt.is_set or dt.is_sequence or dt.is_tuple:
            items = [self.type(c, pointer + "/items") for c in dt.data_types]
            item = items[0] if len(items) == 1 else UnionOf(tuple(items)) if items else Prim("any")
            return ListOf(item)
        if dt.is_dict or dt.is_mapping:
            values = [self.type(c, pointer + "/additionalProperties") for c in dt.data_types]
            return MapOf(values[0] if len(values) == 1 else UnionOf(tuple(values))
                         if values else Prim("any"))
        if dt.literals:
            return Lit(tuple(dt.literals))
        if dt.data_types:
            return union_of([self.type(c, pointer) for c in dt.data_types])
        if dt.type in _PRIMS:
            return _PRIMS[dt.type]
        if dt.type in _STRING_LIKE:
            return Prim("str")
        if dt.type:
            self.warn(pointer, f"type {dt.type!r} is not a JSON type we know", "kept as sent (Any)")
        return Prim("any")


def _json_name(field: Any) -> str:
    """The JSON name of one of dcg's fields (its `name` is the Python one)."""
    return str(field.name if field.original_name is None else field.original_name)


def _dcg_fields(m: Any, by_path: dict[str, Any], depth: int = 0) -> Iterator[Any]:
    """dcg's fields of a model and of its `allOf` bases (cut off where bases nest too deep)."""
    if m is None or depth > 32:
        return
    yield from getattr(m, "fields", None) or []
    for base in getattr(m, "base_classes", None) or []:
        ref = getattr(base, "reference", None)
        target = by_path.get(ref.path) if ref is not None else None
        if target is not m:
            yield from _dcg_fields(target, by_path, depth + 1)


def _tag(m: Any, by_path: dict[str, Any]) -> str | None:
    """The constant a model's `type` (or `role`, ...) field is pinned to, if any: what names
    the branches dcg copies out of a union (`type: langfuse`, or a one-member enum)."""
    for f in getattr(m, "fields", None) or []:
        json_name = f.name if f.original_name is None else f.original_name
        if json_name not in TAG_KEYS:
            continue
        values = list(getattr(f.data_type, "literals", None) or [])
        ref = getattr(f.data_type, "reference", None)
        target = by_path.get(ref.path) if ref is not None else None
        if not values and target is not None and any(
                base.__name__ == "Enum" for base in type(target).__mro__):
            values = [_enum_value(e.default) for e in target.fields]
        if len(values) == 1 and isinstance(values[0], str):
            return values[0]
    # dcg's copy of a union branch under an allOf has no fields of its own, only bases
    for base in getattr(m, "base_classes", None) or []:
        ref = getattr(base, "reference", None)
        target = by_path.get(ref.path) if ref is not None else None
        if target is not None and target is not m and (tag := _tag(target, by_path)):
            return tag
    return None


def _enum_value(default: Any) -> Any:
    """The JSON value of an enum item as dcg hands it over (a value, or its Python literal):
    strings, numbers and booleans as themselves, `None` for a null item, dicts and lists for
    object and array items."""
    if isinstance(default, bool):
        return default
    if isinstance(default, float):
        return float(default)  # dcg wraps infinities in a float subclass of its own
    if isinstance(default, int):
        return int(default)
    text = str(default)
    # dcg hands strings over as Python literals ("'red'") and other items as their Python text
    # ("None", "True", "1.5"): decode those; anything else is kept as the text it is.
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text
    return value if value is None or isinstance(value, (str, int, float, dict, list)) else text


def _title(m: Any, name: str) -> str | None:
    """A schema's `title`, where it says more than the class name (it is its docstring when the
    schema has no description)."""
    title = str((getattr(m, "extra_template_data", None) or {}).get("title") or "").strip()
    folded = title.replace(" ", "").replace("_", "").lower()
    return title if title and folded != name.lower() else None
