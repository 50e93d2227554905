"""One writer per vault: a lock file beside the vault, held with the operating
system's own file lock while a window or a command has the vault open.

Two windows on one vault would each keep their own view of it, and the last save
would silently undo the other's. The second one is told "This vault is open in
another window." instead.

Why an OS lock (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows) and not a
file whose mere presence means "in use": the operating system lets go of the lock when
the process ends, however it ends. A crash, a kill or a power cut never leaves a stale
lock that keeps the user out of their own evidence.

The lock file holds nothing: no name, no path, no process id. Its own name is the
vault's, beside the vault, so it says nothing the vault file does not. It is removed
when the lock is let go, where the operating system allows it.

This module imports no Qt: the window and the command line take the same lock.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from types import TracebackType

from nco_desktop.vault.errors import VaultError

IN_USE = "This vault is open in another window. Lock or close it there first."


class VaultInUse(VaultError):
    """Another window or command holds the vault's lock."""

    def __init__(self, message: str = IN_USE) -> None:
        super().__init__(message)


def lock_path(vault_path: Path | str) -> Path:
    """Where the lock for *vault_path* lives: a hidden file beside it."""
    path = Path(vault_path)
    return path.with_name(f".{path.name}.lock")


class OpenLock:
    """The lock on one vault, held from :meth:`acquire` until :meth:`release`.

    Locks are per open file, not per process: a second :meth:`acquire` of the same
    vault in this process fails too, which is what two windows of one program need.
    """

    def __init__(self, vault_path: Path | str) -> None:
        self.vault_path = Path(vault_path).absolute()
        self.path = lock_path(self.vault_path)
        self._fd: int | None = None
        self._unguarded = False  # the folder refused a lock file: opened without one

    @property
    def held(self) -> bool:
        return self._fd is not None or self._unguarded

    def acquire(self) -> OpenLock:
        """Take the lock or raise :class:`VaultInUse`; returns self.

        A folder where no lock file can be made (read-only media, a share that refuses
        locks) does not keep the user out: the vault opens without the guard, which is
        what the program did before it had one.
        """
        if self.held:
            return self
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                self._unguarded = True
                return self
            try:
                _lock(fd)
            except BlockingIOError:
                os.close(fd)
                raise VaultInUse() from None
            except OSError:
                os.close(fd)
                self._unguarded = True
                return self
            # The holder before us may have removed the file between our open and our
            # lock: then we locked a file nobody else will ever see. Start again.
            if not _REMOVED_WHEN_RELEASED or _same_file(fd, self.path):
                self._fd = fd
                return self
            _unlock(fd)
            os.close(fd)

    def release(self) -> None:
        """Let go (idempotent). The file is removed while still locked, so whoever
        opened it meanwhile notices (see :meth:`acquire`) and makes a new one."""
        fd, self._fd = self._fd, None
        self._unguarded = False
        if fd is None:
            return
        with contextlib.suppress(OSError):  # Windows refuses to remove an open file
            os.unlink(self.path)
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)

    def __enter__(self) -> OpenLock:
        return self.acquire()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.release()


def is_open_elsewhere(vault_path: Path | str) -> bool:
    """Whether another window or command holds *vault_path*'s lock right now."""
    try:
        with OpenLock(vault_path):
            return False
    except VaultInUse:
        return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


#: Windows refuses to remove a file that is open, so there the file stays (empty).
_REMOVED_WHEN_RELEASED = sys.platform != "win32"

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:  # Windows says "in use" this way
            raise BlockingIOError(*exc.args) from None

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
