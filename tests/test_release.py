"""The learner release: what it holds, the leak audit, and the learner CLI inside it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from mlkata.catalog import load_catalog
from mlkata.release import LeakError, audit, build_release

ROOT = Path(__file__).resolve().parents[1]
CATALOG = load_catalog(ROOT)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "learner"
    build_release(CATALOG, out)
    return out


def learner_run(release: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "MLKATA_"))}
    env["PYTHONPATH"] = str(release / "src")
    return subprocess.run([sys.executable, *args], cwd=release, env=env, capture_output=True, text=True, timeout=300,
                          check=False)  # fmt: skip


def test_release_holds_the_learner_files_only(release):
    assert not (release / "graders").exists()
    assert not (release / "solutions").exists()
    assert not list(release.rglob("mutants"))
    for kata in CATALOG:
        folder = release / "katas" / kata.rel
        assert {p.name for p in folder.iterdir()} == {
            "kata.toml",
            "README.md",
            f"{kata.id}.py",
            f"test_{kata.id}.py",
        }
        assert (folder / f"{kata.id}.py").read_text() == kata.stub.read_text()
    assert load_catalog(release).ids == CATALOG.ids
    project = tomllib.loads((release / "pyproject.toml").read_text())
    assert "pytest" in project["project"]["dependencies"]
    assert project["project"]["scripts"]["mlkata"] == "mlkata.learner_cli:main"
    assert audit(release, CATALOG) == []


def test_every_kata_fails_until_solved(release, tmp_path):
    out = learner_run(release, "-m", "pytest", "-p", "no:cacheprovider")
    assert out.returncode == 1
    assert " passed" not in out.stdout.splitlines()[-1]
    solved = tmp_path / "solved"
    shutil.copytree(release, solved)
    for kata in CATALOG:
        shutil.copy(kata.solution, solved / "katas" / kata.rel / f"{kata.id}.py")
    out = learner_run(solved, "-m", "pytest", "-p", "no:cacheprovider")
    assert out.returncode == 0, out.stdout[-2000:]


def test_learner_cli_status_check_and_hints(release, tmp_path):
    first = CATALOG.katas[0]
    out = learner_run(release, "-m", "mlkata.learner_cli", "status")
    assert out.returncode == 0, out.stderr
    assert first.id in out.stdout
    assert "not started" in out.stdout
    out = learner_run(release, "-m", "mlkata.learner_cli", "check", first.id)
    assert out.returncode == 1
    assert "NotImplementedError" in out.stdout
    hints = [
        learner_run(release, "-m", "mlkata.learner_cli", "hint", first.id).stdout
        for _ in range(len(first.hints) + 1)
    ]
    assert "hint 1 of" in hints[0]
    assert f"hint {len(first.hints)} of" in hints[-1]
    assert "last hint" in hints[-1]
    shutil.rmtree(release / ".mlkata")


@pytest.mark.parametrize("where", ["whole_file", "pasted_lines"])
def test_leak_audit_catches_hidden_material(tmp_path, where):
    out = tmp_path / "learner"
    build_release(CATALOG, out)
    kata = CATALOG.katas[0]
    if where == "whole_file":
        shutil.copy(kata.solution, out / "notes.py")
    else:
        lines = [line for line in kata.grader.read_text().splitlines() if len(line.strip()) > 12]
        secret = lines[len(lines) // 2 : len(lines) // 2 + 8]  # from the middle of the grader: its own code
        with (out / "README.md").open("a") as readme:
            readme.write("\n".join(["", "Some notes:", *secret, ""]))
    leaks = audit(out, CATALOG)
    assert leaks
    assert all(str(kata.root) in leak.source for leak in leaks)


def test_build_refuses_a_leaking_release(tmp_path, monkeypatch):
    import mlkata.release as release_module

    kata = CATALOG.katas[0]
    monkeypatch.setattr(
        release_module, "LEARNER_README", kata.grader.read_text().replace("{", "{{").replace("}", "}}")
    )
    with pytest.raises(LeakError, match="leaks hidden material"):
        build_release(CATALOG, tmp_path / "learner")


def test_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "file").write_text("x")
    with pytest.raises(FileExistsError):
        build_release(CATALOG, tmp_path / "x")


def test_watch_reruns_the_kata_that_was_saved(release, tmp_path, capfd):
    import threading
    import time

    from rich.console import Console

    from mlkata import learner_cli

    work = tmp_path / "watched"
    shutil.copytree(release, work)
    catalog = load_catalog(work)
    kata = catalog.katas[0]

    def save_later() -> None:
        time.sleep(1.0)
        shutil.copy(CATALOG.get(kata.id).solution, kata.stub)

    threading.Thread(target=save_later, daemon=True).start()
    console = Console(file=open(os.devnull, "w"), width=120)  # noqa: SIM115 - closed with the console
    learner_cli.cmd_watch(catalog, None, console, interval=0.2, rounds=1)
    console.file.close()
    out = capfd.readouterr().out
    assert " passed" in out
    assert "failed" not in out.splitlines()[-1]
