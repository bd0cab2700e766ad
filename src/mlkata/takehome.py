"""The interview take-home: a candidate bundle built from the learner release, and the candidate report.

The bundle is the learner release of the chosen katas (so the same leak audit applies) with a README that gives
the time budget and the rules, zipped. The report, written when the returned folder is graded, says per kata the
score, which hidden tests failed and why, the time the graders took, any forbidden-API or integrity finding, and
a short summary a hiring panel can read.
"""

from __future__ import annotations

import html
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from mlkata.catalog import Catalog
from mlkata.release import build_release
from mlkata.results import LearnerResult

CANDIDATE_README = """\
# Take-home: {title}

You have **{hours:g} hours** from the moment you open this bundle. Solve as many of the katas below as you can;
partial solutions earn partial credit, and hidden tests check much more than the visible ones.

## Rules

- Edit only `katas/<topic>/<id>/<id>.py`, one file per kata. Keep every function and class name of the stub.
- Use only the libraries each kata's README allows; a kata that uses a forbidden API scores 0.
- Randomness comes only from the generator you are given; never from global random state.
- Your code is run in a sandbox without network access, with time and memory limits per call.
- Work on your own. Return the whole folder (zipped) when the time is up.

## Set up and check your work

```bash
python3 -m pip install -e .
mlkata status            # every kata, with the visible tests that pass
mlkata check KATA_ID     # one kata's visible tests
pytest                   # all visible tests
```

## The katas

{table}
"""


def build_takehome(catalog: Catalog, kata_ids: Sequence[str], hours: float, out: Path, *, title: str) -> Path:
    """Write the candidate bundle (a zip) for ``kata_ids``; the release's leak audit runs on its contents."""
    if not kata_ids:
        raise ValueError("choose at least one kata (--kata)")
    if hours <= 0:
        raise ValueError("the time budget must be positive (--hours)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "takehome"
        katas = build_release(catalog, folder, kata_ids, title=title)
        table = "\n".join(f"{i}. `{k.id}`: {k.title} ({k.points:g} points)" for i, k in enumerate(katas, 1))
        (folder / "README.md").write_text(
            CANDIDATE_README.format(title=title, hours=hours, table=table), encoding="utf-8"
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, Path("takehome") / path.relative_to(folder))
        shutil.rmtree(folder)
    return out


def _findings(result: LearnerResult) -> list[str]:
    return [f"{k.kata}: {k.status}: {k.message.splitlines()[0]}" for k in result.katas
            if k.status in ("rejected", "error", "timeout") and k.message]  # fmt: skip


def summary(result: LearnerResult) -> str:
    solved = [k.kata for k in result.katas if k.status == "passed"]
    pct = 100 * result.score / result.max_score if result.max_score else 0.0
    text = (f"{result.learner} scored {result.score:g} of {result.max_score:g} points ({pct:.0f}%), "
            f"solving {len(solved)} of {len(result.katas)} katas completely.")  # fmt: skip
    partial = [k for k in result.katas if k.status != "passed" and k.score > 0]
    if partial:
        text += (
            " Partly solved: " + ", ".join(f"{k.kata} ({k.score:g}/{k.max_score:g})" for k in partial) + "."
        )
    findings = _findings(result)
    if findings:
        text += f" {len(findings)} kata(s) were stopped by the grader (see the findings)."
    return text


def report_markdown(result: LearnerResult) -> str:
    lines = [f"# Candidate report: {result.learner}", "", summary(result), "",
             "| kata | score | status | grading time |", "| --- | --- | --- | --- |"]  # fmt: skip
    for kata in result.katas:
        lines.append(
            f"| `{kata.kata}` | {kata.score:g} / {kata.max_score:g} | {kata.status} | {kata.duration_s:.1f} s |"
        )
    findings = _findings(result)
    lines += ["", "## Forbidden-API and integrity findings", ""]
    lines += [f"- {f}" for f in findings] or ["None."]
    for kata in result.katas:
        failed = [t for t in kata.tests if t.status != "passed"]
        if not failed:
            continue
        lines += ["", f"## {kata.kata}: failed hidden tests", ""]
        for test in failed:
            lines += [
                f"- `{test.name}` ({test.max_score:g} points): " + " ".join(test.message.splitlines()[:3])
            ]
    return "\n".join(lines) + "\n"


def report_html(result: LearnerResult) -> str:
    rows = "".join(
        f"<tr><td><code>{html.escape(k.kata)}</code></td><td>{k.score:g} / {k.max_score:g}</td>"
        f"<td>{html.escape(k.status)}</td><td>{k.duration_s:.1f} s</td></tr>"
        for k in result.katas
    )
    findings = "".join(f"<li>{html.escape(f)}</li>" for f in _findings(result)) or "<li>None.</li>"
    failed = "".join(
        f"<h3>{html.escape(k.kata)}</h3><ul>"
        + "".join(f"<li><code>{html.escape(t.name)}</code>: <pre>{html.escape(t.message)}</pre></li>"
                  for t in k.tests if t.status != "passed")
        + "</ul>"
        for k in result.katas if any(t.status != "passed" for t in k.tests)
    )  # fmt: skip
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Candidate report: {html.escape(result.learner)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto}"
        "td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}pre{white-space:pre-wrap}</style>"
        f"</head><body><h1>Candidate report: {html.escape(result.learner)}</h1><p>{html.escape(summary(result))}</p>"
        f"<table><tr><th>kata</th><th>score</th><th>status</th><th>grading time</th></tr>{rows}</table>"
        f"<h2>Forbidden-API and integrity findings</h2><ul>{findings}</ul><h2>Failed hidden tests</h2>{failed}"
        "</body></html>\n"
    )


def write_report(result: LearnerResult, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "candidate-report.md", out / "candidate-report.html"]
    paths[0].write_text(report_markdown(result), encoding="utf-8")
    paths[1].write_text(report_html(result), encoding="utf-8")
    return paths
