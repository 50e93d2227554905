"""The vault's passphrase, asked before a backup: the copy gets a key of its own.

A backup made under the vault's own key could have its write-ahead log replayed into
the vault, or the vault's into it, by a careless copy (issue #16). With the passphrase
the backup gets a new salt and so its own key, and still opens with the same
passphrase. The window keeps only the vault's key, never the passphrase, so it asks;
a wrong one is refused by the backup itself (:meth:`Vault.backup_to`) before anything
is written.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.passphrase_field import PassphraseField

TITLE = "Back up the vault"


class BackupPassphraseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr(TITLE))
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Type this vault's passphrase. The backup gets a key of its own from it, "
                "and opens with the same passphrase."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.field = PassphraseField(self, accessible_name=self.tr("Passphrase"))
        layout.addWidget(self.field)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(
            self.tr("Back up"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.setDefault(True)  # a backup writes nothing in the clear
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field.edit.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text)))
        self.ok_button.setEnabled(False)
        self.resize(480, self.sizeHint().height())
        self.field.setFocus()


def ask_backup_passphrase(parent: QWidget) -> str | None:
    """The passphrase typed, or None if the user cancelled. Tests queue the answer
    with ``prompts.answer_next``."""
    title = QCoreApplication.translate("BackupPassphraseDialog", TITLE)
    canned, answer = prompts.canned("passphrase", title, "")
    if canned:
        return None if answer is None else str(answer)
    dialog = BackupPassphraseDialog(parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.field.edit.text()
    finally:
        dialog.field.edit.clear()
        dialog.deleteLater()
