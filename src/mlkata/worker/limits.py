"""Resource limits for the process that runs learner code (Linux; degraded but working elsewhere)."""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
from dataclasses import dataclass

PR_SET_PDEATHSIG = 1
NOBODY = 65534


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 1024
    cpu_s: int = 120
    file_size_mb: int = 64
    open_files: int = 256
    processes: int = 64


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _virtual_memory_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _set(limit: int, value: int) -> None:
    _soft, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    try:
        resource.setrlimit(limit, (value, value if limit != resource.RLIMIT_CPU else value + 1))
    except (ValueError, OSError):
        resource.setrlimit(limit, (value, hard))


def apply(limits: Limits) -> None:
    """Limit this process: address space (on top of what the preloaded libraries already map), CPU time,
    file size, open files, processes, and no core dumps."""
    # The worker inherits the libraries its zygote preloaded; the learner's budget comes on top of them.
    _set(resource.RLIMIT_AS, _virtual_memory_bytes() + limits.memory_mb * 1024 * 1024)
    _set(resource.RLIMIT_CPU, limits.cpu_s)
    _set(resource.RLIMIT_FSIZE, limits.file_size_mb * 1024 * 1024)
    _set(resource.RLIMIT_NOFILE, limits.open_files)
    _set(resource.RLIMIT_CORE, 0)
    if os.getuid() != 0:  # root is exempt from RLIMIT_NPROC; confinement (a PID namespace) covers it there
        _set(resource.RLIMIT_NPROC, limits.processes)
    # Writing past the file-size limit then fails with an error in the learner's code instead of killing it.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
