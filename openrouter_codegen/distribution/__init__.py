"""The generated client as a distribution of its own: its version, changelog and metadata files.

`release` decides the version from the committed one and the API change report (breaking ->
major, additive -> minor, prose -> patch, nothing -> unchanged); `changelog` adds one entry per
new version; `files` renders `pyproject.toml` and `README.md` for `generated/`. All pure: the CLI
reads the committed files and writes the results.
"""
