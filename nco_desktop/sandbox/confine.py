"""What a worker does to itself before it reads an untrusted byte (Linux; best effort elsewhere).

Layers, each independent of the others, so a gap in one is covered by the next:

- resource limits (memory, CPU per file) and no core dumps;
- ``PR_SET_NO_NEW_PRIVS`` (nothing the worker could run gains privileges);
- Landlock: the file system becomes read-only, and readable only where Python and its
  libraries live plus the folders the user chose to import (none for rendering); TCP
  bind/connect, abstract Unix sockets and signals to other processes are refused;
- seccomp (libseccomp through pyseccomp): no sockets, no exec, no ptrace, no reading
  other processes' memory, no opening a file for writing, no creating, renaming or
  removing files, no namespaces or mounts, no io_uring/bpf/keyrings, no signals to
  other processes.

A missing layer (an old kernel, no libseccomp) is reported, not fatal: the worker still
runs, and the parent keeps what each worker said in ``pool.layers``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nco_desktop.hardening import disable_core_dumps

PR_SET_NO_NEW_PRIVS = 38

_LANDLOCK_CREATE_RULESET, _LANDLOCK_ADD_RULE, _LANDLOCK_RESTRICT_SELF = 444, 445, 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_READ_FILE, _READ_DIR = 1 << 2, 1 << 3
#: Every file-system right by the ABI that introduced it (1: 13 rights; 2: REFER;
#: 3: TRUNCATE; 5: IOCTL_DEV). All are "handled", so all but reading are refused.
_FS_RIGHTS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_NET_BIND_TCP, _NET_CONNECT_TCP = 1, 2  # ABI 4
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1, 2  # ABI 6

#: Where the system keeps what Python, Pillow, pdfium and Qt load or read; never user data.
SYSTEM_READ = (
    "/usr/lib",
    "/usr/lib64",
    "/usr/lib32",
    "/lib",
    "/lib64",
    "/usr/local/lib",
    "/etc/ld.so.cache",
    "/etc/localtime",
    "/usr/share/zoneinfo",
    "/usr/share/fonts",
    "/usr/share/fontconfig",
    "/etc/fonts",
    "/dev/null",
    "/dev/urandom",
    "/proc/self",
    "/sys/devices/system/cpu",
)


class _RulesetAttr(ctypes.Structure):
    _fields_ = (
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    )


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = (("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32))


def apply_limits(memory_bytes: int, *, render: bool = False) -> None:
    """No core dumps, and a memory ceiling.

    Parsers get an address-space limit (RLIMIT_AS). pdfium's allocator reserves over
    32 GB of address space up front (never backed by memory) and traps when it cannot,
    so a rendering worker is limited on data instead (RLIMIT_DATA: memory it can
    actually write to), which a reservation does not count against.
    """
    disable_core_dumps()  # a crashing parser must not write the evidence it held to disk
    with contextlib.suppress(ImportError, ValueError, OSError, AttributeError):
        import resource

        which = resource.RLIMIT_DATA if render else resource.RLIMIT_AS
        resource.setrlimit(which, (memory_bytes, memory_bytes))


def thread_count() -> int | None:
    """Threads in this process (Linux; None elsewhere)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return None


def confine(read_roots: Iterable[str]) -> dict[str, Any]:
    """Apply every layer this platform has; return what is active, for the hello frame."""
    layers: dict[str, Any] = {"platform": sys.platform}
    if not sys.platform.startswith("linux"):
        return layers
    libc = ctypes.CDLL(None, use_errno=True)
    layers["no_new_privs"] = libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
    try:
        layers["landlock"] = _landlock(libc, [*_program_paths(), *SYSTEM_READ, *read_roots])
    except OSError as exc:
        layers["landlock"] = 0
        layers["landlock_error"] = os.strerror(exc.errno or 0)
    try:
        layers["seccomp"] = _seccomp()
    except (ImportError, OSError, RuntimeError) as exc:
        layers["seccomp"] = False
        layers["seccomp_error"] = f"{type(exc).__name__}: {exc}"
    return layers


def _program_paths() -> list[str]:
    """Python itself, its standard library and site-packages, and this program (in a
    packaged build, its executable too)."""
    import nco_desktop

    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    found |= {os.path.realpath(p) for p in list(found)}
    found.add(str(Path(nco_desktop.__file__).resolve().parent))
    if getattr(sys, "frozen", False):
        # The packaged program reads its own modules from an archive inside the
        # executable, again at each import: that one file (not its folder, where a
        # portable copy keeps its settings and perhaps the vault) stays readable.
        found.add(os.path.realpath(sys.executable))
    return sorted(found)


def _landlock(libc: ctypes.CDLL, paths: Iterable[str]) -> int:
    """Restrict this process with Landlock; the ABI version used (0: not available)."""
    syscall = libc.syscall
    abi = syscall(_LANDLOCK_CREATE_RULESET, None, 0, _LANDLOCK_CREATE_RULESET_VERSION)
    if abi < 1:
        return 0
    attr = _RulesetAttr(
        handled_access_fs=_FS_RIGHTS_BY_ABI[max(v for v in _FS_RIGHTS_BY_ABI if v <= abi)],
        handled_access_net=(_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0,
        scoped=(_SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL) if abi >= 6 else 0,
    )
    size = ctypes.sizeof(attr) if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = syscall(_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    try:
        for path in paths:
            _allow_read(syscall, ruleset, path)
        if syscall(_LANDLOCK_RESTRICT_SELF, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return int(abi)


def _allow_read(syscall: Any, ruleset: int, path: str) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # not on this system
    try:
        is_dir = os.path.isdir(f"/proc/self/fd/{fd}")
        rule = _PathBeneath(allowed_access=_READ_FILE | (_READ_DIR if is_dir else 0), parent_fd=fd)
        if syscall(_LANDLOCK_ADD_RULE, ruleset, _LANDLOCK_RULE_PATH_BENEATH, ctypes.byref(rule), 0):
            raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
    finally:
        os.close(fd)


#: Refused outright with EPERM (names unknown on this architecture are skipped).
_REFUSED = (
    "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
    "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
    "creat", "unlink", "unlinkat", "rename", "renameat", "renameat2",
    "mkdir", "mkdirat", "rmdir", "link", "linkat", "symlink", "symlinkat",
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "truncate", "mknod", "mknodat", "mount", "umount2", "pivot_root", "chroot",
    "setns", "unshare", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "tkill", "fork", "vfork",
    "setsid", "setpgid",
    "fsopen", "fsmount", "move_mount", "open_tree", "name_to_handle_at", "open_by_handle_at",
)  # fmt: skip
_WRITE_FLAGS = (os.O_WRONLY, os.O_RDWR, os.O_CREAT, os.O_TRUNC)
CLONE_THREAD = 0x00010000
_CLONE_NAMESPACES = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
)


def _seccomp() -> bool:
    """Load the filter: everything not named here is allowed (a deny list, as in the issue)."""
    import pyseccomp as seccomp  # needs libseccomp2; RuntimeError when it is missing

    refuse, missing = seccomp.ERRNO(errno.EPERM), seccomp.ERRNO(errno.ENOSYS)
    rules = seccomp.SyscallFilter(seccomp.ALLOW)

    def add(action: int, name: str, *args: Any) -> None:
        with contextlib.suppress(OSError, ValueError, RuntimeError):  # not on this arch
            rules.add_rule(action, name, *args)

    for name in _REFUSED:
        add(refuse, name)
    # Newer calls whose arguments a filter cannot see: ENOSYS so libc uses the older one.
    add(missing, "openat2")
    add(missing, "clone3")
    for flag in _WRITE_FLAGS:
        add(refuse, "open", seccomp.Arg(1, seccomp.MASKED_EQ, flag, flag))
        add(refuse, "openat", seccomp.Arg(2, seccomp.MASKED_EQ, flag, flag))
    for flag in _CLONE_NAMESPACES:
        add(refuse, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    # Threads only: a new process would outlive the worker's kill and could multiply.
    add(refuse, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
    me = os.getpid()
    add(refuse, "kill", seccomp.Arg(0, seccomp.NE, me))
    add(refuse, "tgkill", seccomp.Arg(0, seccomp.NE, me))
    # Queued signals reach any process of the user (si_code SI_QUEUE) where Landlock's
    # signal scope (ABI 6, Linux 6.12) is missing: only to itself, like kill.
    add(refuse, "rt_sigqueueinfo", seccomp.Arg(0, seccomp.NE, me))
    add(refuse, "rt_tgsigqueueinfo", seccomp.Arg(0, seccomp.NE, me))
    add(refuse, "pidfd_open", seccomp.Arg(0, seccomp.NE, me))
    add(refuse, "pidfd_send_signal")
    rules.load()
    return True
