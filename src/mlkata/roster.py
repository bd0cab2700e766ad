"""A cohort's learners: every folder under the cohort directory, or the rows of a roster file.

A roster is a CSV file with a header and the columns ``id``, ``folder`` (relative to the roster file) and an
optional ``tag`` (a cohort or group name). Tags select part of a cohort.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from mlkata.grading.engine import LearnerDir


class RosterError(ValueError):
    """The roster file is malformed."""


def discover_learners(cohort: Path) -> list[LearnerDir]:
    """Every folder directly under ``cohort`` is a learner, named by the folder."""
    return [
        LearnerDir(id=p.name, folder=p)
        for p in sorted(cohort.iterdir())
        if p.is_dir() and not p.name.startswith(".")
    ]


def load_roster(path: Path) -> list[LearnerDir]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"id", "folder"} <= set(reader.fieldnames):
            raise RosterError(f"{path}: the header must name the columns id and folder (and optionally tag)")
        learners = []
        seen = set()
        for line, row in enumerate(reader, start=2):
            learner_id = (row.get("id") or "").strip()
            folder = (row.get("folder") or "").strip()
            if not learner_id or not folder:
                raise RosterError(f"{path}, line {line}: id and folder are required")
            if learner_id in seen:
                raise RosterError(f"{path}, line {line}: learner '{learner_id}' appears twice")
            seen.add(learner_id)
            tag = (row.get("tag") or "").strip() or None
            learners.append(LearnerDir(id=learner_id, folder=(path.parent / folder).resolve(), tag=tag))
    return learners


def select(learners: Sequence[LearnerDir], tags: Sequence[str] | None) -> list[LearnerDir]:
    """The learners carrying one of ``tags`` (all of them when no tag is given)."""
    if not tags:
        return list(learners)
    wanted = set(tags)
    return [learner for learner in learners if learner.tag in wanted]
