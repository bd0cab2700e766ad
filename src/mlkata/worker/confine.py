"""Confinement of the worker zygote with bubblewrap (Linux).

The zygote, and so every learner session it forks, runs in a sandbox where:

- the filesystem is read-only and holds only the system's libraries, the Python installation and its packages,
  and mlkata's own engine code: the repository (graders, solutions), the learners' folders and the gradebook are
  not there at all (the submission arrives as source text over the socket);
- ``/tmp`` is a private tmpfs, the only writable place (each session gets a scratch folder in it);
- there is no network (its own network namespace: even 127.0.0.1 has no listener);
- it has its own PID, IPC and UTS namespaces, runs as ``nobody`` in a user namespace, and dies with its parent.

Where bubblewrap is missing or cannot start, grading goes on with resource limits alone and says so, once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

NOBODY = 65534
TMPFS_BYTES = 1 << 30
SYSTEM_DIRS = ("/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin", "/etc")


def tasks_of_current_user() -> int:
    """Threads of every process of this real user (what RLIMIT_NPROC counts)."""
    uid = str(os.getuid())
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if fields.get("Uid", "").split()[:1] == [uid]:
            total += int(fields.get("Threads", "1").strip() or 1)
    return total


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def bwrap_works() -> bool:
    """Whether bubblewrap is installed and can start a sandbox here (user namespaces allowed)."""
    bwrap = bwrap_path()
    if bwrap is None:
        return False
    probe = [bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=30, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _python_dirs(hidden: list[Path]) -> list[Path]:
    """The folders Python needs to import the engine and its libraries, none of them exposing ``hidden``."""
    import mlkata

    candidates = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix), Path(sys.executable).parent}
    candidates.update(Path(p) for p in sys.path if p and Path(p).is_dir())
    candidates.add(
        Path(mlkata.__file__).resolve().parent
    )  # the engine itself (editable installs live in a repo)
    keep = []
    for folder in sorted({c.resolve() for c in candidates}):
        if folder == Path.cwd().resolve() and folder != Path(mlkata.__file__).resolve().parent:
            continue
        # Never a folder that contains something hidden (a repository root, /work, /): only its safe children.
        if any(_inside(secret, folder) for secret in hidden):
            continue
        if any(_inside(folder, secret) for secret in hidden) and not _engine_or_env(folder):
            continue
        keep.append(folder)
    return keep


def _engine_or_env(folder: Path) -> bool:
    """Folders under a hidden tree that may still be shown: the engine package and the Python environment."""
    import mlkata

    engine = Path(mlkata.__file__).resolve().parent
    prefix = Path(sys.prefix).resolve()
    return _inside(folder, engine) or _inside(folder, prefix)


def bwrap_command(command: list[str], *, share: list[Path], hidden: list[Path]) -> list[str]:
    """Wrap ``command`` in bubblewrap.

    Parameters
    ----------
    command : list of str
        The zygote's command line.
    share : list of Path
        Folders mounted read-write at the same path (the folder of the zygote's socket).
    hidden : list of Path
        Trees that must stay invisible (the repository, the cohort, the gradebook's folder).
    """
    bwrap = bwrap_path()
    if bwrap is None:
        raise FileNotFoundError("bwrap")
    args = [
        bwrap,
        "--unshare-all",  # user, ipc, pid, net, uts, cgroup: no network, own PID namespace
        "--uid", str(NOBODY),
        "--gid", str(NOBODY),
        "--hostname", "mlkata-sandbox",
        "--die-with-parent",
        "--new-session",
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", str(TMPFS_BYTES),
        "--tmpfs", "/tmp",
    ]  # fmt: skip
    for system_dir in SYSTEM_DIRS:
        args += ["--ro-bind-try", system_dir, system_dir]
    for folder in _python_dirs(hidden):
        args += ["--ro-bind", str(folder), str(folder)]
    for shared in share:
        args += ["--bind", str(shared), str(shared)]
    env = {key: os.environ[key] for key in ("PATH", "LANG", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
           if key in os.environ}  # fmt: skip
    args.append("--clearenv")
    for key, value in {**env, "HOME": "/tmp", "TMPDIR": "/tmp", "PYTHONDONTWRITEBYTECODE": "1"}.items():
        args += ["--setenv", key, value]
    args += ["--chdir", "/tmp", "--", *command]
    return args
