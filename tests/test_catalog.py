"""kata.toml and track.toml: loading, and errors that name the file and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlkata.catalog import CatalogError, find_root, load_catalog

GOOD = """\
id = "demo_kata"
title = "Demo"
topic = "math"
difficulty = 1
points = 3
exports = ["f"]

[constraints]
forbidden_imports = ["sklearn.metrics"]
time_limit_s = 5

[[tasks]]
id = "a"
title = "A"
points = 1

[[tasks]]
id = "b"
title = "B"
points = 2

[[hints]]
level = 1
text = "nudge"
"""


def make_repo(tmp_path: Path, kata_toml: str = GOOD, track: str = 'katas = ["demo_kata"]\n') -> Path:
    folder = tmp_path / "katas" / "math" / "demo_kata"
    folder.mkdir(parents=True)
    (folder / "kata.toml").write_text(kata_toml)
    (tmp_path / "katas" / "track.toml").write_text(track)
    return tmp_path


def test_valid_kata_loads(tmp_path):
    catalog = load_catalog(make_repo(tmp_path))
    kata = catalog.get("demo_kata")
    assert kata.points == 3
    assert kata.constraints.forbidden_imports == ("sklearn.metrics",)
    assert kata.constraints.time_limit_s == 5
    assert kata.constraints.memory_mb == 1024
    assert [t.id for t in kata.tasks] == ["a", "b"]
    assert kata.solution == tmp_path.resolve() / "solutions" / "math" / "demo_kata" / "demo_kata.py"


@pytest.mark.parametrize(
    ("edit", "field", "problem"),
    [
        (lambda s: s.replace('title = "Demo"\n', ""), "title", "is required"),
        (lambda s: s.replace("difficulty = 1", "difficulty = 7"), "difficulty", "expected 1, 2 or 3"),
        (lambda s: s.replace("difficulty = 1", 'difficulty = "easy"'), "difficulty", "expected int"),
        (lambda s: s.replace("points = 3", "points = 4"), "points", "tasks add up to 3"),
        (lambda s: s.replace('topic = "math"', 'topic = "core_ml"'), "topic", "does not match its folder"),
        (lambda s: s.replace('topic = "math"', 'topic = "cooking"'), "topic", "is not one of"),
        (lambda s: s.replace('id = "demo_kata"', 'id = "other"'), "id", "does not match its folder"),
        (lambda s: s.replace('exports = ["f"]', "exports = []"), "exports", "at least one"),
        (
            lambda s: s.replace("time_limit_s = 5", "time_limit_s = 5\nmemory_gb = 1"),
            "constraints.memory_gb",
            "not a field here",
        ),
        (
            lambda s: s.replace('forbidden_imports = ["sklearn.metrics"]', "forbidden_imports = [1]"),
            "constraints.forbidden_imports",
            "list of non-empty strings",
        ),
        (lambda s: s.replace('id = "b"\n', ""), "tasks[1].id", "is required"),
        (lambda s: s.replace("level = 1", "level = 2"), "hints", "levels must run"),
        (lambda s: "extra = 1\n" + s, "extra", "not a kata field"),
        (lambda s: s + "colour = 1\n", "hints[0].colour", "not a field"),
        (lambda s: s.replace("id = ", "id == "), "<file>", "not valid TOML"),
    ],
)
def test_invalid_kata_names_file_and_field(tmp_path, edit, field, problem):
    repo = make_repo(tmp_path, edit(GOOD))
    with pytest.raises(CatalogError, match=problem) as info:
        load_catalog(repo)
    assert info.value.field == field
    assert info.value.path.name == "kata.toml"
    assert str(info.value.path) in str(info.value)


def test_track_must_list_every_kata(tmp_path):
    repo = make_repo(tmp_path, track="katas = []\n")
    with pytest.raises(CatalogError, match="does not list demo_kata") as info:
        load_catalog(repo)
    assert info.value.path.name == "track.toml"


def test_track_must_not_name_missing_katas(tmp_path):
    repo = make_repo(tmp_path, track='katas = ["demo_kata", "ghost"]\n')
    with pytest.raises(CatalogError, match="ghost"):
        load_catalog(repo)


def test_track_rejects_duplicates(tmp_path):
    repo = make_repo(tmp_path, track='katas = ["demo_kata", "demo_kata"]\n')
    with pytest.raises(CatalogError, match="twice"):
        load_catalog(repo)


def test_find_root_from_a_subfolder(tmp_path, monkeypatch):
    repo = make_repo(tmp_path)
    monkeypatch.delenv("MLKATA_ROOT", raising=False)
    assert find_root(repo / "katas" / "math") == repo


def test_repository_catalog_is_valid(catalog, root):
    assert len(catalog) >= 1
    folders = {p.parent.name for p in (root / "katas").glob("*/*/kata.toml")}
    assert folders == set(catalog.ids)


def test_copied_repository_loads_from_its_own_root(tmp_path, root):
    shutil.copytree(root / "katas", tmp_path / "katas")
    assert load_catalog(tmp_path).ids == load_catalog(root).ids
