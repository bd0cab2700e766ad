"""JUnit XML, for any CI dashboard: one testsuite per kata, one testcase per hidden test."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mlkata.results import LearnerResult


def to_junit(result: LearnerResult) -> str:
    suites = ET.Element("testsuites", name=f"mlkata {result.learner}")
    for kata in result.katas:
        failures = sum(t.status != "passed" for t in kata.tests)
        errors = int(kata.status in ("error", "timeout", "rejected"))
        suite = ET.SubElement(
            suites, "testsuite", name=kata.kata, tests=str(max(len(kata.tests), 1)), failures=str(failures),
            errors=str(errors), time=f"{kata.duration_s:.3f}",
        )  # fmt: skip
        ET.SubElement(
            ET.SubElement(suite, "properties"),
            "property",
            name="score",
            value=f"{kata.score:g}/{kata.max_score:g}",
        )
        if errors:
            case = ET.SubElement(suite, "testcase", classname=kata.kata, name="verdict")
            ET.SubElement(
                case,
                "error",
                type=kata.status,
                message=kata.message.splitlines()[0] if kata.message else kata.status,
            ).text = kata.message
        for test in kata.tests:
            case = ET.SubElement(
                suite, "testcase", classname=kata.kata, name=test.name, time=f"{test.duration_s:.3f}"
            )
            if test.status != "passed":
                ET.SubElement(
                    case, "failure", message=test.message.splitlines()[0] if test.message else "failed"
                ).text = test.message
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)
