"""The learner side of the boundary: loads a submission and answers the grader's requests with plain data.

One ``LearnerSide`` serves one submission of one kata. It runs in the confined worker process for untrusted
code, and in the grader's own process for the suite's checks of references and mutants (trusted code), so both
backends behave alike: the same codec, the same warnings, the same tripwires.

Requests (dicts): ``load``, ``call`` (a module function or a method of a remote object), ``getattr``,
``setattr``, ``release``. Replies carry ``ok`` (an encoded value), ``callable`` (a method, to be called next),
``raise`` (an exception the learner's code raised) or ``fault`` (the code exited or ran out of memory), and with
every reply the ``warnings`` it emitted, the new state of each random generator it was given (``rngs``), and the
forbidden APIs it touched (``violations``).
"""

from __future__ import annotations

import builtins
import inspect
import sys
import traceback
import types
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from mlkata.codec import CodecError, Decoder, Encoder, make_generator
from mlkata.worker.tripwires import ForbiddenAPIError, Tripwires

Message = dict[str, Any]
T = TypeVar("T")
MAX_TEXT = 4000


def exception_payload(
    exc: BaseException, filename: str | None = None, source_lines: list[str] | None = None
) -> Message:
    """Describe an exception as plain data, keeping only the frames of ``filename`` in its traceback."""
    try:
        message = str(exc)[:MAX_TEXT]
    except Exception:  # a learner exception whose __str__ itself fails
        message = f"<{type(exc).__name__} with an unprintable message>"
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        if filename is not None and frame.filename != filename:
            continue
        line = frame.line or ""
        if not line and source_lines and frame.lineno and 0 < frame.lineno <= len(source_lines):
            line = source_lines[frame.lineno - 1].strip()
        frames.append(f"  line {frame.lineno}, in {frame.name}\n    {line}".rstrip())
    return {
        "type": type(exc).__name__,
        "mro": [cls.__name__ for cls in type(exc).__mro__],
        "message": message,
        "traceback": "\n".join(frames[-8:]),
        "line": _last_line(exc, filename),
    }


def _last_line(exc: BaseException, filename: str | None) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if filename is None or frame.filename == filename:
            line = frame.lineno
    return line


class LearnerSide:
    """Serves one submission.

    Parameters
    ----------
    callback : callable, optional
        Sends a message to the grader and returns its answer; used when learner code calls a function
        the grader passed in (an objective, a model factory).
    """

    def __init__(self, callback: Callable[[Message], Message] | None = None) -> None:
        self.module: types.ModuleType | None = None
        self.module_name = ""
        self.filename = ""
        self.source_lines: list[str] = []
        self.refs: dict[int, Any] = {}
        self._next_ref = 1
        self.tripwires = Tripwires((), ())
        self._callback = callback
        self._generators: list[np.random.Generator] = []
        self._warnings: list[Message] = []
        self.encoder = Encoder(ref=self._ref_for)

    # -- dispatch -----------------------------------------------------------------------------------------

    def handle(self, request: Message) -> Message:
        op = request.get("op")
        self._generators = []
        self._warnings = []
        try:
            if op == "load":
                reply = self._load(request)
            elif op == "call":
                reply = self._call(request)
            elif op == "getattr":
                reply = self._getattr(request)
            elif op == "setattr":
                reply = self._setattr(request)
            elif op == "release":
                for ref in request.get("refs", []):
                    self.refs.pop(ref, None)
                reply = {"ok": None}
            else:
                reply = {"fault": {"kind": "protocol", "message": f"unknown request {op!r}"}}
        except CodecError as exc:
            reply = {
                "raise": {
                    "type": "UngradableValue",
                    "mro": ["UngradableValue"],
                    "message": str(exc),
                    "traceback": "",
                    "line": None,
                }
            }
        reply["warnings"] = self._warnings
        reply["violations"] = self.tripwires.take_violations()
        return reply

    # -- load ---------------------------------------------------------------------------------------------

    def _load(self, request: Message) -> Message:
        source: str = request["source"]
        self.filename = request["filename"]
        self.module_name = request["module"]
        self.source_lines = source.splitlines()
        self.tripwires = Tripwires(request.get("forbidden_imports", ()), request.get("forbidden_calls", ()))
        try:
            code = compile(source, self.filename, "exec", dont_inherit=True)
        except SyntaxError as exc:
            return {"load_error": {"kind": "syntax", "line": exc.lineno, "message": exc.msg}}
        module = types.ModuleType(self.module_name)
        module.__file__ = self.filename
        sys.modules[self.module_name] = module
        outcome = self._run(lambda: exec(code, module.__dict__))
        if "raise" in outcome:
            payload = outcome["raise"]
            kind = "import" if payload["type"] in ("ModuleNotFoundError", "ImportError") else "crash"
            if payload["type"] == "ForbiddenAPIError":
                kind = "forbidden"
            return {"load_error": {"kind": kind, **payload}}
        if "fault" in outcome:
            return {"load_error": outcome["fault"]}
        self.module = module
        missing = [name for name in request.get("exports", ()) if not hasattr(module, name)]
        if missing:
            return {
                "load_error": {
                    "kind": "missing",
                    "names": missing,
                    "message": f"{', '.join(missing)} not defined in your module",
                }
            }
        return {"ok": None}

    # -- calls --------------------------------------------------------------------------------------------

    def _target(self, request: Message) -> Any:
        ref = request.get("ref")
        if ref is None:
            if self.module is None:
                raise CodecError("no module loaded")
            return self.module
        if ref not in self.refs:
            raise CodecError("that object no longer exists on the learner side")
        return self.refs[ref]

    def _decoder(self) -> Decoder:
        return Decoder(ref=self._deref, fn=self._make_callback, rng=self._make_generator)

    def _call(self, request: Message) -> Message:
        owner = self._target(request)
        decoder = self._decoder()
        args = decoder.decode(request.get("args", []))
        kwargs = decoder.decode(request.get("kwargs", {"$d": []}))
        if type(args) is not list or type(kwargs) is not dict:
            raise CodecError("bad call")
        name = request["name"]
        grad = request.get("grad")
        # Looking the callable up and calling it are one run of learner code: tripwires are armed once per call.
        if grad is not None:
            outcome = self._run(
                lambda: _call_with_grad(getattr(owner, name), args, kwargs, grad, self._decoder())
            )
        else:
            outcome = self._run(lambda: getattr(owner, name)(*args, **kwargs))
        if "ok" in outcome:
            outcome["ok"] = self.encoder.encode(outcome["ok"])
        outcome["rngs"] = [self.encoder.encode(g.bit_generator.state) for g in self._generators]
        return outcome

    def _getattr(self, request: Message) -> Message:
        owner = self._target(request)
        outcome = self._run(lambda: getattr(owner, request["name"]))
        if "ok" in outcome:
            value = outcome["ok"]
            if inspect.isroutine(value) or (callable(value) and isinstance(value, type)):
                return {"callable": True}
            outcome["ok"] = self.encoder.encode(value)
        return outcome

    def _setattr(self, request: Message) -> Message:
        owner = self._target(request)
        value = self._decoder().decode(request["value"])
        outcome = self._run(lambda: setattr(owner, request["name"], value))
        if "ok" in outcome:
            outcome["ok"] = None
        return outcome

    def _run(self, thunk: Callable[[], Any]) -> Message:
        """Run learner code with tripwires armed and warnings recorded; classify how it ended."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with self.tripwires.armed():
                    value = thunk()
            except SystemExit as exc:
                return {"fault": {"kind": "exit", "message": f"your code called sys.exit({exc.code!r})"}}
            except KeyboardInterrupt:
                return {"fault": {"kind": "exit", "message": "your code raised KeyboardInterrupt"}}
            except MemoryError:
                return {"fault": {"kind": "memory", "message": "your code ran out of memory (MemoryError)"}}
            except ForbiddenAPIError as exc:
                return {"raise": exception_payload(exc, self.filename, self.source_lines)}
            except Exception as exc:
                return {"raise": exception_payload(exc, self.filename, self.source_lines)}
            finally:
                self._warnings.extend(self._warning_payload(w) for w in caught[:20])
        return {"ok": value}

    def _warning_payload(self, record: warnings.WarningMessage) -> Message:
        category = record.category if isinstance(record.category, type) else UserWarning
        return {
            "mro": [cls.__name__ for cls in category.__mro__],
            "message": str(record.message)[:MAX_TEXT],
            "line": record.lineno if record.filename == self.filename else None,
        }

    # -- handles ------------------------------------------------------------------------------------------

    def _ref_for(self, obj: Any) -> Any:
        if not self._shareable(obj):
            return None
        for ref, held in self.refs.items():
            if held is obj:
                return {"$ref": [ref, type(obj).__name__]}
        ref = self._next_ref
        self._next_ref += 1
        self.refs[ref] = obj
        return {"$ref": [ref, type(obj).__name__]}

    def _shareable(self, obj: Any) -> bool:
        if type(obj).__module__ == self.module_name:
            return True
        torch = sys.modules.get("torch")
        return torch is not None and isinstance(obj, torch.nn.Module)

    def _deref(self, body: Any) -> Any:
        if type(body) is not list or len(body) != 2 or body[0] not in self.refs:
            raise CodecError("unknown object handle")
        return self.refs[body[0]]

    def _make_generator(self, state: Any) -> np.random.Generator:
        generator = make_generator(state)
        self._generators.append(generator)
        return generator

    def _make_callback(self, body: Any) -> Callable[..., Any]:
        if type(body) is not list or len(body) != 2 or type(body[0]) is not int:
            raise CodecError("bad function handle")
        fn_id, name = body
        side = self

        def grader_function(*args: Any, **kwargs: Any) -> Any:
            if side._callback is None:
                raise RuntimeError("no grader to call back")
            encoder = Encoder(ref=side._ref_for)
            reply = side._callback(
                {
                    "callback": {
                        "fn": fn_id,
                        "args": encoder.encode(list(args)),
                        "kwargs": encoder.encode(kwargs),
                    }
                }
            )
            if "ok" in reply:
                return side._decoder().decode(reply["ok"])
            payload = reply.get("raise", {})
            raise nearest_builtin(payload.get("mro"), Exception, RuntimeError)(
                payload.get("message", "the grader's function failed")
            )

        grader_function.__name__ = str(name)
        return grader_function


def _call_with_grad(
    target: Any, args: list[Any], kwargs: dict[str, Any], grad: Message, decoder: Decoder
) -> Any:
    """Call ``target`` and backpropagate through what it returns, here where the autograd graph lives.

    ``grad["wrt"]`` lists the positions of the tensor arguments to differentiate with respect to;
    ``grad["grad_output"]`` (encoded; ones when absent) is the gradient flowing into the result.
    Returns ``(result, (grad_arg_i, ...))``; an argument the result does not depend on gets zeros.
    """
    import torch

    wrt = grad.get("wrt", [])
    if type(wrt) is not list or not all(type(i) is int and 0 <= i < len(args) for i in wrt):
        raise CodecError("bad gradient request")
    inputs = []
    for i in wrt:
        if not isinstance(args[i], torch.Tensor) or not args[i].is_floating_point():
            raise CodecError(f"argument {i} is not a floating-point tensor")
        args[i] = args[i].detach().requires_grad_(True)
        inputs.append(args[i])
    result = target(*args, **kwargs)
    if not isinstance(result, torch.Tensor):
        raise TypeError(f"expected your function to return a tensor, got {type(result).__name__}")
    encoded = grad.get("grad_output")
    grad_output = torch.ones_like(result) if encoded is None else decoder.decode(encoded).to(result.dtype)
    if not result.requires_grad:
        return result.detach(), tuple(torch.zeros_like(t) for t in inputs)
    grads = torch.autograd.grad(result, inputs, grad_output, allow_unused=True)
    return result.detach(), tuple(
        torch.zeros_like(t) if g is None else g for g, t in zip(grads, inputs, strict=True)
    )


def nearest_builtin(mro: Any, base: type[T], default: type[T]) -> type[T]:
    """The first built-in subclass of ``base`` named in ``mro`` (class names sent across the boundary)."""
    for name in mro if isinstance(mro, list) else ():
        candidate = getattr(builtins, str(name), None)
        if isinstance(candidate, type) and issubclass(candidate, base):
            return candidate
    return default
