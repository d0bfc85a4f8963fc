"""openrouter-codegen: OpenAPI docs pages -> clean spec -> typed Python client."""

# The generator's own version (`--version`; pyproject.toml reads it from here). The client it
# generates has its own, in generated/pyproject.toml.
__version__ = "0.1.0"
