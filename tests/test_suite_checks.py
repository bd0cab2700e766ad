"""Suite-wide checks, for every kata of the catalog.

- the reference scores full marks, the untouched stub scores 0, every mutant loses points;
- the grader's tests carry the points that kata.toml gives each task;
- the stub and the reference agree in signatures and docstrings;
- katas/, solutions/ and graders/ mirror each other, and the kata is in the track;
- the visible tests pass on the reference and fail on the stub, with plain pytest as a learner runs them;
- each forbidden API of kata.toml is one the static scan recognises.

Graders run here with the in-process backend (references and mutants are trusted code); test_cli.py grades every
reference again through the real CLI and the sandboxed worker.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from mlkata.catalog import Kata, load_catalog
from mlkata.grading.host import GradingPool
from mlkata.grading.job import Job
from mlkata.results import KataResult
from mlkata.scan import scan_forbidden

ROOT = Path(__file__).resolve().parents[1]
CATALOG = load_catalog(ROOT)
KATA_IDS = list(CATALOG.ids)
MUTANTS = [(kata.id, mutant) for kata in CATALOG for mutant in kata.mutants]


@pytest.fixture(scope="module")
def graded() -> dict[tuple[str, str], KataResult]:
    """Every reference, stub and mutant, graded once in one warm pool."""
    jobs = []
    for kata in CATALOG:
        jobs.append(Job(f"{kata.id}\0reference", kata.id, str(kata.solution)))
        jobs.append(Job(f"{kata.id}\0stub", kata.id, str(kata.stub)))
        # A mutant only has to lose points: stop its grading at the first failed test.
        jobs.extend(Job(f"{kata.id}\0{m.stem}", kata.id, str(m), fail_fast=True) for m in kata.mutants)
    with GradingPool(ROOT, backend="inprocess") as pool:
        return {tuple(job.job_id.split("\0")): result for job, result in pool.grade(jobs)}  # type: ignore[misc]


def _failures(result: KataResult) -> str:
    lines = [f"{result.status} {result.score:g}/{result.max_score:g} {result.message}"]
    lines += [f"  {t.name}: {t.message}" for t in result.tests if t.status != "passed"]
    return "\n".join(lines)


@pytest.mark.parametrize("kata_id", KATA_IDS)
def test_reference_scores_full_marks(graded, kata_id):
    result = graded[(kata_id, "reference")]
    assert result.status == "passed", _failures(result)
    assert result.score == result.max_score == CATALOG.get(kata_id).points


@pytest.mark.parametrize("kata_id", KATA_IDS)
def test_untouched_stub_scores_zero(graded, kata_id):
    result = graded[(kata_id, "stub")]
    assert result.score == 0, _failures(result)
    assert result.status == "failed"


@pytest.mark.parametrize(("kata_id", "mutant"), MUTANTS, ids=[f"{k}-{m.stem}" for k, m in MUTANTS])
def test_every_mutant_loses_points(graded, kata_id, mutant):
    result = graded[(kata_id, mutant.stem)]
    assert result.score < result.max_score, f"mutant {mutant.name} scored full marks"


@pytest.mark.parametrize("kata_id", KATA_IDS)
def test_every_kata_has_mutants(kata_id):
    assert len(CATALOG.get(kata_id).mutants) >= 3


@pytest.mark.parametrize("kata_id", KATA_IDS)
def test_mutants_say_what_is_wrong(kata_id):
    for mutant in CATALOG.get(kata_id).mutants:
        docstring = ast.get_docstring(ast.parse(mutant.read_text())) or ""
        assert docstring.startswith(f"MUTANT {mutant.stem}"), (
            f"{mutant}: docstring must start 'MUTANT {mutant.stem}'"
        )


@pytest.mark.parametrize("kata_id", KATA_IDS)
def test_grader_points_match_kata_toml(graded, kata_id):
    kata = CATALOG.get(kata_id)
    per_task: dict[str, float] = defaultdict(float)
    for test in graded[(kata_id, "reference")].tests:
        per_task[test.task] += test.max_score
    assert dict(per_task) == {t.id: t.points for t in kata.tasks}


# -- signature parity -------------------------------------------------------------------------------------


def _api(path: Path) -> dict[str, tuple[str, str | None]]:
    """Public functions, classes and methods: name -> (signature, docstring)."""
    tree = ast.parse(path.read_text())
    api: dict[str, tuple[str, str | None]] = {"<module>": ("", ast.get_docstring(tree))}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                not node.name.startswith("_") or node.name == "__init__"
            ):
                returns = ast.unparse(node.returns) if node.returns else ""
                api[prefix + node.name] = (
                    f"({ast.unparse(node.args)}) -> {returns}",
                    ast.get_docstring(node),
                )
            elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = ", ".join(ast.unparse(b) for b in node.bases)
                api[prefix + node.name] = (f"class({bases})", ast.get_docstring(node))
                visit(node.body, f"{prefix}{node.name}.")

    visit(tree.body, "")
    return api


@pytest.mark.parametrize("kata_id", KATA_IDS)
def test_stub_and_reference_agree_in_signatures_and_docstrings(kata_id):
    kata = CATALOG.get(kata_id)
    stub, reference = _api(kata.stub), _api(kata.solution)
    assert stub.keys() == reference.keys()
    for name in stub:
        assert stub[name] == reference[name], f"{kata_id}: {name} differs between stub and reference"
    for export in kata.exports:
        assert export in stub, f"{kata_id}: export {export} is not defined in the stub"
        assert stub[export][1], f"{kata_id}: {export} has no docstring"


@pytest.mark.parametrize("kata_id", KATA_IDS)
def test_stub_marks_its_tasks(kata_id):
    text = CATALOG.get(kata_id).stub.read_text()
    assert "TODO(task" in text
    assert "raise NotImplementedError" in text


# -- the tree ---------------------------------------------------------------------------------------------


def test_trees_mirror_each_other():
    def kata_dirs(tree: str) -> set[str]:
        return {str(p.relative_to(ROOT / tree)) for p in (ROOT / tree).glob("*/*") if p.is_dir()}

    katas = kata_dirs("katas")
    assert katas == kata_dirs("solutions")
    assert katas == kata_dirs("graders")
    assert katas == {str(k.rel) for k in CATALOG}


@pytest.mark.parametrize("kata_id", KATA_IDS)
def test_kata_folder_has_exactly_the_expected_files(kata_id):
    kata = CATALOG.get(kata_id)
    expected = {"kata.toml", "README.md", f"{kata.id}.py", f"test_{kata.id}.py"}
    present = {p.name for p in kata.kata_dir.iterdir() if p.name != "__pycache__"}
    assert present == expected
    assert {p.name for p in kata.solution.parent.iterdir() if p.name != "__pycache__"} == {f"{kata.id}.py"}
    assert kata.grader.is_file()


@pytest.mark.parametrize("kata_id", KATA_IDS)
def test_forbidden_apis_are_recognised_by_the_scan(kata_id):
    kata = CATALOG.get(kata_id)
    for module in kata.constraints.forbidden_imports:
        assert scan_forbidden(f"import {module}\n", kata.constraints.forbidden_imports, ())
    for call in kata.constraints.forbidden_calls:
        owner, _, name = call.rpartition(".")
        concrete = name.replace("*", "x").replace("?", "x")
        source = f"import {owner}\n{owner}.{concrete}\n"
        assert scan_forbidden(source, (), kata.constraints.forbidden_calls), call


# -- visible tests, as a learner runs them ----------------------------------------------------------------


def _visible_tests(kata: Kata, module_source: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    work = tmp_path / kata.id
    work.mkdir(parents=True)
    shutil.copy(kata.visible_tests, work / kata.visible_tests.name)
    shutil.copy(module_source, work / f"{kata.id}.py")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--import-mode=prepend", "-c", os.devnull,
         "--rootdir", str(work), str(work)],
        capture_output=True, text=True, cwd=work, env=env, timeout=300, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("kata_id", KATA_IDS)
def test_visible_tests_pass_on_reference_and_fail_on_stub(kata_id, tmp_path):
    kata = CATALOG.get(kata_id)
    on_reference = _visible_tests(kata, kata.solution, tmp_path / "reference")
    assert on_reference.returncode == 0, on_reference.stdout[-3000:]
    on_stub = _visible_tests(kata, kata.stub, tmp_path / "stub")
    assert on_stub.returncode == 1, on_stub.stdout[-3000:]
    assert " passed" not in on_stub.stdout.splitlines()[-1], "some visible tests pass on the untouched stub"
