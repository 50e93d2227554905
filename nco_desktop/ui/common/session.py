"""The one owner of the open vault in the window.

Views never keep a :class:`~nco_desktop.vault.Vault` of their own: they ask the
:class:`VaultSession` for it each time (``session.vault``, None when locked) and are
told, through its signals, when a vault opens, when it is about to lock, when it has
been detached, and *what* changed (:class:`Change` flags, never "everything").

Locking is ordered so that nothing can reach a closed vault: from its start no job may
start and no change is announced; every running job is told to stop, its SQL is
interrupted, and it is waited for (with a bound); views save what the user is typing
(``about_to_lock``); jobs are stopped once more in case a save started one; the session
forgets the vault and tells views to drop what they show (``detached``); and only then
is the connection closed. A timer, worker result or queued signal that
arrives afterwards finds ``session.vault is None`` and does nothing, by construction;
job results carry the session's generation and are dropped when it has moved on.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from nco_desktop.vault import Vault, VaultClosed

if TYPE_CHECKING:
    from nco_desktop.ui.common.jobs import Job

#: How long locking waits, in all, for running jobs to see their cancel. Jobs check it
#: between items (a file, an exhibit, a page), so they stop within a second or two;
#: the bound only keeps a wedged job from holding the window forever.
JOB_WAIT_SECONDS = 60.0


class Change(enum.Flag):
    """What a saved change touched, so each view reads again only what it shows."""

    ENTRIES = enum.auto()  # evidence imported or pasted
    NOTES = enum.auto()  # the user's notes, transcripts, picture areas on an entry
    PEOPLE = enum.auto()
    ORDERS = enum.auto()
    INCIDENTS = enum.auto()
    EXHIBITS = enum.auto()  # exhibits, their items, labels and prefix
    CASE = enum.auto()  # cover details and binder choices
    EVERYTHING = ENTRIES | NOTES | PEOPLE | ORDERS | INCIDENTS | EXHIBITS | CASE


class VaultSession(QObject):
    opened = Signal()  # a vault is open: read it when shown
    stopping = Signal()  # jobs were told to stop: end what they wait on (sandboxes)
    about_to_lock = Signal()  # jobs have stopped: save what is being typed, now
    detached = Signal()  # the vault is gone: drop everything shown
    changed = Signal(object, object)  # Change, and the view that saved it (or None)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._vault: Vault | None = None
        self._generation = 0
        self._jobs: set[Job] = set()
        self._locking = False  # between the start of a detach and its end
        #: Jobs that outlived a lock's wait (interrupted, told to stop, not yet ended).
        self.stuck_jobs = 0

    # ----- the vault ------------------------------------------------------------------

    @property
    def vault(self) -> Vault | None:
        """The open vault, or None when locked. Ask again each time; never keep it.

        A handle closed behind the session's back (a test's fixture, a failed passphrase
        change) is never handed out either: None, as when locked."""
        vault = self._vault
        return vault if vault is not None and vault.is_open else None

    @property
    def is_open(self) -> bool:
        return self.vault is not None

    @property
    def holds_vault(self) -> bool:
        """A vault is held, even one closed behind the session's back: it still has to
        be detached so views let go of what they show."""
        return self._vault is not None

    @property
    def locking(self) -> bool:
        """A detach is under way: no job may start and no change is announced."""
        return self._locking

    @property
    def generation(self) -> int:
        """Moves on at every open and detach: work begun before belongs to the past."""
        return self._generation

    def require(self) -> Vault:
        """The open vault; :class:`VaultClosed` (a bug, not a user error) when locked."""
        vault = self.vault
        if vault is None or self._locking:
            raise VaultClosed("No vault is open in this window (or it is locking).")
        return vault

    def open(self, vault: Vault) -> None:
        """Hold *vault* (closing one held before) and tell every view."""
        if self._vault is vault:
            return
        if self._vault is not None:
            self.lock()
        self._generation += 1
        self._vault = vault
        self.opened.emit()

    def detach(self, timeout: float = JOB_WAIT_SECONDS) -> Vault | None:
        """Stop and wait for every job, let views save and then drop what they show, and
        hand back the vault without closing it (tests own theirs; :meth:`lock` closes)."""
        vault = self._vault
        if vault is None:
            return None
        # From here no job starts and no change is announced: a note saved on
        # about_to_lock must not make a view start a query that nobody waits for.
        self._locking = True
        try:
            deadline = time.monotonic() + timeout
            self.stop_jobs(timeout)
            self.about_to_lock.emit()
            # A backstop: anything a handler started anyway is stopped too.
            self.stop_jobs(max(0.0, deadline - time.monotonic()))
            self.stuck_jobs = self.running_jobs
            self._generation += 1
            self._vault = None
            self.detached.emit()
        finally:
            self._locking = False
        return vault

    def lock(self, timeout: float = JOB_WAIT_SECONDS) -> None:
        """:meth:`detach`, then close the connection and forget the key."""
        vault = self.detach(timeout)
        if vault is not None:
            vault.close()

    def notify(self, change: Change, origin: QObject | None = None) -> None:
        """Say that *change* was saved; views that show it read again when visible.
        *origin*, the view that saved it, has already shown its own change."""
        if self._vault is not None and change and not self._locking:
            self.changed.emit(change, origin)

    # ----- jobs -----------------------------------------------------------------------

    def track(self, job: Job) -> None:
        self._jobs.add(job)

    def untrack(self, job: Job) -> None:
        self._jobs.discard(job)

    @property
    def running_jobs(self) -> int:
        return sum(1 for job in self._jobs if job.running)

    def stop_jobs(self, timeout: float = JOB_WAIT_SECONDS) -> bool:
        """Cancel every job, interrupt the SQL it is running (a query that ignores its
        cancel token aborts at once; a write rolls back whole), and wait until each has
        returned and closed its own connection, for *timeout* seconds in all; True if
        every one has. A job still running after that is left to end by itself: its
        result is dropped, and :attr:`stuck_jobs` counts it."""
        jobs = list(self._jobs)
        for job in jobs:
            job.cancel(interrupt=True)
        if jobs:
            self.stopping.emit()
        deadline = time.monotonic() + timeout
        stopped = True
        for job in jobs:
            if not job.wait(max(0.0, deadline - time.monotonic())):
                stopped = False
            else:
                self._jobs.discard(job)
        return stopped


class RefreshWhenShown(QObject):
    """Read again only what is on screen (Anki refreshes the current screen only).

    A view owns one, naming the :class:`Change` flags it shows and its reload function.
    A change it shows reloads it at once if it is visible, or marks it stale so it
    reloads when it next becomes visible; an open vault always marks it stale.
    """

    def __init__(
        self,
        view: QWidget,
        session: VaultSession,
        shows: Change,
        reload: Callable[[], Any],
    ) -> None:
        super().__init__(view)
        self._view = view
        self._session = session
        self._shows = shows
        self._reload = reload
        self.stale = False
        session.opened.connect(self._opened)
        session.changed.connect(self._changed)
        session.detached.connect(self._detached)
        view.installEventFilter(self)

    def mark_stale(self) -> None:
        """Reload now if visible, else when next shown."""
        self.stale = True
        if self._view.isVisible():
            self._run()

    def _opened(self) -> None:
        self.mark_stale()

    def _changed(self, change: object, origin: object) -> None:
        if origin is not self._view and isinstance(change, Change) and change & self._shows:
            self.mark_stale()

    def _detached(self) -> None:
        self.stale = False

    def _run(self) -> None:
        if self._session.vault is None:
            self.stale = False
            return
        self.stale = False
        self._reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Show and self.stale:
            self._run()
        return False


def follow_session(
    view: QWidget,
    session: VaultSession,
    *,
    shows: Change,
    reload: Callable[[], Any],
    reset: Callable[[], Any],
    save: Callable[[], Any] | None = None,
    saved: SignalInstance | None = None,
    saved_change: Change | None = None,
) -> RefreshWhenShown:
    """The contract a view keeps with the session, wired in the one order that is right.

    *saved* (the view's own "I saved something" signal) tells the session *saved_change*
    with the view as its origin; *save* runs when the session is about to lock (what is
    typed is kept); *reset* runs when a vault opens or the session detaches (nothing of
    the last vault stays); only then is the view read, through the returned
    :class:`RefreshWhenShown` — now if it is visible, else when it is next shown.
    """
    if saved is not None and saved_change is not None:
        change = saved_change
        saved.connect(lambda *_args: session.notify(change, view))
    if save is not None:
        session.about_to_lock.connect(save)
    session.opened.connect(reset)
    session.detached.connect(reset)
    return RefreshWhenShown(view, session, shows, reload)
