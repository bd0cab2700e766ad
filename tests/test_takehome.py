"""The interview take-home: the bundle, then the returned folder graded into a candidate report."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mlkata.catalog import load_catalog
from mlkata.release import audit
from mlkata.takehome import build_takehome

ROOT = Path(__file__).resolve().parents[1]
CATALOG = load_catalog(ROOT)
KATAS = ["inverted_dropout", "gru_cell"]


def test_bundle_holds_the_chosen_katas_and_the_rules(tmp_path):
    bundle = build_takehome(CATALOG, KATAS, 3, tmp_path / "bundle.zip", title="ML engineer, round 2")
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "out")
    folder = tmp_path / "out" / "takehome"
    assert not any(
        n.startswith(("takehome/graders/", "takehome/solutions/")) or "/mutants/" in n for n in names
    )
    assert load_catalog(folder).ids == tuple(KATAS)
    readme = (folder / "README.md").read_text()
    assert "**3 hours**" in readme
    assert "forbidden API scores 0" in readme
    assert audit(folder, CATALOG) == []


def test_bundle_needs_katas_and_a_budget(tmp_path):
    with pytest.raises(ValueError, match="at least one kata"):
        build_takehome(CATALOG, [], 3, tmp_path / "a.zip", title="t")
    with pytest.raises(ValueError, match="positive"):
        build_takehome(CATALOG, KATAS, 0, tmp_path / "b.zip", title="t")


def test_returned_folder_gets_a_candidate_report(tmp_path):
    bundle = build_takehome(CATALOG, KATAS, 2, tmp_path / "bundle.zip", title="t")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path / "returned")
    folder = tmp_path / "returned" / "takehome"
    dropout = CATALOG.get("inverted_dropout")
    shutil.copy(dropout.solution, folder / "katas" / dropout.rel / "inverted_dropout.py")
    gru = CATALOG.get("gru_cell")
    cheat = gru.solution.read_text() + "\nimport torch\n\nGRU = torch.nn.GRUCell\n"
    (folder / "katas" / gru.rel / "gru_cell.py").write_text(cheat)
    out = subprocess.run(
        [sys.executable, "-m", "mlkata.cli", "grade", "--learner", str(folder), "--kata", "inverted_dropout",
         "--kata", "gru_cell", "--format", "json", "--report", str(tmp_path / "report")],
        capture_output=True, text=True, timeout=600, check=False, cwd=ROOT,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout[: out.stdout.rindex("}") + 1])
    assert [k["status"] for k in result["katas"]] == ["passed", "rejected"]
    report = (tmp_path / "report" / "candidate-report.md").read_text()
    assert "scored 22 of 57 points" in report
    assert "solving 1 of 2 katas completely" in report
    assert "gru_cell: rejected" in report
    assert "torch.nn.GRUCell" in report
    assert (
        "<h1>Candidate report: takehome</h1>" in (tmp_path / "report" / "candidate-report.html").read_text()
    )
