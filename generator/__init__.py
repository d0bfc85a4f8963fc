"""openrouter-codegen: OpenAPI docs pages -> clean spec -> typed Python client."""
