"""The learner release: a ready-to-push learner repository built from the instructor's one, with a leak audit.

The release holds the chosen katas' stubs, READMEs, kata.toml files and visible tests, the track, a learner
README, a ``pyproject.toml`` that installs what the visible tests need plus the learner CLI, and the engine's own
code (which holds no graders, solutions or mutants). The audit refuses the release if any file of ``graders/`` or
``solutions/`` (mutants included), or any long enough run of their lines, appears in it.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import mlkata
from mlkata.catalog import Catalog, Kata

WINDOW = 4  # consecutive significant lines of a secret file that count as a leak
_TRIVIAL = {"", "import numpy as np", "from __future__ import annotations", "import pytest", "import math", "pass",
            "return", "else:", "try:", "return self", '"""', "import torch", "import numpy", "]", ")", "}"}  # fmt: skip


class LeakError(RuntimeError):
    """The release contains hidden material."""


@dataclass(frozen=True)
class Leak:
    path: str
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason} ({self.source})"


def _significant(text: str) -> list[str]:
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if line in _TRIVIAL or line.startswith("#") or len(line) < 8:
            continue
        lines.append(line)
    return lines


def _windows(lines: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(lines[i : i + WINDOW]) for i in range(max(0, len(lines) - WINDOW + 1))}


def secret_files(catalog: Catalog) -> list[Path]:
    files = []
    for tree in ("graders", "solutions"):
        folder = catalog.root / tree
        if folder.is_dir():
            files += [p for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    return files


def audit(release: Path, catalog: Catalog, extra_secrets: Iterable[Path] = ()) -> list[Leak]:
    """Every place where the release shows hidden material: a secret file's name, its content, or a run of
    ``WINDOW`` of its significant lines (code the stub shares with the reference, such as signatures and
    docstrings, is allowed)."""
    allowed: set[tuple[str, ...]] = set()
    for kata in catalog:
        for public in (kata.stub, kata.visible_tests, kata.readme):
            if public.is_file():
                allowed |= _windows(_significant(public.read_text(encoding="utf-8", errors="replace")))
    secrets = {}
    for path in [*secret_files(catalog), *extra_secrets]:
        text = path.read_text(encoding="utf-8", errors="replace")
        secrets[path] = (text, _windows(_significant(text)) - allowed)
    leaks = []
    for file in sorted(p for p in release.rglob("*") if p.is_file()):
        rel = str(file.relative_to(release))
        parts = file.relative_to(release).parts
        if parts[0] in ("graders", "solutions") or "mutants" in parts:
            leaks.append(Leak(rel, rel, "a hidden folder is in the release"))
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        windows = _windows(_significant(text))
        for secret, (secret_text, secret_windows) in secrets.items():
            if text.strip() and text == secret_text:
                leaks.append(Leak(rel, str(secret), "identical to a hidden file"))
            elif windows & secret_windows:
                leaks.append(Leak(rel, str(secret), f"shares {WINDOW}+ consecutive lines with a hidden file"))
    return leaks


def _requirements(katas: Sequence[Kata]) -> list[str]:
    needs = {"numpy", "pytest", "rich"}
    for kata in katas:
        text = kata.stub.read_text() + kata.visible_tests.read_text()
        for module, package in (
            ("torch", "torch==2.13.0"),
            ("pandas", "pandas"),
            ("scipy", "scipy"),
            ("sklearn", "scikit-learn"),
        ):
            if f"import {module}" in text or f"from {module}" in text:
                needs.add(package)
    return sorted(needs)


LEARNER_PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "mlkata-learner"
version = "{version}"
description = "Your mlkata katas: fill in the stubs, run the visible tests, check your progress."
requires-python = ">=3.11"
dependencies = {dependencies}

[project.scripts]
mlkata = "mlkata.learner_cli:main"

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
mlkata = ["py.typed", "grading/grader.ini", "reports/templates/*"]

[tool.pytest.ini_options]
testpaths = ["katas"]
addopts = ["-q", "--import-mode=prepend"]
"""

LEARNER_README = """\
# {title}

Your katas, in order. Each is a folder under `katas/<topic>/<id>/` with instructions (`README.md`), a stub to
fill in (`<id>.py`), and a few visible tests (`test_<id>.py`). Hidden graders check much more when you submit.

## Set up (once)

```bash
python3 -m pip install -e .
```

## Work

```bash
mlkata status            # the track: each kata's state and visible-test points, with a progress bar
mlkata check KATA_ID     # run one kata's visible tests, readably
mlkata hint KATA_ID      # the next hint for a kata (each call shows one more)
mlkata watch [KATA_ID]   # rerun a kata's visible tests every time you save
pytest                   # every visible test
```

Edit only `katas/<topic>/<id>/<id>.py`. Keep every function and class name of the stub; use the random
generator you are given, never global random state; do not use the APIs a kata's README forbids.

## The katas

{table}
"""


def build_release(
    catalog: Catalog, out: Path, kata_ids: Sequence[str] | None = None, *, title: str = "mlkata katas"
) -> list[Kata]:
    """Write the learner repository for ``kata_ids`` (default: the whole track) into ``out`` and audit it.

    Raises
    ------
    LeakError
        If the audit finds hidden material in what was written.
    FileExistsError
        If ``out`` exists and is not empty.
    """
    katas = [catalog.get(k) for k in kata_ids] if kata_ids else list(catalog)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    out.mkdir(parents=True, exist_ok=True)
    for kata in katas:
        target = out / "katas" / kata.rel
        target.mkdir(parents=True)
        for source in (kata.kata_dir / "kata.toml", kata.readme, kata.stub, kata.visible_tests):
            shutil.copy2(source, target / source.name)
    track = "\n".join(f'    "{k.id}",' for k in katas)
    (out / "katas" / "track.toml").write_text(f'title = "{title}"\nkatas = [\n{track}\n]\n', encoding="utf-8")
    engine = Path(mlkata.__file__).resolve().parent
    shutil.copytree(engine, out / "src" / "mlkata", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dependencies = "[" + ", ".join(f'"{d}"' for d in _requirements(katas)) + "]"
    (out / "pyproject.toml").write_text(LEARNER_PYPROJECT.format(version=mlkata.__version__, dependencies=dependencies),
                                        encoding="utf-8")  # fmt: skip
    table = "\n".join(f"{i}. `{k.id}`: {k.title} ({k.points:g} points)" for i, k in enumerate(katas, 1))
    (out / "README.md").write_text(LEARNER_README.format(title=title, table=table), encoding="utf-8")
    (out / ".gitignore").write_text("__pycache__/\n*.egg-info/\n.pytest_cache/\n.mlkata/\n", encoding="utf-8")
    tomllib.loads((out / "pyproject.toml").read_text())  # the file we wrote must parse
    leaks = audit(out, catalog)
    if leaks:
        raise LeakError("the release leaks hidden material:\n" + "\n".join(f"  {leak}" for leak in leaks))
    return katas
