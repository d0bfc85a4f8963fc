"""What changed between two OpenAPI documents, in terms of the generated client.

`compare(old, new)` gives a `ChangeSet`: each `Change` has a kind, the operation, a JSON pointer,
whether it breaks code written against the old client, a one-line detail and the Python name it
concerns; `ChangeSet.bump` is the semantic version step. One module per family of rules:
operations, parameters, bodies (request bodies and responses), schemas, components, security.
"""

from openrouter_codegen.changes.change import Change, ChangeSet
from openrouter_codegen.changes.compare import compare

__all__ = ["Change", "ChangeSet", "compare"]
