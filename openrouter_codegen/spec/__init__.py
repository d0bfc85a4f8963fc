"""The spec half: docs pages and documents in, one clean OpenAPI document out (extract, localize,
merge, normalize, overlay, emit; the merge report; the shape check; YAML reading)."""
