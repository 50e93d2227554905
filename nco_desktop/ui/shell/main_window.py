"""The main window: start screen, unlock screen and the unlocked workspace.

It owns the :class:`VaultSession` (the one holder of the open vault, see
:mod:`nco_desktop.ui.common.session`) and the session's safety: lock (Ctrl+L) and
auto-lock after idle, quick exit (Esc twice), the clipboard we may have filled.
Everything it does to the vault goes through the same services as the command line.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QClipboard,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QStackedWidget,
)

from nco_desktop.binder.output import remove_partial_leftovers
from nco_desktop.demo.case import DEMO_PASSPHRASE, create_demo_vault, demo_vault_path
from nco_desktop.progress import Cancelled, CancelToken, ProgressCallback
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.common.forgetting import forget_after_lock
from nco_desktop.ui.common.icons import clear_icon_cache, icon
from nco_desktop.ui.common.jobs import BackgroundOperation
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.common.undo_action import SessionUndo
from nco_desktop.ui.detail.hidden_entries_dialog import hidden_entries_action
from nco_desktop.ui.importing.import_controller import ImportController
from nco_desktop.ui.importing.paste import ClipboardPaste
from nco_desktop.ui.shell import vault_history
from nco_desktop.ui.shell.ocr_background import OcrBackground
from nco_desktop.ui.shell.preferences_dialog import PreferencesDialog
from nco_desktop.ui.shell.save_key import SaveKey
from nco_desktop.ui.shell.session_guard import SessionGuard
from nco_desktop.ui.shell.vault_tools import VaultTools
from nco_desktop.ui.shell.window_imports import WindowImports
from nco_desktop.ui.shell.window_parts import (
    BusyPage,
    build_menus,
    build_toolbar,
    make_action,
    status_labels,
)
from nco_desktop.ui.shell.window_title import shown_name, window_title
from nco_desktop.ui.shell.workspace import Workspace
from nco_desktop.ui.start.create_vault_dialog import CreateVaultDialog
from nco_desktop.ui.start.start_screen import StartScreen
from nco_desktop.ui.start.unlock_screen import UnlockScreen
from nco_desktop.vault import DEFAULT_KDF, KdfParams, Vault, VaultKey
from nco_desktop.vault.open_lock import OpenLock, VaultInUse


class MainWindow(QMainWindow):
    locked = Signal()
    unlocked = Signal()
    quick_exited = Signal()

    START, UNLOCK, WORKSPACE, BUSY = range(4)

    def __init__(
        self,
        settings: AppSettings | None = None,
        *,
        kdf: KdfParams = DEFAULT_KDF,
        demo_path: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.settings = settings or AppSettings()
        self._kdf = kdf
        self._demo_path = demo_path or demo_vault_path()
        self.session = VaultSession(self)
        self.vault_path: Path | None = None
        self.is_demo = False
        self._clipboard_ours = False
        self._operation: BackgroundOperation | None = None  # unlocking or making the demo
        self._open_lock: OpenLock | None = None  # held while the vault is open here
        self.setWindowTitle(window_title(""))
        self.setAcceptDrops(True)
        self.resize(1280, 720)
        self.setMinimumSize(640, 420)  # 1920 × 1080 at 200 % is 960 × 540: views scroll

        self.stack = QStackedWidget(self)
        self.start_screen = StartScreen(self.settings, DEMO_PASSPHRASE, self.stack)
        self.unlock_screen = UnlockScreen(self.stack)
        self.workspace = Workspace(self.session, self.stack)
        self.busy_page = BusyPage(self.stack)
        for page in (self.start_screen, self.unlock_screen, self.workspace, self.busy_page):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)

        self.imports = ImportController(self.session, self)
        self.paste = ClipboardPaste(self.session, self)
        self.paste.said.connect(lambda words, ms: self.statusBar().showMessage(words, ms))
        self.importing = WindowImports(
            self, self.imports, self.paste, lambda: self.vault is not None
        )
        # After the views have saved what was typed (they connected first).
        self.session.about_to_lock.connect(self._close_dialogs)
        self.guard = SessionGuard(self.settings.idle_lock_minutes * 60_000, self, clock=clock)
        self.guard.idle_timeout.connect(self._idle)
        self.guard.quick_exit_requested.connect(self.quick_exit)
        self.save_key = SaveKey(self, self.workspace)  # Ctrl+S that no editor took
        self.tools = VaultTools(self)  # File ▸ Back up, Change passphrase, Verify

        self._build_actions()
        self.vault_label, self.count_label, self.lock_label = status_labels(self)
        self.ocr = OcrBackground(self.session, self)  # text in pictures, read meanwhile
        self.start_screen.create_requested.connect(self.create_vault)
        self.start_screen.open_requested.connect(self.open_vault)
        self.start_screen.open_path_requested.connect(self.ask_to_unlock)
        self.start_screen.demo_requested.connect(self.open_demo)
        self.start_screen.presence_changed.connect(self._update_state)
        self.unlock_screen.unlocked.connect(self._vault_opened)
        self.unlock_screen.back_requested.connect(self.show_start)
        self.workspace.timeline.counts_changed.connect(self._counts_changed)
        clipboard = QGuiApplication.clipboard()
        clipboard.dataChanged.connect(self._clipboard_changed)
        app = QApplication.instance()
        signal = getattr(app, "color_scheme_applied", None)  # our NcoApplication's
        if signal is not None:
            signal.connect(self.refresh_icons)
        self._update_state()

    @property
    def vault(self) -> Vault | None:
        """The session's open vault (None when locked); the window keeps none itself."""
        return self.session.vault

    # ----- building ------------------------------------------------------------------

    def _action(
        self,
        icon_name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
        tip: str = "",
    ) -> QAction:
        return make_action(self, icon_name, text, slot, shortcut, tip)

    def _build_actions(self) -> None:
        tr = self.tr
        self.new_action = self._action(
            "vault-new", tr("&New vault…"), self.create_vault, QKeySequence.StandardKey.New
        )
        self.open_action = self._action(
            "vault-open", tr("&Open vault…"), self.open_vault, QKeySequence.StandardKey.Open
        )
        self.import_action = self._action(
            "import",
            tr("&Import files…"),
            self.importing.import_files,
            QKeySequence("Ctrl+I"),
            tr("Import files into the vault (you can also drop them on the window)"),
        )
        self.import_folder_action = self._action(
            "import-folder", tr("Import a &folder…"), self.importing.import_folder
        )
        self.paste_action = self._action(
            "paste",
            tr("&Paste picture as screenshot"),
            self.importing.paste_from_clipboard,
            QKeySequence.StandardKey.Paste,
            tr("Add the picture on the clipboard to the vault as a new screenshot"),
        )
        self.find_action = self._action(
            "", tr("&Find on the timeline"), self._focus_find, QKeySequence.StandardKey.Find
        )
        self.lock_action = self._action(
            "lock",
            tr("&Lock"),
            self.lock,
            QKeySequence("Ctrl+L"),
            tr("Lock the vault now; its passphrase is needed to see anything again (Ctrl+L)"),
        )
        self.close_vault_action = self._action("", tr("&Close vault"), self.close_vault)
        self.quick_exit_action = self._action(
            "quick-exit",
            tr("Quick exit"),
            self.quick_exit,
            None,
            tr("Close NCO Desktop at once; the vault locks (or press Esc twice)"),
        )
        self.preferences_action = self._action(
            "", tr("&Settings…"), self.edit_preferences, QKeySequence.StandardKey.Preferences
        )
        self.quit_action = self._action("", tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)

        undo, prefs = SessionUndo.of(self.session).action, self.preferences_action
        hidden = hidden_entries_action(self.session, self)  # shown again or deleted
        self.help_menu = build_menus(
            self,
            file_actions=(
                self.new_action,
                self.open_action,
                None,
                self.import_action,
                self.import_folder_action,
                self.paste_action,
                None,
                *self.tools.actions,
                None,
                self.lock_action,
                self.close_vault_action,
                self.quick_exit_action,
                None,
                self.quit_action,
            ),
            edit_actions=(undo, hidden, None, self.paste_action, self.find_action, None, prefs),
        )
        self.toolbar, self.quick_exit_button = build_toolbar(
            self, (self.import_action, self.paste_action, self.lock_action), self.quick_exit_action
        )

    # ----- screens ---------------------------------------------------------------------

    def show_start(self) -> None:
        self.start_screen.refresh_recent()
        self.stack.setCurrentIndex(self.START)
        self._update_state()

    def ask_to_unlock(self, path: Path) -> None:
        self.vault_path = Path(path)
        self.is_demo = self.vault_path == self._demo_path
        self.unlock_screen.set_vault_path(
            self.vault_path, shown_passphrase=DEMO_PASSPHRASE if self.is_demo else None
        )
        self.stack.setCurrentIndex(self.UNLOCK)
        self._update_state()

    def create_vault(self) -> None:
        if self.busy:
            return
        dialog = CreateVaultDialog(self, kdf=self._kdf)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        key, dialog.created_key = dialog.created_key, None
        dialog.deleteLater()
        if accepted and key is not None:
            if self.vault is not None:
                self.close_vault()  # only now: cancelling the dialog keeps the open vault
            self.is_demo = False
            self._open_with_key(key)

    @property
    def busy(self) -> bool:
        """A vault is being unlocked or the demo made: nothing else may start."""
        return self._operation is not None or self.unlock_screen.busy

    def open_vault(self) -> None:
        if self.busy:
            return
        path = prompts.choose_open_vault(self)
        if path is not None:
            if self.vault is not None:
                self.close_vault()
            self.ask_to_unlock(path)

    def open_demo(self) -> None:
        """Open the demo case, making it first if this computer has none yet."""
        if self.busy:
            return
        if self.vault is not None:
            self.close_vault()
        path, kdf = self._demo_path, self._kdf
        self.vault_path, self.is_demo = path, True
        exists = path.exists()

        def work(progress: ProgressCallback, cancel: CancelToken) -> VaultKey:
            if exists:
                return Vault.derive_key(path, DEMO_PASSPHRASE)
            vault = create_demo_vault(path, kdf=kdf, progress=progress, cancel=cancel)
            try:
                return vault.vault_key()
            finally:
                vault.close()

        self.busy_page.label.setText(
            self.tr("Opening the demo case…")
            if exists
            else self.tr("Preparing the demo case. This takes a few seconds, once.")
        )
        self.busy_page.bar.setRange(0, 0)
        self.busy_page.cancel_button.show()
        self.stack.setCurrentIndex(self.BUSY)
        self._operation = BackgroundOperation(work)
        operation = self._operation
        operation.progressed.connect(self.busy_page.set_progress)
        operation.succeeded.connect(self._demo_ready)
        operation.failed.connect(self._demo_failed)
        self.busy_page.cancel_button.clicked.connect(operation.cancel)
        self._update_state()
        operation.start()

    def _demo_ready(self, key: VaultKey) -> None:
        self._operation = None
        self._open_with_key(key)

    def _demo_failed(self, error: object) -> None:
        self._operation = None
        self.show_start()
        if isinstance(error, Cancelled):
            return
        prompts.warn(
            self,
            self.tr("The demo case could not be opened"),
            self.tr("Something went wrong while preparing the demo case: %s")
            % prompts.explain(error),
        )

    def _open_with_key(self, key: VaultKey) -> None:
        """Open with *key*, then wipe it: the vault keeps its own copy (invariant 9)."""
        try:
            vault = Vault.open_with_key(key, check_log=True)
        except Exception as exc:
            key.wipe()
            self.show_start()
            prompts.warn(self, self.tr("The vault could not be opened"), prompts.explain(exc))
            return
        key.wipe()
        self._vault_opened(vault)

    def _vault_opened(self, vault: Vault) -> None:
        if self.vault is not None and self.vault is not vault:
            self.close_vault()  # never two open vaults, never one left open behind another
        self.vault_path = vault.path
        if not self._claim(vault):
            return
        if not vault_history.accepted(self, vault):  # an older copy put back, not wanted
            vault.close()
            if self._open_lock is not None:
                self._open_lock.release()
                self._open_lock = None
            self.ask_to_unlock(vault.path)
            return
        if not self.is_demo:
            self.settings.note_vault_opened(vault.path)
        # What a save killed mid-write left in the clear (the CLI does the same). Never
        # in the way of opening: what cannot be removed now is tried again next time.
        with contextlib.suppress(Exception):
            remove_partial_leftovers(vault)
        self.session.open(vault)
        self.stack.setCurrentIndex(self.WORKSPACE)
        self.workspace.focus_timeline()
        self.guard.set_idle_ms(self.settings.idle_lock_minutes * 60_000)
        self.guard.arm()
        self._update_state()
        self.unlocked.emit()
        vault_history.warn_about_logs(self, vault)

    def _claim(self, vault: Vault) -> bool:
        """Hold *vault*'s open lock, or close it and say that another window has it."""
        try:
            self._open_lock = OpenLock(vault.path).acquire()
        except VaultInUse as exc:
            vault.close()
            self.ask_to_unlock(vault.path)
            self.unlock_screen.show_error(str(exc))
            return False
        return True

    # ----- locking ---------------------------------------------------------------------

    def lock(self) -> None:
        """Save edits, close dialogs, forget everything shown, close the connection."""
        if not self.session.holds_vault or self.vault_path is None:
            return
        path = self.vault_path
        self.guard.disarm()
        # Off the screen first: stopping the jobs may take a moment, and nothing of the
        # case may stay in view meanwhile.
        self.busy_page.label.setText(self.tr("Locking…"))
        self.busy_page.bar.setRange(0, 0)
        self.busy_page.cancel_button.hide()
        self.stack.setCurrentIndex(self.BUSY)
        self.stack.repaint()
        # Jobs (import, paste, previews, binder work) stop and are waited for first, so
        # no other writer runs while the views save what is typed; then dialogs close,
        # views let go of everything shown, and the connection closes.
        vault_history.note_before_lock(self.session.vault)
        self.session.lock()
        if self._open_lock is not None:  # after the connection closed: no writer is left
            self._open_lock.release()
            self._open_lock = None
        self.imports.forget()
        clipboard = QGuiApplication.clipboard()
        if self._clipboard_ours:
            clipboard.clear(QClipboard.Mode.Clipboard)
            self._clipboard_ours = False
        if clipboard.supportsSelection():  # X11's middle-click selection
            clipboard.clear(QClipboard.Mode.Selection)
        self.ask_to_unlock(path)
        # Qt's caches of drawn text and Python's cycles (invariant 9); once more on the
        # next turn of the event loop, after the widgets closed here are deleted.
        forget_after_lock(self)
        QTimer.singleShot(0, self, lambda: forget_after_lock(self))
        self.locked.emit()

    def close_vault(self) -> None:
        self.lock()
        self.vault_path = None
        self.show_start()

    def quick_exit(self) -> None:
        """Gone from the screen at once; then locked; then the program ends."""
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and (widget is self or widget.isWindow()):
                widget.hide()
        self.lock()
        self.unlock_screen.clear()
        self.quick_exited.emit()

    def edit_preferences(self) -> None:
        dialog = PreferencesDialog(self.settings, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.guard.set_idle_ms(self.settings.idle_lock_minutes * 60_000)
            self.start_screen.remember_box.setChecked(self.settings.remember_vaults)
            self.start_screen.refresh_recent()
            self.start_screen.neutral_box.setChecked(self.settings.neutral_presence)
            self._update_state()  # the vault's name in the title, or not; "Notes"

    def _idle(self) -> None:
        if self.imports.running:
            self.guard.arm()  # an import is working for the user; lock when it is done
            return
        self.lock()

    def _close_dialogs(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
                widget.hide()

    def _clipboard_changed(self) -> None:
        self._clipboard_ours = QApplication.activeWindow() is not None

    # ----- importing (see window_imports) -----------------------------------------------

    def import_paths(self, paths: list[Path]) -> bool:
        return self.importing.import_paths(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.importing.drag_entered(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.importing.dropped(event)

    # ----- state -------------------------------------------------------------------------

    def _focus_find(self) -> None:
        if self.vault is not None:
            self.workspace.nav.setCurrentRow(Workspace.TIMELINE)
            self.workspace.timeline.focus_filter()

    def _counts_changed(self, shown: int, total: int) -> None:
        self.count_label.setText(self.tr("%n entries", "", total))

    def _update_state(self) -> None:
        open_ = self.vault is not None
        for action in (self.new_action, self.open_action):
            action.setEnabled(not self.busy)
        for action in (
            self.import_action,
            self.import_folder_action,
            self.paste_action,
            self.find_action,
            self.lock_action,
            self.close_vault_action,
        ):
            action.setEnabled(open_)
        self.toolbar.set_tools_visible(open_)  # Quick exit stays, on every screen
        path = self.vault.path if self.vault is not None else None
        name = shown_name(self.settings, path, is_demo=self.is_demo)
        self.vault_label.setText(name)
        self.setWindowTitle(window_title(name))
        if open_:
            self.lock_label.setText(self.tr("Unlocked"))
        else:
            self.count_label.clear()
            self.lock_label.setText(self.tr("Locked") if self.vault_path else "")

    def refresh_icons(self) -> None:
        clear_icon_cache()
        for action in self.actions():
            name = action.data()
            if name:
                action.setIcon(icon(str(name)))
        self.workspace.refresh_icons()
        self.start_screen.refresh_icons()
        self.unlock_screen.refresh_icons()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.lock()
        self.guard.detach()
        event.accept()
