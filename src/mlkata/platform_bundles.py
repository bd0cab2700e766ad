"""What the CI platforms need to grade a learner's repository with the hidden graders.

- ``grader_bundle``: the engine, the pinned environment, and the chosen katas' kata.toml files and hidden graders
  (never solutions or mutants): everything ``mlkata --root BUNDLE grade --learner DIR`` needs.
- Classroom 50: an assignment folder (``autograders/ASSIGNMENT/autograder.py`` beside the bundle) and the
  assignment's ``runtime`` block.
- The legacy GitHub Classroom reporter: a workflow with one step per kata (``if: always()``), the reporter step,
  and a job summary.
- Gradescope: an autograder zip with ``setup.sh`` and ``run_autograder``.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, PackageLoader

import mlkata
from mlkata.catalog import Catalog, Kata

_env = Environment(
    loader=PackageLoader("mlkata", "templates"),
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def grader_bundle(catalog: Catalog, out: Path, katas: Sequence[Kata]) -> Path:
    """Write the grading bundle for ``katas`` into ``out`` (a folder that must not exist)."""
    out.mkdir(parents=True)
    engine = Path(mlkata.__file__).resolve().parent
    shutil.copytree(engine, out / "src" / "mlkata", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        if (catalog.root / name).is_file():
            shutil.copy(catalog.root / name, out / name)
    lock = catalog.root / "constraints" / "grading.txt"
    if lock.is_file():
        (out / "constraints").mkdir()
        shutil.copy(lock, out / "constraints" / "grading.txt")
    for kata in katas:
        (out / "katas" / kata.rel).mkdir(parents=True)
        shutil.copy(kata.kata_dir / "kata.toml", out / "katas" / kata.rel / "kata.toml")
        (out / "graders" / kata.rel).mkdir(parents=True)
        shutil.copy(kata.grader, out / "graders" / kata.rel / kata.grader.name)
    track = "\n".join(f'    "{k.id}",' for k in katas)
    (out / "katas" / "track.toml").write_text(f"katas = [\n{track}\n]\n", encoding="utf-8")
    return out


def classroom50_assignment(catalog: Catalog, out: Path, katas: Sequence[Kata], assignment: str) -> Path:
    """``out/autograders/ASSIGNMENT/`` (autograder.py and the bundle) and ``out/ASSIGNMENT.runtime.json``."""
    folder = out / "autograders" / assignment
    grader_bundle(catalog, folder / "mlkata-grader", katas)
    (folder / "autograder.py").write_text(_env.get_template("classroom50_autograder.py.j2").render(
        torch_index=TORCH_CPU_INDEX, katas=[k.id for k in katas]), encoding="utf-8")  # fmt: skip
    runtime = {"runs-on": "ubuntu-latest", "python": "3.11", "apt": ["bubblewrap"]}
    (out / f"{assignment}.runtime.json").write_text(json.dumps(runtime, indent=2) + "\n", encoding="utf-8")
    return folder


def legacy_workflow(katas: Sequence[Kata], graders_repository: str) -> str:
    """The GitHub Actions workflow for the legacy Classroom reporter."""
    steps = [
        {"kata": k.id, "id": k.id.replace("_", "-"), "env": k.id.upper().replace("-", "_")} for k in katas
    ]
    return _env.get_template("classroom.yml.j2").render(
        steps=steps, graders_repository=graders_repository, torch_index=TORCH_CPU_INDEX
    )


def gradescope_zip(catalog: Catalog, out: Path, katas: Sequence[Kata]) -> Path:
    """An autograder zip for Gradescope: setup.sh, run_autograder, and the grading bundle."""
    staging = out.with_suffix(".staging")
    if staging.exists():
        shutil.rmtree(staging)
    grader_bundle(catalog, staging / "mlkata-grader", katas)
    for name in ("setup.sh", "run_autograder"):
        text = _env.get_template(f"gradescope_{name}.j2").render(torch_index=TORCH_CPU_INDEX)
        (staging / name).write_text(text, encoding="utf-8")
        (staging / name).chmod(0o755)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo.from_file(path, path.relative_to(staging))
                info.external_attr = (0o755 if path.name in ("setup.sh", "run_autograder") else 0o644) << 16
                archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    shutil.rmtree(staging)
    return out
