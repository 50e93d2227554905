"""Unlocking a vault: its name, one passphrase field, and a plain error when it is wrong.

The key is derived on a worker thread (the KDF takes about a second and the window
must stay responsive); the connection is then made on the GUI thread that will use it.
The field has a *Show* button and warns while Caps Lock seems to be on (see
:mod:`nco_desktop.ui.common.passphrase_field`): both are the usual reasons a right
passphrase is refused.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.common.icons import icon
from nco_desktop.ui.common.jobs import BackgroundOperation
from nco_desktop.ui.common.passphrase_field import PassphraseField
from nco_desktop.vault import Vault, VaultKey
from nco_desktop.vault.errors import VaultDamaged, WrongPassphrase
from nco_desktop.vault.open_lock import is_open_elsewhere


class UnlockScreen(QWidget):
    unlocked = Signal(object)  # Vault, connected on the GUI thread
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault_path: Path | None = None
        self._operation: BackgroundOperation | None = None
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        panel = QFrame(self)
        panel.setObjectName("unlockPanel")
        panel.setMaximumWidth(520)
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        row = QHBoxLayout()
        self._picture = QLabel(panel)
        self.refresh_icons()
        row.addWidget(self._picture, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        self.title_label = QLabel(self.tr("The vault is locked"), panel)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.path_label = QLabel(panel)
        self.path_label.setWordWrap(True)
        self.path_label.setObjectName("quiet")
        titles.addWidget(self.title_label)
        titles.addWidget(self.path_label)
        row.addLayout(titles, 1)
        layout.addLayout(row)

        self.passphrase_field = PassphraseField(panel, accessible_name=self.tr("Passphrase"))
        self.passphrase_edit = self.passphrase_field.edit
        self.passphrase_edit.setPlaceholderText(self.tr("Passphrase"))
        self.passphrase_edit.returnPressed.connect(self.unlock)
        layout.addWidget(self.passphrase_field)
        self.hint_label = QLabel(panel)
        self.hint_label.setWordWrap(True)
        self.hint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint_label.hide()
        layout.addWidget(self.hint_label)
        self.error_label = QLabel(panel)
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.busy_bar = QProgressBar(panel)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        layout.addWidget(self.busy_bar)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("Back"), panel)
        self.back_button.clicked.connect(self.back_requested)
        self.unlock_button = QPushButton(self.tr("Unlock"), panel)
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout.addLayout(buttons)

        center = QHBoxLayout()
        center.addStretch(1)
        center.addWidget(panel, 4)
        center.addStretch(1)
        outer.addLayout(center)
        outer.addStretch(2)

    def refresh_icons(self) -> None:
        self._picture.setPixmap(icon("lock").pixmap(40, 40))

    def set_vault_path(self, path: Path, *, shown_passphrase: str | None = None) -> None:
        """Ask for *path*'s passphrase; the demo case shows its own (it is not secret)."""
        self.vault_path = path
        # After an auto-lock, someone passing by should learn nothing: the vault's name
        # shows only if the user chose to see it in the title (Settings); otherwise it
        # is in the tooltip, for the user who keeps several vaults.
        if AppSettings().show_vault_name:
            self.path_label.setText(path.name)
            self.path_label.setToolTip("")
        else:
            self.path_label.setText(self.tr("Your vault is locked."))
            self.path_label.setToolTip(path.name)
        self.passphrase_field.clear()  # no undo step, and hidden again
        self.error_label.hide()
        if shown_passphrase:
            self.hint_label.setText(self.tr("Demo case passphrase: %s") % shown_passphrase)
        self.hint_label.setVisible(bool(shown_passphrase))
        self.passphrase_edit.setFocus()

    @property
    def busy(self) -> bool:
        return self._operation is not None

    def unlock(self) -> None:
        if self.busy or self.vault_path is None:
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.show_error(self.tr("Type the vault's passphrase."))
            return
        path = self.vault_path
        if is_open_elsewhere(path):  # said at once, not after a second of key stretching
            self.show_error(
                self.tr("This vault is open in another window. Lock or close it there first.")
            )
            return

        def work(progress: object, cancel: object) -> VaultKey:
            return Vault.derive_key(path, passphrase)

        self._operation = BackgroundOperation(work)
        self._operation.succeeded.connect(self._key_ready)
        self._operation.failed.connect(self._failed)
        self._set_busy(True)
        self._operation.start()

    def _set_busy(self, busy: bool) -> None:
        self.passphrase_field.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        self.busy_bar.setVisible(busy)
        if busy:
            self.error_label.hide()

    def _key_ready(self, key: VaultKey) -> None:
        self._operation = None
        try:
            vault = Vault.open_with_key(key, check_log=True)
        except BaseException as exc:
            self._failed(exc)
            return
        finally:
            key.wipe()  # the vault keeps its own copy; a wrong key is no use to anyone
        self._set_busy(False)
        self.clear()
        self.unlocked.emit(vault)

    def _failed(self, error: object) -> None:
        self._operation = None
        self._set_busy(False)
        if isinstance(error, WrongPassphrase):
            text = self.tr(
                "That passphrase does not open this vault. Check Caps Lock and the keyboard "
                "layout, then try again."
            )
        elif isinstance(error, VaultDamaged):
            text = self.tr("This vault file is damaged: %s") % error
        else:
            text = prompts.explain(error)
        self.show_error(text)
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def clear(self) -> None:
        """Empty the passphrase field, its undo history included, and hide its text
        again (see :meth:`PassphraseField.clear`)."""
        self.passphrase_field.clear()
        self.error_label.hide()
