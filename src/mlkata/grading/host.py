"""The grading host: one warm process that grades many jobs, each in a forked child.

``GradingPool`` (the client used by the CLI and the tests) starts ``python -m mlkata.grading.host``, which imports
NumPy, pandas, scikit-learn, torch, pytest and hypothesis once, starts the worker zygote for learner code, and then
forks one child per job (up to ``--jobs`` at a time). Each child runs the job's grader with pytest and sends back
its ``KataResult`` as one JSON line. A child that crashes or overruns its wall limit still yields a result.

The protocol is line-delimited JSON: jobs in on stdin, results out on the host's original stdout (stdout itself is
pointed at /dev/null, so that nothing a library prints can corrupt it).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from mlkata.catalog import load_catalog
from mlkata.environment import versions
from mlkata.grading.job import Backend, Job, run_job
from mlkata.results import KataResult
from mlkata.worker import confine, limits

HEAVY = ("numpy", "pandas", "scipy", "sklearn", "torch", "pytest", "hypothesis")
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
JOB_WALL_LIMIT_S = 600.0
CONFINEMENT = ("auto", "require", "off")


def _shut_down(proc: subprocess.Popen[Any], timeout: float) -> None:
    """Close a child's stdin (its signal to finish), wait up to ``timeout`` s, kill it if needed, close its pipes."""
    if proc.stdin is not None:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def _environ() -> dict[str, str]:
    env = dict(os.environ)
    for var in THREAD_VARS:
        env.setdefault(var, "1")
    return env


class GradingPool:
    """Grades jobs in a warm host process.

    Parameters
    ----------
    root : Path
        The repository (``katas/``, ``graders/``).
    jobs : int
        Jobs graded at once; defaults to the number of cores.
    backend : {"sandbox", "inprocess"}
        ``sandbox`` runs learner code in the confined worker; ``inprocess`` is for trusted code only.
    """

    def __init__(
        self,
        root: Path,
        jobs: int | None = None,
        backend: Backend = "sandbox",
        confinement: str | None = None,
    ) -> None:
        self.root = root
        self.jobs = jobs or os.cpu_count() or 1
        self.backend = backend
        self.confinement = confinement or os.environ.get("MLKATA_CONFINEMENT", "auto")
        if self.confinement not in CONFINEMENT:
            raise ValueError(f"confinement must be one of {', '.join(CONFINEMENT)}, not {self.confinement!r}")
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> GradingPool:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "mlkata.grading.host", "--root", str(self.root), "--jobs", str(self.jobs),
             "--backend", self.backend, "--confinement", self.confinement],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=_environ(),
        )  # fmt: skip
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if line.strip() != "ready":
            _shut_down(self._proc, timeout=0)
            self._proc = None
            raise RuntimeError(f"the grading host did not start (said {line!r}); see its stderr above")
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._proc is None:
            return
        _shut_down(self._proc, timeout=30)
        self._proc = None

    def grade(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, KataResult]]:
        """Grade ``jobs``; yields each with its result as soon as it is done (not in order)."""
        assert self._proc is not None
        assert self._proc.stdin is not None
        assert self._proc.stdout is not None
        pending = {}
        for job in jobs:
            pending[job.job_id] = job
            self._proc.stdin.write(json.dumps(asdict(job)) + "\n")
        self._proc.stdin.flush()
        while pending:
            line = self._proc.stdout.readline()
            if not line:
                raise RuntimeError("the grading host stopped unexpectedly")
            message = json.loads(line)
            job = pending.pop(message["job_id"])
            yield job, KataResult.from_dict(message["result"])


# -- the host process -------------------------------------------------------------------------------------


@dataclass
class _Running:
    job: Job
    pid: int
    fd: int
    started: float
    buffer: bytearray


def _internal_error(job: Job, kata_points: float, message: str, status: str = "error") -> dict[str, Any]:
    return {"kata": job.kata_id, "score": 0.0, "max_score": kata_points, "status": status, "duration_s": 0.0,
            "tests": [], "message": message}  # fmt: skip


class Host:
    def __init__(self, root: Path, jobs: int, backend: Backend, out: IO[str]) -> None:
        self.root = root
        self.slots = jobs
        self.backend = backend
        self.out = out
        self.catalog = load_catalog(root)
        self.env = dict(versions(root))
        self.queue: deque[Job] = deque()
        self.running: dict[int, _Running] = {}
        self.selector = selectors.DefaultSelector()
        self.socket_path: str | None = None
        self.zygote: subprocess.Popen[bytes] | None = None
        self._tmp = tempfile.mkdtemp(prefix="mlkata-host-")

    def _spawn_zygote(self, command: list[str]) -> subprocess.Popen[bytes] | None:
        zygote = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_environ())
        assert zygote.stdout is not None
        if zygote.stdout.readline().strip() == b"ready":
            return zygote
        _shut_down(zygote, timeout=0)
        return None

    def start_zygote(self, confinement: str) -> None:
        """Start the worker zygote, confined with bubblewrap unless ``confinement`` is ``off``."""
        self.socket_path = os.path.join(self._tmp, "worker.sock")
        # RLIMIT_NPROC counts every task of the real user, so the allowance sits on top of what runs already.
        allowance = confine.tasks_of_current_user() + 1024
        command = [
            sys.executable,
            "-m",
            "mlkata.worker",
            "--socket",
            self.socket_path,
            "--nproc",
            str(allowance),
        ]
        reason = "confinement is off (--confinement off)"
        if confinement != "off":
            if confine.bwrap_path() is None:
                reason = "bubblewrap (bwrap) is not installed (Debian package: bubblewrap)"
            else:
                wrapped = confine.bwrap_command(
                    command, share=[Path(self._tmp)], hidden=[self.root, Path.cwd()]
                )
                self.zygote = self._spawn_zygote(wrapped)
                if self.zygote is not None:
                    self.env["confinement"] = "bubblewrap"
                    return
                reason = "bubblewrap could not start a sandbox here (are user namespaces disabled?)"
        if confinement == "require":
            raise RuntimeError(f"confinement is required but unavailable: {reason}")
        if confinement != "off":
            print(f"mlkata: warning: {reason}; learner code runs with resource limits only, without filesystem "
                  "and network confinement", file=sys.stderr, flush=True)  # fmt: skip
        self.zygote = self._spawn_zygote(command)
        if self.zygote is None:
            raise RuntimeError("the worker zygote did not start")
        self.env["confinement"] = "rlimits-only"

    def stop(self) -> None:
        for running in self.running.values():
            with contextlib.suppress(OSError):
                os.kill(running.pid, signal.SIGKILL)
        if self.zygote is not None:
            _shut_down(self.zygote, timeout=10)
        with contextlib.suppress(OSError):
            if self.socket_path:
                os.unlink(self.socket_path)
            os.rmdir(self._tmp)

    def _emit(self, job: Job, result: dict[str, Any]) -> None:
        if not result.get("environment"):
            result["environment"] = self.env
        self.out.write(json.dumps({"job_id": job.job_id, "result": result}) + "\n")
        self.out.flush()

    def _start(self, job: Job) -> None:
        if job.kata_id not in self.catalog:
            self._emit(job, _internal_error(job, 0.0, f"unknown kata '{job.kata_id}'"))
            return
        kata = self.catalog.get(job.kata_id)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the job's own process
            code = 0
            try:
                os.close(read_fd)
                limits.die_with_parent()
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(devnull, fd)
                try:
                    result = run_job(
                        kata,
                        Path(job.submission),
                        backend=self.backend,
                        socket_path=self.socket_path,
                        fail_fast=job.fail_fast,
                    )
                    payload = result.to_dict()
                except Exception as exc:
                    payload = _internal_error(
                        job, kata.points, f"internal grader error, please report it: {exc!r}"
                    )
                data = json.dumps(payload).encode()
                with os.fdopen(write_fd, "wb") as pipe:
                    pipe.write(data)
            except BaseException:
                code = 70
            finally:
                os._exit(code)
        os.close(write_fd)
        running = _Running(job, pid, read_fd, time.monotonic(), bytearray())
        self.running[read_fd] = running
        self.selector.register(read_fd, selectors.EVENT_READ, running)

    def _finish(self, running: _Running, overran: bool = False) -> None:
        self.selector.unregister(running.fd)
        os.close(running.fd)
        del self.running[running.fd]
        if overran:
            with contextlib.suppress(OSError):
                os.kill(running.pid, signal.SIGKILL)
        _, status = os.waitpid(running.pid, 0)
        kata = self.catalog.get(running.job.kata_id)
        if overran:
            result = _internal_error(
                running.job, kata.points, f"grading took longer than {JOB_WALL_LIMIT_S:g} s", "timeout"
            )
        else:
            try:
                result = json.loads(running.buffer.decode())
            except ValueError:
                result = _internal_error(running.job, kata.points, f"internal grader error (status {status})")
        self._emit(running.job, result)

    def serve(self, stdin_fd: int) -> None:
        # Raw reads and our own line splitting: a buffered reader would hold lines the selector cannot see.
        self.selector.register(stdin_fd, selectors.EVENT_READ, None)
        stdin_open = True
        pending = b""
        while stdin_open or self.queue or self.running:
            while self.queue and len(self.running) < self.slots:
                self._start(self.queue.popleft())
            for key, _ in self.selector.select(timeout=1.0):
                if key.data is None:
                    data = os.read(stdin_fd, 1 << 16)
                    if not data:
                        stdin_open = False
                        self.selector.unregister(stdin_fd)
                    *lines, pending = (pending + data).split(b"\n")
                    self.queue.extend(Job(**json.loads(line)) for line in lines if line.strip())
                    continue
                running: _Running = key.data
                chunk = os.read(running.fd, 1 << 20)
                if chunk:
                    running.buffer.extend(chunk)
                else:
                    self._finish(running)
            now = time.monotonic()
            for running in [r for r in self.running.values() if now - r.started > JOB_WALL_LIMIT_S]:
                self._finish(running, overran=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlkata.grading.host")
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--backend", choices=("sandbox", "inprocess"), default="sandbox")
    parser.add_argument("--confinement", choices=CONFINEMENT, default="auto")
    args = parser.parse_args(argv)
    limits.die_with_parent()
    out = os.fdopen(os.dup(1), "w")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    host = Host(args.root.resolve(), max(1, args.jobs), args.backend, out)
    try:
        if args.backend == "sandbox":
            try:
                host.start_zygote(args.confinement)
            except RuntimeError as exc:
                print(f"mlkata: error: {exc}", file=sys.stderr, flush=True)
                return 1
        for name in HEAVY:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)
        # What is loaded now lives as long as the host: keep it out of every job's garbage collections (and
        # its pages shared between the forked jobs).
        gc.collect()
        gc.freeze()
        out.write("ready\n")
        out.flush()
        host.serve(sys.stdin.fileno())
    finally:
        host.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
