"""The client half: the OpenAPI document in, the Python package out (model: schemas and operations
as our IR; render: Jinja templates and formatting; client_build ties them together)."""
