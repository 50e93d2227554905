"""Process settings that keep decrypted evidence out of crash files.

A crashing process can write its memory (decrypted messages, the vault key) to a core
file in the clear. Every NCO Desktop process, and every parser worker, turns core dumps
off and, on Linux, marks itself non-dumpable, which also stops other programs running
as the same user from attaching a debugger or reading its memory through /proc.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sys

PR_SET_DUMPABLE = 4

#: Set in the environment of a process started again by :func:`forget_freed_memory`,
#: so that it is started again only once.
FORGETFUL_MARK = "NCO_FORGETFUL_MEMORY"
#: glibc: no per-thread cache of freed chunks (those are never overwritten), and every
#: freed chunk filled with this byte (its complement on allocation).
GLIBC_FORGETFUL_TUNABLES = "glibc.malloc.tcache_count=0:glibc.malloc.perturb=165"


def disable_core_dumps() -> None:
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def forgetful_environment(environ: dict[str, str]) -> dict[str, str]:
    """*environ* plus the allocator settings under which freed memory is overwritten."""
    env = dict(environ)
    env["PYTHONMALLOC"] = "malloc"
    tunables = env.get("GLIBC_TUNABLES", "")
    env["GLIBC_TUNABLES"] = ":".join(t for t in (tunables, GLIBC_FORGETFUL_TUNABLES) if t)
    env[FORGETFUL_MARK] = "1"
    return env


def forget_freed_memory() -> None:
    """Start this process again (once) with allocator settings that overwrite freed memory.

    Why: Lock drops every reference to decrypted evidence, but dropping frees memory
    without clearing it, and freed memory keeps its bytes until something reuses it —
    after a Lock, ~100 copies of evidence text were still readable. Python's own
    small-object allocator (pymalloc) and glibc's per-thread cache hand freed blocks
    back untouched, and both can only be switched off before the process starts
    (``PYTHONMALLOC=malloc``; ``GLIBC_TUNABLES``), hence the restart. With them, every
    ``free()`` — Python's, Qt's (QString is UTF-16 text in malloc'd memory), SQLite's —
    overwrites the block at once (``perturb``).

    The cost is a few percent of speed and memory (see the README's note on locking).
    Linux with glibc only; elsewhere, and if the restart fails, the program runs on with
    the usual allocators and Lock still wipes the key and drops the evidence. Never in
    parser workers: they hold nothing to forget.
    """
    if not sys.platform.startswith("linux") or os.environ.get(FORGETFUL_MARK):
        return
    if platform.libc_ver()[0] != "glibc" or getattr(sys, "frozen", False):
        return
    argv = list(getattr(sys, "orig_argv", []))
    if not argv:
        return
    with contextlib.suppress(OSError):
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(  # noqa: S606 - this same program, started again with its own arguments
            sys.executable, [sys.executable, *argv[1:]], forgetful_environment(dict(os.environ))
        )


def quiet_library_logs() -> None:
    """No library writes a log line to the terminal (or a log file).

    pypdf reports what it repaired in a PDF through :mod:`logging`, quoting the file's
    own names and strings — chosen by the other side, escape sequences and all — and a
    logger without a handler falls back to printing on stderr. A handler on the root
    logger that drops everything means nothing reaches the terminal that did not pass
    through the CLI's safe printing, and no evidence reaches a log.
    """
    import logging

    root = logging.getLogger()
    if not any(isinstance(handler, logging.NullHandler) for handler in root.handlers):
        root.addHandler(logging.NullHandler())
    logging.getLogger("pypdf").propagate = True  # to the root's null handler
