"""The cycle collector paused around stages that make many objects and no reference cycles.

Reading a large document (YAML nodes, then its JSON data), locating pointers in it and rendering the
package (ASTs of every module, template contexts, text) each make hundreds of thousands of container
objects that live until the stage ends. Refcounting frees them all the same, but while they live the
cycle collector's passes walk them again and again: on the whole published API (1.3 MB of YAML, a
package of ~1,700 modules) that was 40-60% of those stages (load 1.0 -> 0.4 s, locate 0.7 -> 0.2 s,
render 3.0 -> 2.0 s) for a few thousand cyclic objects, collected at the next pass after the stage.
Stages that do leave cycles behind (datamodel-code-generator's parse: ~360,000 objects; black's trees)
keep the collector.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block without cyclic garbage collection; the collector is restored as it was (a
    caller that had paused it keeps it paused)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
