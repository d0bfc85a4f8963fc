"""Model stage: the OpenAPI document -> an intermediate representation (IR) ready to render."""
