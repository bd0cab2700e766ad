"""Grading many submissions: finding each learner's files, caching, and storing results in the gradebook."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import mlkata
from mlkata.catalog import Catalog, Kata
from mlkata.environment import lock_hash, versions
from mlkata.gradebook import Gradebook
from mlkata.grading.host import GradingPool
from mlkata.grading.job import Backend, Job
from mlkata.results import KataResult, LearnerResult


@dataclass(frozen=True)
class LearnerDir:
    id: str
    folder: Path
    tag: str | None = None


def find_submission(folder: Path, kata: Kata) -> Path:
    """Where a learner's file for ``kata`` is: the release layout first, then flatter ones."""
    candidates = [
        folder / "katas" / kata.topic / kata.id / f"{kata.id}.py",
        folder / kata.topic / kata.id / f"{kata.id}.py",
        folder / kata.id / f"{kata.id}.py",
        folder / f"{kata.id}.py",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return candidates[0]


def grader_hash(kata: Kata) -> str:
    """Hash of everything that decides a kata's grade: its kata.toml and its grader files (not the mutants)."""
    digest = hashlib.sha256()
    files = [kata.kata_dir / "kata.toml", *sorted(p for p in kata.grader_dir.rglob("*") if p.is_file())]
    for path in files:
        rel = path.relative_to(kata.root)
        if "mutants" in rel.parts or "__pycache__" in rel.parts:
            continue
        digest.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(kata: Kata, submission: Path, backend: Backend) -> str:
    try:
        content = submission.read_bytes()
    except OSError:
        content = b"<missing>"
    parts = [
        hashlib.sha256(content).hexdigest(),
        grader_hash(kata),
        mlkata.__version__,
        lock_hash(kata.root),
        backend,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


Progress = Callable[[str, KataResult, bool], None]


def grade_cohort(
    catalog: Catalog,
    learners: Sequence[LearnerDir],
    katas: Sequence[Kata],
    *,
    gradebook: Gradebook | None = None,
    jobs: int | None = None,
    backend: Backend = "sandbox",
    confinement: str | None = None,
    progress: Progress | None = None,
) -> list[LearnerResult]:
    """Grade every learner on every kata, reusing cached results from the gradebook where nothing changed."""
    run_id = None
    if gradebook is not None:
        run_id = gradebook.start_run(versions(catalog.root))
        for kata in katas:
            gradebook.upsert_kata(kata.id, kata.title, kata.topic, kata.points)
        for learner in learners:
            gradebook.upsert_learner(learner.id, str(learner.folder), learner.tag)

    results: dict[tuple[str, str], KataResult] = {}
    todo: list[tuple[Job, str]] = []
    for learner in learners:
        for kata in katas:
            submission = find_submission(learner.folder, kata)
            key = cache_key(kata, submission, backend)
            hit = gradebook.cached(key) if gradebook is not None else None
            if hit is not None:
                results[(learner.id, kata.id)] = hit
                if gradebook is not None and run_id is not None:
                    gradebook.record(run_id, learner.id, hit, key, cached=True)
                if progress:
                    progress(learner.id, hit, True)
                continue
            job = Job(
                job_id=f"{learner.id}\0{kata.id}",
                kata_id=kata.id,
                submission=str(submission),
                learner=learner.id,
            )
            todo.append((job, key))

    if todo:
        keys = {job.job_id: key for job, key in todo}
        with GradingPool(catalog.root, jobs=jobs, backend=backend, confinement=confinement) as pool:
            for job, result in pool.grade(job for job, _ in todo):
                results[(job.learner, job.kata_id)] = result
                if gradebook is not None and run_id is not None:
                    gradebook.record(run_id, job.learner, result, keys[job.job_id])
                if progress:
                    progress(job.learner, result, False)

    if gradebook is not None and run_id is not None:
        gradebook.finish_run(run_id)
    return [
        LearnerResult(learner=learner.id, katas=[results[(learner.id, kata.id)] for kata in katas])
        for learner in learners
    ]
