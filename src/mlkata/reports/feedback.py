"""Per-learner feedback, in Markdown and HTML: each kata's score, the failed tests' messages, and the hints."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from mlkata.catalog import Catalog
from mlkata.results import KataResult

_env = Environment(
    loader=PackageLoader("mlkata.reports", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _context(learner: str, results: Mapping[str, KataResult], catalog: Catalog) -> dict[str, object]:
    rows = []
    for kata in catalog:
        result = results.get(kata.id)
        if result is None:
            continue
        failed = [t for t in result.tests if t.status != "passed"]
        rows.append({"kata": kata, "result": result, "failed": failed,
                     "hints": kata.hints if result.status != "passed" else ()})  # fmt: skip
    score = sum(r["result"].score for r in rows)  # type: ignore[attr-defined]
    max_score = sum(r["result"].max_score for r in rows)  # type: ignore[attr-defined]
    return {"learner": learner, "rows": rows, "score": score, "max_score": max_score}


def render_markdown(learner: str, results: Mapping[str, KataResult], catalog: Catalog) -> str:
    return _env.get_template("feedback.md.j2").render(**_context(learner, results, catalog))


def render_html(learner: str, results: Mapping[str, KataResult], catalog: Catalog) -> str:
    return _env.get_template("feedback.html.j2").render(**_context(learner, results, catalog))


def write_feedback(out: Path, latest: Mapping[str, Mapping[str, KataResult]], catalog: Catalog) -> list[Path]:
    """Write ``<learner>.md`` and ``<learner>.html`` for every learner; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for learner, results in sorted(latest.items()):
        for suffix, render in ((".md", render_markdown), (".html", render_html)):
            path = out / f"{learner}{suffix}"
            path.write_text(render(learner, results, catalog), encoding="utf-8")
            written.append(path)
    return written
