"""Runtime tripwires: forbidden modules and callables that record their use while learner code runs.

The static scan (``mlkata.scan``) catches the ordinary ways of using a forbidden API. These catch the rest at run
time, however the learner reached the API: ``importlib``, ``__import__``, ``sys.modules``, ``getattr`` with a
built string, ``eval``/``exec``, or an attribute of a module they imported legitimately. Each use is recorded and
the call fails; the grader turns any record into a ``rejected`` verdict.

Tripwires are armed only while learner code runs, so the grader's own oracle calls (in-process backend) and
library internals between calls are never affected.
"""

from __future__ import annotations

import builtins
import fnmatch
import functools
import importlib
import importlib.abc
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any


class ForbiddenAPIError(ImportError):
    """Raised in learner code that uses an API its kata forbids."""


def _matches_module(name: str, forbidden: Sequence[str]) -> str | None:
    for entry in forbidden:
        if name == entry or name.startswith(entry + "."):
            return entry
    return None


class Tripwires:
    """Guards for one kata's forbidden imports and calls.

    Parameters
    ----------
    forbidden_imports : sequence of str
        Module names; the module and its submodules are forbidden.
    forbidden_calls : sequence of str
        Dotted paths of callables; the last part may be a glob (``torch.nn.functional.dropout*``).
    """

    def __init__(self, forbidden_imports: Sequence[str], forbidden_calls: Sequence[str]) -> None:
        self.forbidden_imports = tuple(forbidden_imports)
        self.forbidden_calls = tuple(forbidden_calls)
        self.violations: list[str] = []
        self.active = False
        self._undo: list[Callable[[], None]] = []
        self._plan: list[tuple[Any, str, Any]] = []
        self._module_plan: list[tuple[str, _ModuleGuard]] = []
        self._planned_for = -1

    def record(self, what: str) -> None:
        if what not in self.violations:
            self.violations.append(what)

    def take_violations(self) -> list[str]:
        found, self.violations = self.violations, []
        return found

    @property
    def empty(self) -> bool:
        return not self.forbidden_imports and not self.forbidden_calls

    # -- arming -------------------------------------------------------------------------------------------

    @contextmanager
    def armed(self) -> Iterator[None]:
        """Arm the tripwires for the duration of a learner call (re-entrant)."""
        if self.empty or self.active:
            yield
            return
        self._install()
        self.active = True
        try:
            yield
        finally:
            self.active = False
            self._uninstall()

    def _install(self) -> None:
        self._patch(builtins, "__import__", self._guard_import(builtins.__import__))
        self._patch(importlib, "import_module", self._guard_import_module(importlib.import_module))
        finder = _BlockingFinder(self)
        sys.meta_path.insert(0, finder)
        self._undo.append(lambda: sys.meta_path.remove(finder))
        # The plan (which modules to guard, which callables to wrap) is built once and rebuilt only when
        # modules were imported since: walking sys.modules on every call costs tens of ms with torch loaded.
        if self._planned_for != len(sys.modules):
            self._plan = self._build_plan()
            self._planned_for = len(sys.modules)
        for name, guard in self._module_plan:
            if name in sys.modules:
                self._patch_mapping(sys.modules, name, guard)
        for owner, attr, replacement in self._plan:
            self._patch(owner, attr, replacement)

    def _build_plan(self) -> list[tuple[Any, str, Any]]:
        plan: list[tuple[Any, str, Any]] = []
        self._module_plan = []
        for name in list(sys.modules):
            module = sys.modules.get(name)
            if (
                module is None
                or isinstance(module, _ModuleGuard)
                or _matches_module(name, self.forbidden_imports) is None
            ):
                continue
            guard = _ModuleGuard(module, self, name)
            entry = _matches_module(name, self.forbidden_imports) or name
            # sys.modules entries are swapped for the forbidden module and its direct children only: each swap
            # costs ~0.2 ms (interpreter caches watch that dict), and torch alone has ~800 submodules. Deeper
            # ones stay reachable through sys.modules by name only, and are still caught by the parent guards.
            if name.count(".") <= entry.count(".") + 1:
                self._module_plan.append((name, guard))
            parent_name, _, child = name.rpartition(".")
            parent = sys.modules.get(parent_name)
            if parent is not None and getattr(parent, child, None) is module:
                plan.append((parent, child, guard))
        for path in self.forbidden_calls:
            plan.extend(self._call_plan(path))
        return plan

    def _uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()

    def _patch(self, owner: Any, attr: str, value: Any) -> None:
        original = owner.__dict__[attr] if attr in getattr(owner, "__dict__", {}) else getattr(owner, attr)
        try:
            setattr(owner, attr, value)
        except (AttributeError, TypeError):
            return  # a read-only attribute of a C type: the static scan is the only check there
        self._undo.append(lambda: setattr(owner, attr, original))

    def _patch_mapping(self, mapping: dict[str, Any], key: str, value: Any) -> None:
        original = mapping[key]
        mapping[key] = value
        self._undo.append(lambda: mapping.__setitem__(key, original))

    def _call_plan(self, path: str) -> list[tuple[Any, str, Any]]:
        owner_path, _, pattern = path.rpartition(".")
        owner = _resolve(owner_path)
        if owner is None:
            return []  # the library is not imported: the import guard covers it
        names = (
            [n for n in dir(owner) if fnmatch.fnmatchcase(n, pattern)]
            if any(c in pattern for c in "*?[")
            else [pattern]
        )
        plan = []
        for name in names:
            target = getattr(owner, name, None)
            if target is None or not callable(target):
                continue
            plan.append((owner, name, self._wrap_callable(target, f"{owner_path}.{name}")))
        return plan

    def _wrap_callable(self, target: Any, label: str) -> Any:
        wires = self

        if isinstance(target, type):
            # A class: subclassing must keep working for library code, so guard construction only.
            try:

                class Guarded(target):  # type: ignore[misc]
                    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
                        if wires.active:
                            wires.record(label)
                            raise ForbiddenAPIError(f"{label} is forbidden in this kata")
                        return super().__new__(cls)

            except TypeError:
                pass  # a class that cannot be subclassed: guard it as a plain callable below
            else:
                Guarded.__name__ = target.__name__
                Guarded.__qualname__ = target.__qualname__
                return Guarded

        @functools.wraps(target)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if wires.active:
                wires.record(label)
                raise ForbiddenAPIError(f"{label} is forbidden in this kata")
            return target(*args, **kwargs)

        return guarded

    def _guard_import(self, original: Callable[..., Any]) -> Callable[..., Any]:
        wires = self

        def guarded_import(
            name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
        ) -> Any:
            if wires.active and level == 0:
                wires.check_import(name)
                for item in fromlist or ():
                    if isinstance(item, str) and item != "*":
                        wires.check_import(f"{name}.{item}", quiet_if_absent=True)
            return original(name, globals, locals, fromlist, level)

        return guarded_import

    def _guard_import_module(self, original: Callable[..., Any]) -> Callable[..., Any]:
        wires = self

        def guarded_import_module(name: str, package: str | None = None) -> Any:
            if wires.active and not name.startswith("."):
                wires.check_import(name)
            return original(name, package)

        return guarded_import_module

    def check_import(self, name: str, *, quiet_if_absent: bool = False) -> None:
        entry = _matches_module(name, self.forbidden_imports)
        if entry is not None:
            self.record(f"import of {name}")
            raise ForbiddenAPIError(f"importing {name} is forbidden in this kata")
        for path in self.forbidden_calls:
            if fnmatch.fnmatchcase(name, path):
                self.record(name)
                raise ForbiddenAPIError(f"{name} is forbidden in this kata")


class _BlockingFinder(importlib.abc.MetaPathFinder):
    def __init__(self, wires: Tripwires) -> None:
        self._wires = wires

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if self._wires.active and _matches_module(fullname, self._wires.forbidden_imports):
            self._wires.record(f"import of {fullname}")
            raise ForbiddenAPIError(f"importing {fullname} is forbidden in this kata")


class _ModuleGuard(types.ModuleType):
    """Stands in for a forbidden module in ``sys.modules`` and on its parent package while armed.

    Its own dunder attributes (``__class__``, ``__name__``) answer normally, so that ``isinstance`` and ``gc``
    walks by library code do not trip it; any other attribute is a use of the module.
    """

    def __init__(self, module: types.ModuleType, wires: Tripwires, name: str) -> None:
        super().__init__(name)
        _GUARDED[id(self)] = (module, wires)

    def __getattribute__(self, attr: str) -> Any:
        if attr.startswith("__") and attr.endswith("__"):
            return object.__getattribute__(self, attr)
        module, wires = _GUARDED[id(self)]
        if wires.active:
            wires.record(f"{module.__name__}.{attr}")
            raise ForbiddenAPIError(f"{module.__name__} is forbidden in this kata")
        return getattr(module, attr)

    def __del__(self) -> None:
        _GUARDED.pop(id(self), None)


_GUARDED: dict[int, tuple[types.ModuleType, Tripwires]] = {}


def _resolve(path: str) -> Any:
    """The object at a dotted path among imported modules, or ``None``."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        module = sys.modules.get(".".join(parts[:cut]))
        if module is None:
            continue
        obj: Any = module
        for attr in parts[cut:]:
            obj = getattr(obj, attr, None)
            if obj is None:
                return None
        return obj
    return None
