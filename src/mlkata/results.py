"""The one canonical result: per test, per kata, per learner. Every output format is made from these."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

KataStatus = Literal["passed", "failed", "error", "timeout", "rejected"]
TestStatus = Literal["passed", "failed"]
STATUSES: tuple[str, ...] = ("passed", "failed", "error", "timeout", "rejected")


@dataclass
class TestResult:
    __test__ = False  # a result, not a pytest test class

    name: str
    task: str
    score: float
    max_score: float
    status: TestStatus
    message: str = ""
    duration_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class KataResult:
    kata: str
    score: float
    max_score: float
    status: KataStatus
    duration_s: float
    tests: list[TestResult] = field(default_factory=list)
    message: str = ""
    submission_sha256: str = ""
    environment: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"] = round(self.score, 6)
        data["duration_s"] = round(self.duration_s, 3)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KataResult:
        tests = [TestResult(**t) for t in data.get("tests", [])]
        return cls(**{**data, "tests": tests})


@dataclass
class LearnerResult:
    learner: str
    katas: list[KataResult]

    @property
    def score(self) -> float:
        return sum(k.score for k in self.katas)

    @property
    def max_score(self) -> float:
        return sum(k.max_score for k in self.katas)

    def to_dict(self) -> dict[str, Any]:
        return {
            "learner": self.learner,
            "score": round(self.score, 6),
            "max_score": self.max_score,
            "katas": [k.to_dict() for k in self.katas],
        }
