"""The grading environment's versions, recorded with every result."""

from __future__ import annotations

import hashlib
import platform
from functools import cache
from importlib import metadata
from pathlib import Path

import mlkata

PINNED = ("numpy", "pandas", "scikit-learn", "scipy", "torch", "pytest", "hypothesis")
LOCK_FILE = Path("constraints") / "grading.txt"


def lock_hash(root: Path) -> str:
    """SHA-256 of the constraints file that pins the grading environment (empty when there is none)."""
    path = root / LOCK_FILE
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


@cache
def versions(root: Path) -> dict[str, str]:
    found = {
        "python": platform.python_version(),
        "mlkata": mlkata.__version__,
        "lock_sha256": lock_hash(root)[:16],
    }
    for name in PINNED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found
