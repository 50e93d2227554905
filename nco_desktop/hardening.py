"""Process settings that keep decrypted evidence out of crash files.

A crashing process can write its memory (decrypted messages, the vault key) to a core
file in the clear. Every NCO Desktop process, and every parser worker, turns core dumps
off and, on Linux, marks itself non-dumpable, which also stops other programs running
as the same user from attaching a debugger or reading its memory through /proc.
"""

from __future__ import annotations

import contextlib
import sys

PR_SET_DUMPABLE = 4


def disable_core_dumps() -> None:
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
