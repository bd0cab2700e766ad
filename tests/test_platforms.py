"""CI-platform formats (golden files and schemas) and the bundles that use them, run as the platforms run them."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from mlkata.catalog import load_catalog
from mlkata.formats import platforms
from mlkata.formats.junit import to_junit
from mlkata.platform_bundles import classroom50_assignment, gradescope_zip, legacy_workflow
from mlkata.results import KataResult, LearnerResult, TestResult

MINIREPO = Path(__file__).parent / "minirepo"
GOLDEN = Path(__file__).parent / "golden"
ENV = {"CLASSROOM": "ml-101", "ASSIGNMENT": "week1", "SUBMISSION_TAG": "submit/2026-11-20T10-00-00Z-abc1234",
       "COMMIT_URL": "https://example.invalid/commit/abc", "RELEASE_URL": "https://example.invalid/release",
       "SUBMISSION_DATETIME": "2026-11-20T10:00:00Z"}  # fmt: skip


def canonical() -> LearnerResult:
    sums = KataResult("toy_sum", 4.0, 6.0, "failed", 0.5, [
        TestResult("test_total_small", "sums", 1.0, 1.0, "passed"),
        TestResult("test_running", "sums", 0.0, 2.0, "failed", "Called running([1.0, 2.0]).\nReturned [1, 2], but expected [1, 3]."),
        TestResult("test_counter_counts", "counter", 1.0, 1.0, "passed"),
        TestResult("test_counter_rejects_negative_start", "counter", 1.0, 1.0, "passed"),
        TestResult("test_total_empty", "sums", 1.0, 1.0, "passed"),
    ])  # fmt: skip
    scale = KataResult(
        "toy_scale", 0.0, 2.0, "timeout", 4.1, [], "your code did not answer within 2 s (time limit)"
    )
    return LearnerResult("ann", [sums, scale])


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MLKATA_UPDATE_GOLDEN") == "1":
        path.write_text(text)
    assert text == path.read_text(), f"{name} differs from its golden file (MLKATA_UPDATE_GOLDEN=1 to accept)"


def test_classroom50_result_matches_golden_and_schema():
    result = platforms.classroom50(canonical(), ENV)
    result["graded_at"] = "fixed"
    golden("classroom50_result.json", json.dumps(result, indent=2) + "\n")
    assert result["schema"] == "classroom50/result/v1"
    for key in ("classroom", "assignment", "submission", "commit", "release", "review", "datetime"):
        assert isinstance(result[key], str)
    assert isinstance(result["score"], int)
    assert isinstance(result["max-score"], int)
    assert result["score"] == sum(t["score"] for t in result["tests"]) == 4
    assert result["max-score"] == sum(t["max-score"] for t in result["tests"]) == 8
    for test in result["tests"]:
        assert {"test-name", "passed", "score", "max-score"} <= test.keys()
        assert all(isinstance(test[k], int) for k in ("score", "max-score"))
        assert "def test_" not in test.get("message", "")


def test_release_body_golden():
    golden("release-body.md", platforms.release_body(canonical()))


def test_legacy_payloads_match_golden_and_the_reporter_contract():
    payloads = [platforms.legacy_classroom(k) for k in canonical().katas]
    golden("classroom_legacy.json", json.dumps(payloads, indent=2) + "\n")
    for kata, payload in zip(canonical().katas, payloads, strict=True):
        assert payload["version"] == 1
        assert payload["status"] in ("pass", "fail", "error")
        assert isinstance(payload["max_score"], int)
        assert all(
            isinstance(t["score"], int) and t["status"] in ("pass", "fail", "error") for t in payload["tests"]
        )
        decoded = json.loads(base64.b64decode(platforms.legacy_classroom_base64(kata)))
        assert decoded == payload
    # The reporter's total is the sum of the tests' scores over the sum of max_score.
    assert sum(t["score"] for p in payloads for t in p["tests"]) == 4
    assert sum(p["max_score"] for p in payloads) == 8


def test_gradescope_results_match_golden_and_schema():
    result = platforms.gradescope(canonical())
    golden("gradescope_results.json", json.dumps(result, indent=2) + "\n")
    assert result["score"] == 4
    for test in result["tests"]:
        assert test["status"] in ("passed", "failed")
        assert {"name", "score", "max_score", "output"} <= test.keys()


def test_junit_golden():
    golden("junit.xml", to_junit(canonical()) + "\n")


def test_legacy_workflow_is_well_formed():
    catalog = load_catalog(MINIREPO)
    text = legacy_workflow(list(catalog), "acme/graders")
    golden("classroom.yml", text)
    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    kata_steps = [s for s in steps if s.get("name") in catalog.ids]
    assert [s["id"] for s in kata_steps] == ["toy-sum", "toy-scale"]
    assert all(s["if"] == "always()" for s in kata_steps)
    reporter = next(
        s for s in steps if s.get("uses", "").startswith("classroom-resources/autograding-grading-reporter")
    )
    assert reporter["with"]["runners"] == "toy_sum,toy_scale"
    assert reporter["env"]["TOY_SUM_RESULTS"] == "${{ steps.toy-sum.outputs.result }}"
    assert reporter["if"] == "always()"
    assert any("GITHUB_STEP_SUMMARY" in s.get("run", "") for s in steps)


def test_classroom50_autograder_runs_in_a_checkout(tmp_path):
    catalog = load_catalog(MINIREPO)
    folder = classroom50_assignment(catalog, tmp_path / "classroom", list(catalog), "week1")
    runtime = json.loads((tmp_path / "classroom" / "week1.runtime.json").read_text())
    assert "bubblewrap" in runtime["apt"]
    assert not list(folder.rglob("solutions"))
    assert not list(folder.rglob("mutants"))
    checkout = tmp_path / "checkout"
    for kata in catalog:
        target = checkout / "katas" / kata.rel / f"{kata.id}.py"
        target.parent.mkdir(parents=True)
        shutil.copy(kata.solution, target)
    env = {**os.environ, **ENV, "MLKATA_PREINSTALLED": "1"}
    out = subprocess.run([sys.executable, str(folder / "autograder.py")], cwd=checkout, env=env, capture_output=True,
                         text=True, timeout=600, check=False)  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads((checkout / "result.json").read_text())
    assert result["score"] == result["max-score"] == 8
    assert result["classroom"] == "ml-101"
    assert (checkout / "release-body.md").read_text().startswith("## mlkata: 8 / 8")


def test_gradescope_zip_runs_like_gradescope(tmp_path):
    catalog = load_catalog(MINIREPO)
    archive = gradescope_zip(catalog, tmp_path / "autograder.zip", list(catalog))
    root = tmp_path / "autograder"
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert {"setup.sh", "run_autograder"} <= set(names)
        assert not any("solutions/" in n or "mutants/" in n for n in names)
        zipped.extractall(root / "source")
    (root / "submission").mkdir()
    shutil.copy(catalog.get("toy_sum").solution, root / "submission" / "toy_sum.py")  # flat upload, one kata
    venv_bin = root / "venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "mlkata").write_text(f'#!/bin/sh\nexec {sys.executable} -m mlkata.cli "$@"\n')
    (venv_bin / "mlkata").chmod(0o755)
    out = subprocess.run(["bash", str(root / "source" / "run_autograder")], env={**os.environ, "AUTOGRADER_ROOT": str(root)},
                         capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    results = json.loads((root / "results" / "results.json").read_text())
    by_kata = {t["name"].split(":")[0] for t in results["tests"]}
    assert by_kata == {"toy_sum", "toy_scale"}
    assert results["score"] == 6  # toy_sum solved; toy_scale has no submission


def test_cli_formats_from_a_learner_folder(tmp_path):
    folder = tmp_path / "ann"
    target = folder / "katas/math/toy_sum/toy_sum.py"
    target.parent.mkdir(parents=True)
    shutil.copy(MINIREPO / "solutions/math/toy_sum/toy_sum.py", target)
    out = subprocess.run([sys.executable, "-m", "mlkata.cli", "--root", str(MINIREPO), "grade", "--learner", str(folder),
                          "--kata", "toy_sum", "--format", "classroom"], capture_output=True, text=True, timeout=600,
                         check=False)  # fmt: skip
    assert out.returncode == 0, out.stderr
    payload = json.loads(base64.b64decode(out.stdout.strip()))
    assert payload["status"] == "pass"
    assert sum(t["score"] for t in payload["tests"]) == payload["max_score"] == 6


@pytest.mark.parametrize("fmt", ["classroom50", "gradescope", "junit"])
def test_single_file_grading_refuses_learner_formats(fmt):
    out = subprocess.run([sys.executable, "-m", "mlkata.cli", "--root", str(MINIREPO), "grade", "toy_sum",
                          str(MINIREPO / "solutions/math/toy_sum/toy_sum.py"), "--format", fmt],
                         capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert out.returncode == 2
