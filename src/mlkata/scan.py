"""Static checks of a submission before it runs: syntax, and the forbidden APIs its kata names.

The scan follows import aliases (``import torch.nn.functional as F`` then ``F.dropout``), ``from`` imports, and
the string arguments of ``__import__`` / ``importlib.import_module``. What it cannot see (a name built at run
time) the runtime tripwires catch.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}"


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"syntax error on line {self.line}: {self.message}"


def check_syntax(source: str, filename: str) -> SyntaxProblem | None:
    try:
        compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return SyntaxProblem(line=exc.lineno or 0, message=exc.msg)
    except ValueError as exc:  # null bytes
        return SyntaxProblem(line=0, message=str(exc))
    return None


def _forbidden_module(name: str, forbidden_imports: Sequence[str]) -> bool:
    return any(name == entry or name.startswith(entry + ".") for entry in forbidden_imports)


def _forbidden_call(name: str, forbidden_calls: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in forbidden_calls)


_IMPORT_FUNCTIONS = {"__import__", "importlib.import_module", "importlib.__import__"}


class _Scanner(ast.NodeVisitor):
    def __init__(self, forbidden_imports: Sequence[str], forbidden_calls: Sequence[str]) -> None:
        self.forbidden_imports = forbidden_imports
        self.forbidden_calls = forbidden_calls
        self.aliases: dict[str, str] = {}
        self.findings: list[Finding] = []
        self.imports_done = False

    def _flag(self, node: ast.AST, what: str) -> None:
        finding = Finding(line=getattr(node, "lineno", 0), what=what)
        if finding not in self.findings:
            self.findings.append(finding)

    def _check_name(self, node: ast.AST, dotted: str) -> None:
        if _forbidden_module(dotted, self.forbidden_imports) or _forbidden_call(dotted, self.forbidden_calls):
            self._flag(node, f"uses {dotted}, which this kata forbids")

    def visit_Import(self, node: ast.Import) -> None:
        if self.imports_done:
            return
        for alias in node.names:
            self._check_name(node, alias.name)
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.aliases[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if self.imports_done or node.level or not node.module:
            return
        before = len(self.findings)
        self._check_name(node, node.module)
        module_flagged = len(self.findings) > before
        for alias in node.names:
            if alias.name == "*":
                continue
            full = f"{node.module}.{alias.name}"
            if not module_flagged:
                self._check_name(node, full)
            self.aliases[alias.asname or alias.name] = full

    def _dotted(self, node: ast.AST) -> str | None:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        root = self.aliases.get(node.id)
        if root is None:
            return None
        return ".".join([root, *reversed(parts)])

    # Type annotations name types; they call nothing. `layer: torch.nn.MultiheadAttention` is not a use.
    def visit_arg(self, node: ast.arg) -> None:
        return

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for child in (*node.decorator_list, *node.body, *node.args.defaults, *node.args.kw_defaults):
            if child is not None:
                self.visit(child)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]  # noqa: N815 - ast.NodeVisitor naming

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.target)
        if node.value is not None:
            self.visit(node.value)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        dotted = self._dotted(node)
        if dotted is not None:
            self._check_name(node, dotted)
        else:
            self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else self._dotted(func)
        imports = name in _IMPORT_FUNCTIONS or (isinstance(func, ast.Name) and func.id == "import_module")
        if (
            imports
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            self._check_name(node, node.args[0].value)
        self.generic_visit(node)


def scan_forbidden(
    source: str, forbidden_imports: Sequence[str], forbidden_calls: Sequence[str]
) -> list[Finding]:
    """Find uses of forbidden modules and callables in ``source`` (which must parse)."""
    if not forbidden_imports and not forbidden_calls:
        return []
    scanner = _Scanner(forbidden_imports, forbidden_calls)
    tree = ast.parse(source)
    # Imports first, so that aliases are known wherever they are used; then everything else.
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            scanner.visit(node)
    scanner.imports_done = True
    scanner.visit(tree)
    return sorted(scanner.findings, key=lambda f: f.line)
