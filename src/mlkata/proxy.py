"""The grader's side of the boundary: one proxy object through which graders reach learner code.

``learner.f1_score(y_true, y_pred)`` sends the call to wherever the learner's module lives (a confined worker
process, or, for the suite's own trusted references, this process) and returns what came back, rebuilt from plain
data by the codec. Constructors return ``RemoteObject`` handles whose methods and attributes work the same way.
Learner exceptions are re-raised here as their built-in type (so ``pytest.raises(ValueError)`` works) mixed with
``LearnerError``; timeouts, crashes, exits and memory exhaustion become ``LearnerFault`` and are recorded in the
``FaultLog`` that decides the kata's verdict.
"""

from __future__ import annotations

import json
import socket
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from mlkata import wire
from mlkata.codec import CodecError, Decoder, Encoder
from mlkata.reprs import call_repr
from mlkata.worker.learner_side import LearnerSide, exception_payload, nearest_builtin

Message = dict[str, Any]
MAX_TIMEOUTS = 2
MAX_RESTARTS = 5


class LearnerError(Exception):
    """Mixed into every exception re-raised from learner code."""

    learner_type: str = ""
    learner_traceback: str = ""
    call: str = ""


class LearnerFault(Exception):
    """Learner code timed out, crashed, exited, ran out of memory, or could not be loaded."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class UngradableValue(AssertionError):
    """Learner code returned something that cannot cross the boundary as plain data."""


_exception_classes: dict[type[BaseException], type[BaseException]] = {}


def learner_exception(payload: Message, call: str) -> BaseException:
    """Rebuild a learner exception as its nearest built-in type, marked with ``LearnerError``."""
    if payload.get("type") == "UngradableValue":
        return UngradableValue(f"{call} returned a value that cannot be graded: {payload.get('message')}")
    base = nearest_builtin(payload.get("mro"), Exception, Exception)
    cls = _exception_classes.get(base)
    if cls is None:
        cls = type(base.__name__, (base, LearnerError), {"__module__": "learner"})
        _exception_classes[base] = cls
    exc = cls(str(payload.get("message", "")))
    exc.learner_type = str(payload.get("type", base.__name__))  # type: ignore[attr-defined]
    exc.learner_traceback = str(payload.get("traceback", ""))  # type: ignore[attr-defined]
    exc.call = call  # type: ignore[attr-defined]
    return exc


@dataclass
class FaultLog:
    """What went wrong on the learner side during one kata's grading; it decides the verdict."""

    faults: list[Message] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    load_error: Message | None = None
    timeouts: int = 0
    restarts: int = 0

    def fault(self, kind: str, message: str) -> None:
        self.faults.append({"kind": kind, "message": message})
        if kind == "timeout":
            self.timeouts += 1

    def violation(self, what: str) -> None:
        if what not in self.violations:
            self.violations.append(what)


class Transport(Protocol):
    def exchange(
        self, message: Message, on_callback: Callable[[Message], Message], timeout: float
    ) -> Message: ...

    def close(self) -> None: ...


class SocketTransport:
    """A session with a forked worker child, over the worker zygote's Unix socket."""

    def __init__(self, path: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)

    def exchange(
        self, message: Message, on_callback: Callable[[Message], Message], timeout: float
    ) -> Message:
        deadline = time.monotonic() + timeout
        wire.send(self.sock, message)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._timeout(timeout)
            self.sock.settimeout(remaining)
            try:
                reply = wire.recv(self.sock)
            except TimeoutError:
                raise self._timeout(timeout) from None
            except wire.WireError as exc:
                self.close()
                raise LearnerFault("crash", f"your code's process ended without an answer ({exc})") from None
            if type(reply) is not dict:
                self.close()
                raise LearnerFault("crash", "your code's process sent something that is not an answer")
            if "died" in reply:
                self.close()
                raise _death_fault(reply["died"])
            if "callback" in reply:
                started = time.monotonic()
                answer = on_callback(reply["callback"])
                deadline += time.monotonic() - started  # the grader's own time does not count
                wire.send(self.sock, answer)
                continue
            return reply

    def _timeout(self, timeout: float) -> LearnerFault:
        self.close()  # the zygote sees the hang-up and kills the session's process group
        return LearnerFault("timeout", f"your code did not answer within {timeout:g} s (time limit)")

    def close(self) -> None:
        self.sock.close()


def _death_fault(died: Any) -> LearnerFault:
    signal_name = died.get("signal") if isinstance(died, dict) else None
    if signal_name in ("SIGXCPU",):
        return LearnerFault("timeout", "your code used up its CPU time limit")
    if signal_name == "SIGKILL":
        return LearnerFault("memory", "your code's process was killed (memory or time limit)")
    if signal_name == "SIGSEGV":
        return LearnerFault("crash", "your code crashed the interpreter (segmentation fault)")
    if signal_name:
        return LearnerFault("crash", f"your code's process was killed by {signal_name}")
    code = died.get("exitcode") if isinstance(died, dict) else None
    return LearnerFault("exit", f"your code ended its process (exit status {code}), e.g. with os._exit")


def _json_copy(message: Any) -> Any:
    return json.loads(json.dumps(message, allow_nan=False))


class InProcessTransport:
    """Serves trusted code (references, mutants) in this process, through the same messages and codec."""

    def __init__(self) -> None:
        self._on_callback: Callable[[Message], Message] | None = None
        self.side = LearnerSide(callback=self._callback)

    def _callback(self, message: Message) -> Message:
        assert self._on_callback is not None
        answer: Message = _json_copy(self._on_callback(_json_copy(message["callback"])))
        return answer

    def exchange(
        self, message: Message, on_callback: Callable[[Message], Message], timeout: float
    ) -> Message:
        self._on_callback = on_callback
        reply: Message = _json_copy(self.side.handle(_json_copy(message)))
        return reply

    def close(self) -> None:
        self.side = LearnerSide(callback=self._callback)


class Learner:
    """The grader's handle on one submission of one kata (the ``learner`` fixture).

    Parameters
    ----------
    load : dict
        The ``load`` request: source, filename, module name, exports, forbidden APIs, limits.
    connect : callable
        Opens a new session (a ``Transport``); called again after a crash or timeout.
    time_limit_s : float
        Wall-time limit for each call into learner code.
    """

    def __init__(
        self, load: Message, connect: Callable[[], Transport], time_limit_s: float, log: FaultLog
    ) -> None:
        self._load_request = load
        self._connect = connect
        self._time_limit = time_limit_s
        self._exports = frozenset(load.get("exports", ()))
        self._transport: Transport | None = None
        self._generation = 0
        self._callbacks: dict[int, Callable[..., Any]] = {}
        self.log = log
        self.last_call = ""

    # -- session ------------------------------------------------------------------------------------------

    def ensure_loaded(self) -> Transport:
        if self._transport is not None:
            return self._transport
        if self.log.load_error is not None:
            raise LearnerFault("load", self.log.load_error["message"])
        if self.log.timeouts >= MAX_TIMEOUTS:
            raise LearnerFault(
                "timeout", f"not run: your code already timed out {self.log.timeouts} times in this kata"
            )
        if self.log.restarts >= MAX_RESTARTS:
            raise LearnerFault("crash", "not run: your code's process ended too many times in this kata")
        transport = self._connect()
        if self._generation:
            self.log.restarts += 1
        self._generation += 1
        reply = self._checked(transport, self._load_request, self._time_limit * 3)
        if "load_error" in reply:
            self.log.load_error = _describe_load_error(reply["load_error"], self._load_request["filename"])
            transport.close()
            raise LearnerFault("load", self.log.load_error["message"])
        self._transport = transport
        return transport

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def _checked(self, transport: Transport, message: Message, timeout: float) -> Message:
        try:
            reply = transport.exchange(message, self._answer_callback, timeout)
        except LearnerFault as fault:
            self._transport = None
            self.log.fault(fault.kind, str(fault))
            raise
        for what in reply.get("violations", []) or []:
            self.log.violation(str(what))
        for record in reply.get("warnings", []) or []:
            _reemit(record)
        if "fault" in reply:
            reported = LearnerFault(
                reply["fault"].get("kind", "crash"), reply["fault"].get("message", "fault")
            )
            self.log.fault(reported.kind, str(reported))
            raise reported
        return reply

    # -- calls --------------------------------------------------------------------------------------------

    def __getattr__(self, name: str) -> RemoteFunction:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._exports:
            raise AttributeError(
                f"'{name}' is not one of this kata's exports ({', '.join(sorted(self._exports))})"
            )
        return RemoteFunction(self, name)

    def invoke(self, request: Message, args: tuple[Any, ...], kwargs: dict[str, Any], label: str) -> Any:
        self.last_call = label
        transport = self.ensure_loaded()
        generators: list[np.random.Generator] = []
        encoder = Encoder(ref=self._handle_for, fn=self._register_callback, rng=generators.append)
        try:
            message = {**request, "args": encoder.encode(list(args)), "kwargs": encoder.encode(kwargs)}
        except CodecError as exc:
            raise TypeError(f"grader bug: cannot send {label}: {exc}") from None
        reply = self._checked(transport, message, self._time_limit)
        for generator, state in zip(generators, reply.get("rngs", []) or [], strict=False):
            new_state = Decoder().decode(state)
            if (
                isinstance(new_state, dict)
                and new_state.get("bit_generator") == generator.bit_generator.state["bit_generator"]
            ):
                generator.bit_generator.state = new_state
        return self._result(reply, label)

    def getattr_remote(self, ref: int, generation: int, name: str, owner_label: str) -> Any:
        label = f"{owner_label}.{name}"
        self.last_call = label
        transport = self._live(generation, label)
        reply = self._checked(transport, {"op": "getattr", "ref": ref, "name": name}, self._time_limit)
        if reply.get("callable"):
            return RemoteMethod(self, ref, generation, name, owner_label)
        return self._result(reply, label)

    def setattr_remote(self, ref: int, generation: int, name: str, value: Any, owner_label: str) -> None:
        label = f"{owner_label}.{name} = ..."
        self.last_call = label
        transport = self._live(generation, label)
        encoded = Encoder(ref=self._handle_for).encode(value)
        reply = self._checked(
            transport, {"op": "setattr", "ref": ref, "name": name, "value": encoded}, self._time_limit
        )
        self._result(reply, label)

    def _live(self, generation: int, label: str) -> Transport:
        transport = self.ensure_loaded()
        if generation != self._generation:
            raise LearnerFault(
                "crash", f"{label}: this object was lost when your code's process ended earlier"
            )
        return transport

    def _result(self, reply: Message, label: str) -> Any:
        if "raise" in reply:
            raise learner_exception(reply["raise"], label)
        if "ok" not in reply:
            raise LearnerFault("crash", f"{label}: your code's process sent an answer without a value")
        try:
            return Decoder(ref=lambda body: self._remote_object(body, label)).decode(reply["ok"])
        except CodecError as exc:
            raise UngradableValue(f"{label} returned a value that cannot be graded: {exc}") from None

    def _remote_object(self, body: Any, label: str) -> RemoteObject:
        if type(body) is not list or len(body) != 2 or type(body[0]) is not int or type(body[1]) is not str:
            raise CodecError("bad object handle")
        return RemoteObject(self, body[0], self._generation, body[1], label)

    def _handle_for(self, obj: Any) -> Any:
        if isinstance(obj, RemoteObject):
            return {"$ref": [object.__getattribute__(obj, "_ref"), object.__getattribute__(obj, "_type")]}
        return None

    def _register_callback(self, fn: Callable[..., Any]) -> Any:
        fn_id = len(self._callbacks) + 1
        self._callbacks[fn_id] = fn
        return {"$fn": [fn_id, getattr(fn, "__name__", "function")]}

    def _answer_callback(self, request: Message) -> Message:
        """Run a grader function that learner code called, on arguments rebuilt from plain data."""
        fn = self._callbacks.get(request.get("fn", -1)) if isinstance(request, dict) else None
        if fn is None:
            return {"raise": {"type": "RuntimeError", "mro": ["RuntimeError"], "message": "unknown function"}}
        try:
            decoder = Decoder(ref=lambda body: self._remote_object(body, "argument"))
            args = decoder.decode(request.get("args", []))
            kwargs = decoder.decode(request.get("kwargs", {"$d": []}))
            result = fn(*args, **kwargs)
            return {"ok": Encoder(ref=self._handle_for).encode(result)}
        except Exception as exc:
            return {"raise": exception_payload(exc, filename="<no grader frames>")}


class RemoteFunction:
    def __init__(self, learner: Learner, name: str) -> None:
        self._learner = learner
        self.__name__ = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        label = call_repr(self.__name__, args, kwargs)
        return self._learner.invoke({"op": "call", "name": self.__name__}, args, kwargs, label)

    def with_grad(self, *args: Any, wrt: tuple[int, ...], grad_output: Any = None, **kwargs: Any) -> Any:
        """Call a torch function of the learner and backpropagate through it on the learner's side.

        Returns ``(result, grads)``: the result tensor, and the gradient of ``sum(result * grad_output)``
        (``grad_output`` defaults to ones) with respect to each positional argument listed in ``wrt``.
        """
        label = call_repr(self.__name__, args, kwargs) + ".backward()"
        encoded = None if grad_output is None else Encoder().encode(grad_output)
        request = {"op": "call", "name": self.__name__, "grad": {"wrt": list(wrt), "grad_output": encoded}}
        return self._learner.invoke(request, args, kwargs, label)

    def __repr__(self) -> str:
        return f"<learner function {self.__name__}>"


class RemoteMethod:
    def __init__(self, learner: Learner, ref: int, generation: int, name: str, owner_label: str) -> None:
        self._learner = learner
        self._ref = ref
        self._generation = generation
        self.__name__ = name
        self._owner_label = owner_label

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        label = f"{self._owner_label}.{call_repr(self.__name__, args, kwargs)}"
        self._learner._live(self._generation, label)
        return self._learner.invoke(
            {"op": "call", "ref": self._ref, "name": self.__name__}, args, kwargs, label
        )


class RemoteObject:
    """An object that lives in learner code (an instance of a learner's class)."""

    __slots__ = ("_generation", "_label", "_learner", "_ref", "_type")

    def __init__(self, learner: Learner, ref: int, generation: int, type_name: str, label: str) -> None:
        object.__setattr__(self, "_learner", learner)
        object.__setattr__(self, "_ref", ref)
        object.__setattr__(self, "_generation", generation)
        object.__setattr__(self, "_type", type_name)
        object.__setattr__(self, "_label", label)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._learner.getattr_remote(self._ref, self._generation, name, self._label)

    def __setattr__(self, name: str, value: Any) -> None:
        self._learner.setattr_remote(self._ref, self._generation, name, value, self._label)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the object itself (a layer's ``__call__``), as learner code would."""
        return RemoteMethod(self._learner, self._ref, self._generation, "__call__", self._label)(
            *args, **kwargs
        )

    def __repr__(self) -> str:
        return f"<{self._type} from {self._label}>"


def _reemit(record: Any) -> None:
    if not isinstance(record, dict):
        return
    category = nearest_builtin(record.get("mro"), Warning, UserWarning)
    warnings.warn(str(record.get("message", "")), category, stacklevel=4)


def _describe_load_error(error: Message, filename: str) -> Message:
    kind = error.get("kind", "crash")
    if kind == "syntax":
        message = f"syntax error in {filename}, line {error.get('line')}: {error.get('message')}"
    elif kind == "missing":
        names = error.get("names", [])
        message = f"{filename} does not define {', '.join(names)}; keep every name of the stub"
    elif kind == "import":
        message = (
            f"{filename} could not be imported: {error.get('type')}: {error.get('message')}. "
            "The grading environment does not have that module; use only the kata's allowed libraries."
        )
    elif kind == "forbidden":
        message = f"{filename} imports an API this kata forbids: {error.get('message')}"
    elif kind in ("exit", "memory"):
        message = f"while importing {filename}: {error.get('message')}"
    else:
        message = f"importing {filename} raised {error.get('type')}: {error.get('message')}"
        if error.get("traceback"):
            message += "\n" + str(error["traceback"])
    return {"kind": kind, "message": message, "line": error.get("line")}
