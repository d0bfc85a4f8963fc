"""Minimal environments for the first-response benchmark, next to the benchmark venv.

Import time depends on what else is installed: ``import httpx`` also tries its command-line module,
which imports ``click``, ``pygments`` and ``rich`` when they are present (black, the anchors and
matplotlib bring them into the benchmark venv), adding tens of milliseconds to every variant. A user
of the client has only its runtime dependencies, and a user of the official SDK only that SDK's, so
the first-response benchmark runs in small venvs made here:

- ``import-client``: httpx, httpx-sse and msgspec (with ``generated/`` on the path through a ``.pth`` file),
  for ``import httpx`` (baseline) and ``import openrouter_client``;
- ``import-sdk``: the ``openrouter`` SDK and its dependencies, for ``import openrouter``;
- ``import-openai``: the ``openai`` SDK and its dependencies (most OpenRouter users call it with
  ``base_url``).

Both install exactly the versions the benchmark venv has (its ``pip freeze`` is the constraints
file), so httpx and friends are the same bytes in all three.

``python -m benchmarks.envs DIR`` makes both under DIR (benchmarks/.work from ``make bench``).
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENVS: dict[str, tuple[str, ...]] = {
    "import-client": ("httpx", "httpx-sse", "msgspec"),
    "import-sdk": ("openrouter",),
    "import-openai": ("openai",),
}


def env_python(base: Path, name: str) -> Path:
    """The interpreter of environment ``name`` under ``base``."""
    return base / name / "bin" / "python"


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def make_env(base: Path, name: str, constraints: Path) -> Path:
    """Create (or refresh) one environment; return its interpreter."""
    packages = []
    for package in ENVS[name]:
        try:
            packages.append(f"{package}=={version(package)}")
        except PackageNotFoundError as exc:
            raise SystemExit(f"{package} is not installed here; run `make bench`") from exc
    target = base / name
    base_python = getattr(sys, "_base_executable", sys.executable)
    _run([base_python, "-m", "venv", "--clear", str(target)])
    python = env_python(base, name)
    _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          "-c", str(constraints), *packages])
    if name == "import-client":
        purelib = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True).stdout.strip()
        Path(purelib, "openrouter-generated.pth").write_text(f"{ROOT / 'generated'}\n")
    return python


def main(argv: list[str] | None = None) -> int:
    """Make every environment under the directory given on the command line."""
    args = argv if argv is not None else sys.argv[1:]
    base = Path(args[0]).resolve()
    base.mkdir(parents=True, exist_ok=True)
    freeze = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
                            capture_output=True, text=True, check=True).stdout
    constraints = base / "constraints.txt"
    constraints.write_text(freeze)
    for name in ENVS:
        print(f"benchmarks.envs: {name} -> {make_env(base, name, constraints)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
