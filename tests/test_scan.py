"""The static scan: syntax, and forbidden APIs however they are spelled."""

from __future__ import annotations

import pytest

from mlkata.scan import check_syntax, scan_forbidden

IMPORTS = ("sklearn.metrics",)
CALLS = ("torch.nn.functional.*dropout*", "numpy.polyfit")


@pytest.mark.parametrize(
    "source",
    [
        "import sklearn.metrics",
        "import sklearn.metrics as m",
        "from sklearn.metrics import f1_score",
        "from sklearn import metrics",
        "import sklearn\nsklearn.metrics.f1_score([1], [1])",
        "import importlib\nimportlib.import_module('sklearn.metrics')",
        "from importlib import import_module\nimport_module('sklearn.metrics.pairwise')",
        "__import__('sklearn.metrics')",
        "import torch.nn.functional as F\ndef f(x):\n    return F.dropout(x)",
        "from torch.nn import functional\nfunctional.alpha_dropout",
        "from torch.nn.functional import dropout2d",
        "import numpy as np\nnp.polyfit([1], [1], 1)",
        "from numpy import polyfit as pf",
    ],
)
def test_forbidden_uses_are_found(source):
    assert scan_forbidden(source, IMPORTS, CALLS), source


@pytest.mark.parametrize(
    "source",
    [
        "import sklearn.preprocessing",
        "from sklearn.model_selection import KFold",
        "import numpy as np\nnp.polyval([1], 2)",
        "import torch.nn.functional as F\nF.relu",
        "x = 'sklearn.metrics'  # a string that is not imported",
        "def metrics(): pass\nmetrics()",
    ],
)
def test_allowed_code_is_not_flagged(source):
    assert scan_forbidden(source, IMPORTS, CALLS) == []


def test_findings_carry_line_numbers():
    (finding,) = scan_forbidden("import math\n\nfrom sklearn.metrics import f1_score\n", IMPORTS, CALLS)
    assert finding.line == 3
    assert "sklearn.metrics" in str(finding)


def test_syntax_error_reports_line():
    problem = check_syntax("def f(:\n    pass\n", "k.py")
    assert problem is not None
    assert problem.line == 1
    assert check_syntax("x = 1\n", "k.py") is None


def test_type_annotations_are_not_uses():
    source = (
        "import torch\n"
        "def f(layer: torch.nn.MultiheadAttention) -> torch.nn.MultiheadAttention:\n"
        "    x: torch.nn.MultiheadAttention = layer\n"
        "    return x\n"
    )
    assert scan_forbidden(source, (), ("torch.nn.MultiheadAttention*",)) == []
    assert scan_forbidden(
        source + "torch.nn.MultiheadAttention(4, 2)\n", (), ("torch.nn.MultiheadAttention*",)
    )


def test_uses_inside_functions_and_defaults_are_found():
    source = "import numpy as np\ndef f(x, g=np.polyfit):\n    return np.polyfit(x, x, 1)\n"
    findings = scan_forbidden(source, (), ("numpy.polyfit",))
    assert [f.line for f in findings] == [2, 3]
