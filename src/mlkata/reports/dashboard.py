"""The cohort dashboard: one self-contained HTML page with plots (matplotlib, embedded as PNG)."""

from __future__ import annotations

import base64
import io
import statistics
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: render to files only
import matplotlib.pyplot as plt
import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape

from mlkata.catalog import Catalog
from mlkata.results import KataResult

Latest = Mapping[str, Mapping[str, KataResult]]
_env = Environment(
    loader=PackageLoader("mlkata.reports", "templates"), autoescape=select_autoescape(["html"])
)


def _png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def summarize(latest: Latest, catalog: Catalog) -> dict[str, Any]:
    """The numbers behind the dashboard (also used by its tests)."""
    kata_ids = [k.id for k in catalog if any(k.id in katas for katas in latest.values())]
    learners = sorted(latest)
    totals = {}
    for learner in learners:
        katas = latest[learner]
        max_score = sum(r.max_score for r in katas.values())
        totals[learner] = 100 * sum(r.score for r in katas.values()) / max_score if max_score else 0.0
    pass_rate = {
        k: float(np.mean([latest[lr][k].status == "passed" for lr in learners if k in latest[lr]]))
        for k in kata_ids
    }
    fraction = np.array([[latest[lr][k].score / latest[lr][k].max_score if k in latest[lr] and latest[lr][k].max_score
                          else np.nan for k in kata_ids] for lr in learners])  # fmt: skip
    test_runs: dict[tuple[str, str], list[bool]] = defaultdict(list)
    messages: dict[tuple[str, str], str] = {}
    for learner in learners:
        for kata_id, result in latest[learner].items():
            for test in result.tests:
                test_runs[(kata_id, test.name)].append(test.status == "passed")
                if test.status != "passed":
                    messages.setdefault((kata_id, test.name), " ".join(test.message.splitlines()[:2]))
    test_pass = {key: float(np.mean(runs)) for key, runs in test_runs.items()}
    most_failed = sorted(test_pass.items(), key=lambda item: (item[1], item[0]))[:15]
    durations = {k: [latest[lr][k].duration_s for lr in learners if k in latest[lr]] for k in kata_ids}
    statuses: dict[str, int] = defaultdict(int)
    for learner in learners:
        for result in latest[learner].values():
            statuses[result.status] += 1
    return {
        "kata_ids": kata_ids, "learners": learners, "totals": totals, "pass_rate": pass_rate,
        "fraction": fraction, "test_pass": test_pass,
        "most_failed": [{"kata": k, "test": t, "pass_rate": p, "message": messages.get((k, t), "")}
                        for (k, t), p in most_failed if p < 1.0],
        "durations": durations, "statuses": dict(statuses),
    }  # fmt: skip


def render(latest: Latest, catalog: Catalog) -> str:
    data = summarize(latest, catalog)
    kata_ids, learners = data["kata_ids"], data["learners"]
    plots = {}

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(
        list(data["totals"].values()),
        bins=[float(b) for b in np.linspace(0, 100, 11)],
        color="#4c72b0",
        edgecolor="white",
    )
    ax.set(xlabel="total score (%)", ylabel="learners", title="Score distribution")
    plots["distribution"] = _png(fig)

    fig, ax = plt.subplots(figsize=(6, 0.4 * len(kata_ids) + 1))
    ax.barh(kata_ids, [100 * data["pass_rate"][k] for k in kata_ids], color="#55a868")
    ax.set(xlabel="learners who passed (%)", xlim=(0, 100), title="Pass rate per kata")
    ax.invert_yaxis()
    plots["pass_rate"] = _png(fig)

    fig, ax = plt.subplots(figsize=(0.6 * len(kata_ids) + 3, 0.35 * len(learners) + 1.5))
    image = ax.imshow(data["fraction"], vmin=0, vmax=1, cmap="RdYlGn", aspect="auto")
    ax.set_xticks(range(len(kata_ids)), kata_ids, rotation=60, ha="right")
    ax.set_yticks(range(len(learners)), learners)
    ax.set_title("Score per learner and kata")
    fig.colorbar(image, ax=ax, label="fraction of points")
    plots["heatmap"] = _png(fig)

    tests = sorted(data["test_pass"], key=lambda key: key)
    by_kata: dict[str, list[float]] = defaultdict(list)
    for kata_id, _name in tests:
        by_kata[kata_id].append(data["test_pass"][(kata_id, _name)])
    width = max((len(v) for v in by_kata.values()), default=1)
    grid = np.full((len(kata_ids), width), np.nan)
    for row, kata_id in enumerate(kata_ids):
        grid[row, : len(by_kata[kata_id])] = by_kata[kata_id]
    fig, ax = plt.subplots(figsize=(min(0.25 * width + 3, 16), 0.4 * len(kata_ids) + 1.5))
    image = ax.imshow(grid, vmin=0, vmax=1, cmap="RdYlGn", aspect="auto")
    ax.set_yticks(range(len(kata_ids)), kata_ids)
    ax.set(xlabel="hidden test (in grader order)", title="Pass rate per test")
    fig.colorbar(image, ax=ax, label="learners who passed")
    plots["test_heatmap"] = _png(fig)

    fig, ax = plt.subplots(figsize=(6, 0.4 * len(kata_ids) + 1))
    ax.barh(kata_ids, [statistics.mean(data["durations"][k]) for k in kata_ids], color="#8172b2")
    ax.set(xlabel="mean grading time per learner (s)", title="Grading time per kata")
    ax.invert_yaxis()
    plots["time"] = _png(fig)

    return _env.get_template("dashboard.html.j2").render(data=data, plots=plots, catalog=catalog)


def write_dashboard(path: Path, latest: Latest, catalog: Catalog) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(latest, catalog), encoding="utf-8")
    return path
