"""A seccomp filter for learner sessions: signal only yourself, trace nobody (Linux x86-64).

Sessions of one zygote share a user id, so without this a learner could ``kill`` the zygote or another learner's
session, or ``ptrace`` them. The filter lets ``kill``/``tkill``/``tgkill`` through only for the session's own
process (or its own process group), and refuses ``ptrace``, ``process_vm_readv/writev`` and
``pidfd_send_signal`` with EPERM. Everything else is allowed: resource limits and the bubblewrap sandbox cover it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
AUDIT_ARCH_X86_64 = 0xC000003E
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_KILL_PROCESS = 0x80000000

# x86-64 syscall numbers
KILL, TKILL, TGKILL, PTRACE = 62, 200, 234, 101
PROCESS_VM_READV, PROCESS_VM_WRITEV, PIDFD_SEND_SIGNAL = 310, 311, 424

# classic BPF opcodes
LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
RET_K = 0x06  # BPF_RET | BPF_K

OFFSET_NR, OFFSET_ARCH, OFFSET_ARG0 = 0, 4, 16


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _program(pid: int) -> list[tuple[int, int, int, int]]:
    own = pid & 0xFFFFFFFF
    own_group = (-pid) & 0xFFFFFFFF
    deny = SECCOMP_RET_ERRNO | errno.EPERM
    return [
        (LD_W_ABS, 0, 0, OFFSET_ARCH),
        (JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        (RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS),
        (LD_W_ABS, 0, 0, OFFSET_NR),
        (JEQ_K, 8, 0, KILL),  # -> check target (index 13)
        (JEQ_K, 7, 0, TKILL),
        (JEQ_K, 6, 0, TGKILL),
        (JEQ_K, 4, 0, PTRACE),  # -> deny (index 11)
        (JEQ_K, 3, 0, PROCESS_VM_READV),
        (JEQ_K, 2, 0, PROCESS_VM_WRITEV),
        (JEQ_K, 1, 0, PIDFD_SEND_SIGNAL),
        (RET_K, 0, 0, SECCOMP_RET_ALLOW),
        (RET_K, 0, 0, deny),
        # index 13: the signal's target (first argument, low 32 bits)
        (LD_W_ABS, 0, 0, OFFSET_ARG0),
        (JEQ_K, 3, 0, own),
        (JEQ_K, 2, 0, 0),  # kill(0, sig): own process group
        (JEQ_K, 1, 0, own_group),
        (RET_K, 0, 0, deny),
        (RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]


def supported() -> bool:
    return platform.system() == "Linux" and platform.machine() == "x86_64"


def install() -> bool:
    """Install the filter in this process (and its future children). Returns False where unsupported."""
    if not supported():
        return False
    program = _program(os.getpid())
    # Check the jumps land inside the program: a wrong offset would otherwise only show up at run time.
    for index, (code, jump_true, jump_false, _) in enumerate(program):
        if code == JEQ_K and not (index + 1 + max(jump_true, jump_false) < len(program)):
            raise AssertionError(f"seccomp jump out of range at {index}")
    raw = b"".join(struct.pack("HBBI", *instruction) for instruction in program)
    buffer = ctypes.create_string_buffer(raw)
    fprog = _SockFprog(len(program), ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return bool(libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0)
