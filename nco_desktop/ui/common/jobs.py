"""One way to run work off the GUI thread (Anki's ``QueryOp``/``CollectionOp``).

:func:`run_job` runs ``work(vault, progress, cancel)`` on a Python thread with a
vault connection of its own (a SQLCipher connection belongs to the thread that made
it), closes that connection before it ends, and delivers ``on_success``,
``on_failure``, ``on_cancelled`` and ``on_progress`` on the GUI thread through queued
signals. The :class:`VaultSession` tracks every job: locking cancels them and waits
for each (with a bound) before the vault closes, and a result that arrives after the
session has moved on (locked, or another vault opened) is dropped, never shown.

:class:`BackgroundOperation` is the thread underneath, used directly only for work
that comes before a vault is open (deriving a key, making the demo case).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from nco_desktop.progress import Cancelled, CancelToken, ProgressCallback, no_progress
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.vault import Vault, VaultKey
from nco_desktop.vault.connection import Connection

Work = Callable[[ProgressCallback, CancelToken], Any]
VaultWork = Callable[[Vault, ProgressCallback, CancelToken], Any]


class BackgroundOperation(QObject):
    """One function on a Python thread, reporting back through queued signals.

    Its life is tied to its thread, not to a widget: it has no Qt parent, keeps
    itself alive while the thread runs, and says :attr:`finished` on the GUI thread
    only after the thread has ended. So nothing — a parent widget closed early, a
    ``deleteLater`` on ``finished``, the last Python reference dropped by the worker —
    can delete the object while the worker is still emitting from it (seen as a
    segfault in the UI tests under load).
    """

    progressed = Signal(int, int, str)  # done, total, label
    succeeded = Signal(object)  # whatever the work returned
    failed = Signal(object)  # the BaseException it raised
    finished = Signal()  # after succeeded or failed, always, once the thread has ended
    _thread_done = Signal()  # the worker's last word (queued to the GUI thread)

    def __init__(self, work: Work) -> None:
        super().__init__()
        self._work: Work | None = work
        self.cancel_token = CancelToken()
        self._thread: threading.Thread | None = None
        self._keepalive: BackgroundOperation | None = None
        self._thread_done.connect(self._ended)

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("an operation runs once")
        self._keepalive = self  # until the GUI thread has seen the thread end
        self._thread = threading.Thread(target=self._run, name="nco-operation", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self.cancel_token.cancel()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has returned; True if it has. Used only when locking."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        work, self._work = self._work, None  # its closure may hold a passphrase or key
        try:
            assert work is not None
            result = work(self._report, self.cancel_token)
        except BaseException as exc:
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            del work
            self._thread_done.emit()

    def _ended(self) -> None:
        """On the GUI thread: let the worker return from its last emit, then say so."""
        if self._thread is not None:
            self._thread.join()
        self.finished.emit()
        self._keepalive = None

    def _report(self, done: int, total: int, label: str) -> None:
        self.progressed.emit(done, total, label)


class Job(QObject):
    """A running :func:`run_job`: cancel it, wait for it, ask whether it runs."""

    def __init__(
        self,
        session: VaultSession,
        work: VaultWork,
        on_success: Callable[[Any], object],
        on_failure: Callable[[BaseException], object] | None,
        on_cancelled: Callable[[], object] | None,
        on_progress: Callable[[int, int, str], object] | None,
    ) -> None:
        super().__init__()  # no Qt parent: the session keeps it until its thread ended
        self._session = session
        self._generation = session.generation
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_cancelled = on_cancelled
        self._on_progress = on_progress
        key = session.require().vault_key()  # read here: a lock blanks the vault's own copy
        self._conn: Connection | None = None  # the job's own, while its work runs
        self._conn_lock = threading.Lock()
        self._operation = BackgroundOperation(self._with_own_connection(key, work))
        del key
        self._operation.progressed.connect(self._progressed)
        self._operation.succeeded.connect(self._succeeded)
        self._operation.failed.connect(self._failed)
        self._operation.finished.connect(self._finished)

    @property
    def running(self) -> bool:
        return self._operation.running

    @property
    def current(self) -> bool:
        """Still wanted: the session has not moved on (locked, another vault) since."""
        return self._session.generation == self._generation

    def cancel(self, *, interrupt: bool = False) -> None:
        """Ask the work to stop at its next check; with *interrupt*, also abort the SQL
        statement it is running now (its transaction rolls back whole). Used when the
        result no longer matters (locking, a newer query), never for a user's Stop,
        which expects what was done so far."""
        self._operation.cancel()
        if interrupt:
            with self._conn_lock:
                if self._conn is not None:
                    self._conn.interrupt()  # SQLite allows this from any thread

    def wait(self, timeout: float | None = None) -> bool:
        return self._operation.wait(timeout)

    def _with_own_connection(self, key: VaultKey, work: VaultWork) -> Work:
        def run(progress: ProgressCallback, cancel: CancelToken) -> Any:
            try:
                opened = Vault.open_with_key(key)
            finally:
                key.wipe()  # the vault keeps its own copy, wiped when it closes
            with opened as vault:
                with self._conn_lock:
                    self._conn = vault.conn
                try:
                    cancel.raise_if_cancelled()  # locked while the connection opened
                    return work(vault, progress, cancel)
                finally:
                    with self._conn_lock:
                        self._conn = None

        return run

    def _start(self) -> None:
        self._session.track(self)
        self._operation.start()

    def _progressed(self, done: int, total: int, label: str) -> None:
        if self._on_progress is not None and self.current:
            self._on_progress(done, total, label)

    def _succeeded(self, result: object) -> None:
        if self.current:
            self._on_success(result)

    def _failed(self, error: object) -> None:
        if not self.current:
            return  # locked meanwhile: nobody is waiting for this
        if isinstance(error, Cancelled):
            if self._on_cancelled is not None:
                self._on_cancelled()
        elif self._on_failure is not None:
            assert isinstance(error, BaseException)
            self._on_failure(error)

    def _finished(self) -> None:
        self._session.untrack(self)
        # Drop the callbacks: their closures may hold the case's words or bytes. The
        # thread has ended (finished comes after it), so the last reference to this
        # job is dropped here, on the GUI thread.
        self._on_success = _ignore
        self._on_failure = self._on_cancelled = self._on_progress = None


def run_job(
    session: VaultSession,
    work: VaultWork,
    *,
    on_success: Callable[[Any], object],
    on_failure: Callable[[BaseException], object] | None = None,
    on_cancelled: Callable[[], object] | None = None,
    on_progress: Callable[[int, int, str], object] | None = None,
) -> Job:
    """Run ``work(vault, progress, cancel)`` off the GUI thread on its own connection.

    Callbacks run on the GUI thread, only while the job is still wanted: nothing at all
    is reported once the session has locked or opened another vault. A job the user
    cancelled reports what its work did: :class:`Cancelled` raised goes to
    ``on_cancelled``; a result returned anyway (an import's summary of what it stored
    before stopping) goes to ``on_success``. Raises :class:`VaultClosed` when locked.
    """
    job = Job(session, work, on_success, on_failure, on_cancelled, on_progress)
    job._start()
    return job


#: From this many entries (by the highest id, a cheap bound) a view's read runs as a
#: job, so the window never waits on it; below it, a read takes less than a frame.
QUERY_JOB_FROM = 20_000


def vault_is_large(vault: Vault) -> bool:
    """Whether *vault* may hold :data:`QUERY_JOB_FROM` entries or more: the highest id
    comes from the table's b-tree at once, where a count would read every row."""
    (highest,) = vault.conn.execute("SELECT max(id) FROM entries").fetchone()
    return (highest or 0) >= QUERY_JOB_FROM


def run_query(
    session: VaultSession,
    work: VaultWork,
    *,
    on_success: Callable[[Any], object],
    on_failure: Callable[[BaseException], object] | None = None,
) -> Job | None:
    """A read for a view: here and now on a small vault, where it costs less than a
    frame (and tests and users see the answer at once); as a :func:`run_job` on a
    large one, so the window never waits. Returns the job, or None if it is done (or
    if the session is locking: nothing starts then, and views read again on opening)."""
    return _here_or_as_job(session, work, on_success, on_failure)


def run_change(
    session: VaultSession,
    work: VaultWork,
    *,
    on_success: Callable[[Any], object],
    on_failure: Callable[[BaseException], object] | None = None,
) -> Job | None:
    """A change that reads much of the vault (suggesting exhibits from every entry):
    one audited transaction, here on a small vault, as a job on a large one or while
    another job runs (its own connection writes and waits for any other writer; the
    window's connection reads the committed result afterwards)."""
    return _here_or_as_job(session, work, on_success, on_failure, wait_for_writers=True)


def _here_or_as_job(
    session: VaultSession,
    work: VaultWork,
    on_success: Callable[[Any], object],
    on_failure: Callable[[BaseException], object] | None,
    *,
    wait_for_writers: bool = False,
) -> Job | None:
    if session.locking:
        return None  # nothing starts while the vault locks; every view reads on opening
    vault = session.require()
    # A change while another job may be writing (an import holds its transaction for a
    # whole file) waits for the lock on a job's thread, never on the GUI thread.
    if vault_is_large(vault) or (wait_for_writers and session.running_jobs):
        return run_job(session, work, on_success=on_success, on_failure=on_failure)
    try:
        result = work(vault, no_progress, CancelToken())
    except Exception as exc:
        if on_failure is None:
            raise
        on_failure(exc)
    else:
        on_success(result)
    return None


def _ignore(result: object) -> None:
    """A finished job's success callback: it has nothing left to say."""
