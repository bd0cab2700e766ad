"""The kata catalog: ``kata.toml`` files and ``katas/track.toml``, loaded and validated.

Every error names the file and the field, so that an author who mistypes a key learns where at once.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOPICS = ("core_ml", "deep_learning", "data", "applied", "math", "debugging", "mlops", "ethics")


class CatalogError(ValueError):
    """A kata or track file is missing, malformed, or inconsistent with the tree."""

    def __init__(self, path: Path, field_name: str, problem: str) -> None:
        self.path = path
        self.field = field_name
        super().__init__(f"{path}: field '{field_name}': {problem}")


@dataclass(frozen=True)
class Constraints:
    """What learner code may not use, and the limits it runs under."""

    forbidden_imports: tuple[str, ...] = ()
    forbidden_calls: tuple[str, ...] = ()
    time_limit_s: float = 10.0
    memory_mb: int = 1024


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    points: float


@dataclass(frozen=True)
class Hint:
    level: int
    text: str


@dataclass(frozen=True)
class Kata:
    """One kata: its metadata and the paths of its stub, reference, grader and mutants."""

    id: str
    title: str
    topic: str
    difficulty: int
    points: float
    exports: tuple[str, ...]
    constraints: Constraints
    tasks: tuple[Task, ...]
    hints: tuple[Hint, ...]
    root: Path = field(compare=False)

    @property
    def rel(self) -> Path:
        """The kata's path below ``katas/``, ``solutions/`` and ``graders/``."""
        return Path(self.topic) / self.id

    @property
    def kata_dir(self) -> Path:
        return self.root / "katas" / self.rel

    @property
    def stub(self) -> Path:
        return self.kata_dir / f"{self.id}.py"

    @property
    def readme(self) -> Path:
        return self.kata_dir / "README.md"

    @property
    def visible_tests(self) -> Path:
        return self.kata_dir / f"test_{self.id}.py"

    @property
    def solution(self) -> Path:
        return self.root / "solutions" / self.rel / f"{self.id}.py"

    @property
    def grader_dir(self) -> Path:
        return self.root / "graders" / self.rel

    @property
    def grader(self) -> Path:
        return self.grader_dir / f"test_{self.id}.py"

    @property
    def mutants(self) -> tuple[Path, ...]:
        mutant_dir = self.grader_dir / "mutants"
        return tuple(sorted(mutant_dir.glob("*.py"))) if mutant_dir.is_dir() else ()

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)


def _require(
    table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: Path, prefix: str = ""
) -> Any:
    name = f"{prefix}{key}"
    if key not in table:
        raise CatalogError(path, name, "is required")
    value = table[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise CatalogError(path, name, f"expected {_kind_name(kind)}, got a boolean")
    if not isinstance(value, kind):
        raise CatalogError(path, name, f"expected {_kind_name(kind)}, got {type(value).__name__} {value!r}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


def _string_list(table: Mapping[str, Any], key: str, path: Path, prefix: str = "") -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CatalogError(path, f"{prefix}{key}", "expected a list of non-empty strings")
    return tuple(value)


def _no_unknown(table: Mapping[str, Any], known: set[str], path: Path, prefix: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise CatalogError(
            path, f"{prefix}{unknown[0]}", f"is not a field here (known: {', '.join(sorted(known))})"
        )


_KATA_KEYS = {"id", "title", "topic", "difficulty", "points", "exports", "constraints", "tasks", "hints"}
_CONSTRAINT_KEYS = {"forbidden_imports", "forbidden_calls", "time_limit_s", "memory_mb"}


def _load_constraints(data: Mapping[str, Any], path: Path) -> Constraints:
    raw = data.get("constraints", {})
    if not isinstance(raw, dict):
        raise CatalogError(path, "constraints", "expected a table")
    _no_unknown(raw, _CONSTRAINT_KEYS, path, "constraints.")
    constraints = Constraints(
        forbidden_imports=_string_list(raw, "forbidden_imports", path, "constraints."),
        forbidden_calls=_string_list(raw, "forbidden_calls", path, "constraints."),
        time_limit_s=float(raw.get("time_limit_s", Constraints.time_limit_s)),
        memory_mb=int(raw.get("memory_mb", Constraints.memory_mb)),
    )
    if constraints.time_limit_s <= 0:
        raise CatalogError(path, "constraints.time_limit_s", "must be positive")
    if constraints.memory_mb < 64:
        raise CatalogError(path, "constraints.memory_mb", "must be at least 64")
    return constraints


def _load_tasks(data: Mapping[str, Any], path: Path, points: float) -> tuple[Task, ...]:
    raw_tasks = data.get("tasks", [])
    if not isinstance(raw_tasks, list) or not raw_tasks:
        raise CatalogError(path, "tasks", "expected at least one [[tasks]] table")
    tasks = []
    for i, raw in enumerate(raw_tasks):
        prefix = f"tasks[{i}]."
        _no_unknown(raw, {"id", "title", "points"}, path, prefix)
        tasks.append(
            Task(
                id=_require(raw, "id", str, path, prefix),
                title=_require(raw, "title", str, path, prefix),
                points=float(_require(raw, "points", (int, float), path, prefix)),
            )
        )
    if len({t.id for t in tasks}) != len(tasks):
        raise CatalogError(path, "tasks", "task ids must be unique")
    total = sum(t.points for t in tasks)
    if abs(total - points) > 1e-9:
        raise CatalogError(path, "points", f"is {points:g} but the tasks add up to {total:g}")
    return tuple(tasks)


def _load_hints(data: Mapping[str, Any], path: Path) -> tuple[Hint, ...]:
    hints = []
    for i, raw in enumerate(data.get("hints", [])):
        prefix = f"hints[{i}]."
        _no_unknown(raw, {"level", "text"}, path, prefix)
        text = _require(raw, "text", str, path, prefix).strip()
        if not text:
            raise CatalogError(path, f"{prefix}text", "must not be empty")
        hints.append(Hint(level=_require(raw, "level", int, path, prefix), text=text))
    if not hints:
        raise CatalogError(path, "hints", "expected at least one [[hints]] table")
    if [h.level for h in hints] != list(range(1, len(hints) + 1)):
        raise CatalogError(path, "hints", "levels must run 1, 2, 3, ... in order")
    return tuple(hints)


def load_kata(path: Path, root: Path) -> Kata:
    """Load one ``kata.toml`` and check it against its place in the tree."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(path, "<file>", f"is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - _KATA_KEYS)
    if unknown:
        raise CatalogError(path, unknown[0], f"is not a kata field (known: {', '.join(sorted(_KATA_KEYS))})")

    kata_id = _require(data, "id", str, path)
    if kata_id != path.parent.name:
        raise CatalogError(path, "id", f"'{kata_id}' does not match its folder '{path.parent.name}'")
    topic = _require(data, "topic", str, path)
    if topic not in TOPICS:
        raise CatalogError(path, "topic", f"'{topic}' is not one of {', '.join(TOPICS)}")
    if topic != path.parent.parent.name:
        raise CatalogError(path, "topic", f"'{topic}' does not match its folder '{path.parent.parent.name}'")
    difficulty = _require(data, "difficulty", int, path)
    if not 1 <= difficulty <= 3:
        raise CatalogError(path, "difficulty", f"expected 1, 2 or 3, got {difficulty}")
    points = float(_require(data, "points", (int, float), path))
    exports = _string_list(data, "exports", path)
    if not exports:
        raise CatalogError(path, "exports", "must name at least one public name")

    constraints = _load_constraints(data, path)
    tasks = _load_tasks(data, path, points)
    hints = _load_hints(data, path)

    return Kata(
        id=kata_id,
        title=_require(data, "title", str, path),
        topic=topic,
        difficulty=difficulty,
        points=points,
        exports=exports,
        constraints=constraints,
        tasks=tasks,
        hints=hints,
        root=root,
    )


@dataclass(frozen=True)
class Catalog:
    """Every kata of a repository, in track order."""

    root: Path
    katas: tuple[Kata, ...]

    def __iter__(self) -> Iterator[Kata]:
        return iter(self.katas)

    def __len__(self) -> int:
        return len(self.katas)

    def __contains__(self, kata_id: object) -> bool:
        return any(k.id == kata_id for k in self.katas)

    def get(self, kata_id: str) -> Kata:
        for kata in self.katas:
            if kata.id == kata_id:
                return kata
        known = ", ".join(k.id for k in self.katas)
        raise KeyError(f"unknown kata '{kata_id}' (known: {known})")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(k.id for k in self.katas)


def load_track(path: Path) -> tuple[str, ...]:
    """Read the curriculum order from ``katas/track.toml``."""
    if not path.is_file():
        raise CatalogError(path, "<file>", "is missing")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(path, "<file>", f"is not valid TOML: {exc}") from None
    order = _string_list(data, "katas", path)
    if len(set(order)) != len(order):
        dup = next(k for k in order if order.count(k) > 1)
        raise CatalogError(path, "katas", f"lists '{dup}' twice")
    return order


def load_catalog(root: Path) -> Catalog:
    """Load every kata under ``root/katas`` and order them by the track.

    Raises
    ------
    CatalogError
        When a kata file is invalid, a kata is missing from the track, or the track names a kata that
        does not exist.
    """
    root = root.resolve()
    track_path = root / "katas" / "track.toml"
    order = load_track(track_path)
    found = {}
    for kata_toml in sorted((root / "katas").glob("*/*/kata.toml")):
        kata = load_kata(kata_toml, root)
        found[kata.id] = kata
    for kata_id in order:
        if kata_id not in found:
            raise CatalogError(
                track_path, "katas", f"names '{kata_id}', which has no katas/<topic>/{kata_id}/kata.toml"
            )
    missing = sorted(set(found) - set(order))
    if missing:
        raise CatalogError(track_path, "katas", f"does not list {', '.join(missing)}")
    return Catalog(root=root, katas=tuple(found[k] for k in order))


def find_root(start: Path | None = None) -> Path:
    """Find the repository root: ``$MLKATA_ROOT``, else the first parent holding ``katas/track.toml``."""
    env = os.environ.get("MLKATA_ROOT")
    if env:
        return Path(env).resolve()
    candidates = [Path.cwd() if start is None else start, Path(__file__).resolve().parent]
    for base in candidates:
        for folder in (base, *base.resolve().parents):
            if (folder / "katas" / "track.toml").is_file():
                return folder
    raise FileNotFoundError(
        "no katas/track.toml here or above; run inside an mlkata repository or set MLKATA_ROOT"
    )
