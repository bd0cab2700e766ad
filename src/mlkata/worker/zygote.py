"""The worker zygote: preloads the heavy libraries once, then forks one limited child per learner session.

Run as ``python -m mlkata.worker --socket PATH``. It listens on a Unix socket; each connection is a session
(one submission of one kata) served by a freshly forked child in its own process group, with resource limits,
a private scratch directory, and stdout/stderr sent to ``/dev/null``. The zygote watches every session:

- when the grader closes its end (a timeout), the child's whole process group is killed;
- when a child dies (``os._exit``, a signal, the CPU limit), the zygote tells the grader how, on the same socket;
- when the zygote's own parent goes away (its stdin closes), every child is killed and the zygote exits.

Nothing of the grader runs here: no grader module is imported, and the submission arrives as source text.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import select
import shutil
import signal
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mlkata import wire
from mlkata.worker import limits as limits_mod
from mlkata.worker import seccomp
from mlkata.worker.learner_side import LearnerSide

# Everything a learner may legitimately import, loaded once here rather than in every session. Loading the
# forbidden parts too matters: a library's internal import of a forbidden module (sklearn.model_selection uses
# sklearn.metrics) is then already satisfied, and only the learner's own use of it trips a wire.
DEFAULT_PRELOAD = (
    "numpy", "pandas", "scipy", "scipy.stats", "scipy.special", "sklearn", "sklearn.metrics",
    "sklearn.model_selection", "sklearn.linear_model", "sklearn.tree", "sklearn.ensemble", "sklearn.preprocessing",
    "sklearn.cluster", "sklearn.neighbors", "sklearn.svm", "sklearn.decomposition", "torch", "torch.nn",
)  # fmt: skip


@dataclass
class _Session:
    pid: int
    conn: socket.socket
    scratch: Path


def _describe_status(status: int) -> dict[str, object]:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        return {"signal": name}
    return {"exitcode": os.WEXITSTATUS(status)}


def _world_readable_python() -> bool:
    """Whether nobody could still import from this Python installation (every folder on the way is o+x)."""
    for root in {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}:
        for folder in (root, *root.parents):
            if not os.stat(folder).st_mode & 0o001:
                return False
    return True


def _drop_privileges(scratch: Path) -> None:
    """Outside bubblewrap, as root: run the session as nobody, where the installation allows it."""
    if os.getuid() != 0 or not _world_readable_python():
        return
    os.chown(scratch, limits_mod.NOBODY, limits_mod.NOBODY)
    os.setgroups([])
    os.setgid(limits_mod.NOBODY)
    os.setuid(limits_mod.NOBODY)


def _serve(conn: socket.socket, scratch: Path, nproc: int) -> None:
    """The child: limits, scratch, then answer requests until the grader hangs up."""
    os.setsid()
    limits_mod.die_with_parent()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    _drop_privileges(scratch)
    os.chdir(scratch)
    os.environ.clear()
    os.environ.update(
        {"HOME": str(scratch), "TMPDIR": str(scratch), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    )
    tempfile.tempdir = str(scratch)

    def callback(message: dict[str, object]) -> dict[str, object]:
        wire.send(conn, message)
        reply: dict[str, object] = wire.recv(conn)
        return reply

    side = LearnerSide(callback=callback)
    first = wire.recv(conn)
    limits_mod.apply(
        limits_mod.Limits(
            memory_mb=int(first.get("memory_mb", 1024)), cpu_s=int(first.get("cpu_s", 120)), processes=nproc
        )
    )
    # Signal only yourself, trace nobody: the zygote and the other sessions share this user id.
    seccomp.install()
    request = first
    while True:
        wire.send(conn, side.handle(request))
        try:
            request = wire.recv(conn)
        except wire.WireError:
            return


class Zygote:
    def __init__(self, path: str, scratch_root: Path, nproc: int) -> None:
        self.nproc = nproc
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        os.chmod(path, 0o600)
        self.listener.listen(64)
        self.scratch_root = scratch_root
        self.sessions: dict[int, _Session] = {}
        self.by_fd: dict[int, int] = {}
        self.poller = select.poll()
        self.poller.register(self.listener, select.POLLIN)
        self.poller.register(sys.stdin.fileno(), select.POLLIN | select.POLLHUP)

    def _spawn(self) -> None:
        conn, _ = self.listener.accept()
        scratch = Path(tempfile.mkdtemp(prefix="session-", dir=self.scratch_root))
        pid = os.fork()
        if pid == 0:  # the child
            code = 0
            try:
                self.listener.close()
                for session in self.sessions.values():
                    session.conn.close()
                _serve(conn, scratch, self.nproc)
            except BaseException:
                code = 70
            finally:
                os._exit(code)
        self.sessions[pid] = _Session(pid, conn, scratch)
        self.by_fd[conn.fileno()] = pid
        self.poller.register(conn, select.POLLRDHUP)

    def _reap(self) -> None:
        while self.sessions:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            session = self.sessions.pop(pid, None)
            if session is None:
                continue
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)  # anything it left behind in its group
            with contextlib.suppress(OSError, wire.WireError):
                session.conn.setblocking(False)
                wire.send(session.conn, {"died": _describe_status(status)})
            self._forget(session)

    def _forget(self, session: _Session) -> None:
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(session.conn)
        self.by_fd.pop(session.conn.fileno(), None)
        session.conn.close()
        shutil.rmtree(session.scratch, ignore_errors=True)

    def _kill(self, pid: int) -> None:
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)

    def shutdown(self) -> None:
        for pid in list(self.sessions):
            self._kill(pid)
        for pid in list(self.sessions):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            self._forget(self.sessions.pop(pid))

    def run(self) -> None:
        while True:
            events = self.poller.poll(50)
            for fd, event in events:
                if fd == self.listener.fileno():
                    self._spawn()
                elif fd == sys.stdin.fileno():
                    if event & select.POLLHUP or not os.read(fd, 4096):
                        self.shutdown()
                        return
                elif fd in self.by_fd and event & (select.POLLRDHUP | select.POLLHUP | select.POLLERR):
                    # The grader hung up on this session (a timeout, or it is done): end it now.
                    self._kill(self.by_fd[fd])
                    with contextlib.suppress(KeyError, ValueError):
                        self.poller.unregister(fd)
            self._reap()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlkata.worker")
    parser.add_argument("--socket", required=True, help="Unix socket path to listen on")
    parser.add_argument(
        "--preload", default=",".join(DEFAULT_PRELOAD), help="modules to import once, comma-separated"
    )
    parser.add_argument(
        "--nproc", type=int, default=limits_mod.Limits.processes, help="RLIMIT_NPROC of sessions"
    )
    args = parser.parse_args(argv)
    limits_mod.die_with_parent()
    for name in filter(None, args.preload.split(",")):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    gc.collect()
    gc.freeze()  # the preloaded libraries stay shared, untouched by the sessions' collections
    scratch_root = Path(tempfile.mkdtemp(prefix="mlkata-scratch-"))
    zygote = Zygote(args.socket, scratch_root, args.nproc)
    print("ready", flush=True)
    try:
        zygote.run()
    finally:
        zygote.shutdown()
        shutil.rmtree(scratch_root, ignore_errors=True)
    return 0
