"""Changing the passphrase: the current one, the new one twice, and the same warning
the command line prints.

The current passphrase is checked here, before anything is changed, by stretching it
as unlocking does (on a worker thread: it takes about a second) and comparing the
key it gives with the open vault's. A wrong one is said at once, with the dialog still
open; the vault is closed for the change itself only once it is known to go ahead.

The default button is *Cancel*: Enter pressed out of habit never changes the
passphrase, and a new passphrase that is not confirmed twice, strong enough and
acknowledged as unrecoverable never reaches the vault.
"""

from __future__ import annotations

import hmac

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.jobs import BackgroundOperation
from nco_desktop.ui.common.passphrase_field import (
    PassphraseField,
    add_new_passphrase_rows,
    passphrase_strength,
    strength_hint,
)
from nco_desktop.vault import Vault, VaultKey


def is_current_passphrase(key: VaultKey, passphrase: str) -> bool:
    """Whether *passphrase* gives *key* (the open vault's): the slow KDF, so called
    off the GUI thread. Compared in constant time; the derived key is wiped."""
    derived = Vault.derive_key(key.path, passphrase)
    try:
        return hmac.compare_digest(bytes(derived.key), bytes(key.key))
    finally:
        derived.wipe()


class ChangePassphraseDialog(QDialog):
    """Asks; checks the current passphrase; on accept, :attr:`new_passphrase` holds the
    new one for the caller, who takes it (and sets it back to None) at once."""

    def __init__(self, vault_key: VaultKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change the passphrase"))
        self.setModal(True)
        self._key: VaultKey | None = vault_key  # a copy, wiped when the dialog closes
        self._operation: BackgroundOperation | None = None
        self.new_passphrase: str | None = None

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        intro = QLabel(
            self.tr(
                "The vault will open only with the new passphrase. Backups made before "
                "keep the passphrase they had."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.current_field = PassphraseField(self, accessible_name=self.tr("Current passphrase"))
        form.addRow(self.tr("Current passphrase"), self.current_field)
        rows = add_new_passphrase_rows(
            self,
            form,
            layout,
            label=self.tr("New passphrase"),
            again_name=self.tr("New passphrase again"),
            understood=self.tr(
                "I understand: if I forget the new passphrase, the vault cannot be opened."
            ),
        )
        self.new_field, self.repeat_field = rows.field, rows.repeat
        self.strength_label, self.understood_box = rows.strength_label, rows.understood_box

        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("errorText")
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.status_label)

        self.buttons = QDialogButtonBox(self)
        self.change_button = self.buttons.addButton(
            self.tr("Change passphrase"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # Enter answers Cancel: only a click (or Space on the focused button) changes it.
        self.change_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self._change)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for field in (self.current_field, self.new_field, self.repeat_field):
            field.edit.textChanged.connect(self._update_state)
        self.understood_box.toggled.connect(self._update_state)
        self._update_state()
        self.resize(560, self.sizeHint().height())
        self.current_field.setFocus()

    # ----- state ---------------------------------------------------------------------

    def _update_state(self) -> None:
        new, again = self.new_field.text(), self.repeat_field.text()
        self.strength_label.setText(strength_hint(new, again))
        self.change_button.setEnabled(
            self._operation is None
            and bool(self.current_field.text())
            and passphrase_strength(new) > 0
            and new == again
            and self.understood_box.isChecked()
        )

    def _set_busy(self, busy: bool) -> None:
        for field in (self.current_field, self.new_field, self.repeat_field):
            field.setEnabled(not busy)
        self.understood_box.setEnabled(not busy)
        self.busy_bar.setVisible(busy)
        self.status_label.setObjectName("" if busy else "errorText")
        self.status_label.style().polish(self.status_label)
        self.status_label.setText(
            self.tr("Checking the current passphrase. This takes a few seconds.") if busy else ""
        )
        self._update_state()

    # ----- checking ------------------------------------------------------------------

    def _change(self) -> None:
        if not self.change_button.isEnabled() or self._key is None:
            return
        current, new = self.current_field.text(), self.new_field.text()
        if new == current:
            self.status_label.setText(
                self.tr("The new passphrase is the same as the current one. Type a new one.")
            )
            return
        key = self._key

        def work(progress: object, cancel: object) -> bool:
            return is_current_passphrase(key, current)

        self._operation = BackgroundOperation(work)
        self._operation.succeeded.connect(self._checked)
        self._operation.failed.connect(self._failed)
        self._set_busy(True)
        self._operation.start()

    def _checked(self, matches: object) -> None:
        self._operation = None
        self._set_busy(False)
        if not matches:
            self.status_label.setText(
                self.tr(
                    "That is not the current passphrase. Check Caps Lock and the keyboard "
                    "layout, then try again."
                )
            )
            self.current_field.edit.selectAll()
            self.current_field.setFocus()
            return
        self.new_passphrase = self.new_field.text()
        self.accept()

    def _failed(self, error: object) -> None:
        self._operation = None
        self._set_busy(False)
        self.status_label.setText(prompts.explain(error))

    # ----- closing -------------------------------------------------------------------

    def reject(self) -> None:
        if self._operation is not None:
            return  # the check ends in a moment; its answer needs the dialog
        super().reject()

    def done(self, result: int) -> None:
        self.forget()
        super().done(result)

    def forget(self) -> None:
        """However the dialog ends (also hidden by a lock, which skips :meth:`done`):
        the fields are emptied, with no undo step left, and the key copy is wiped; only
        :attr:`new_passphrase` stays, for the caller to take. Idempotent."""
        for field in (self.current_field, self.new_field, self.repeat_field):
            field.clear()
        if self._key is not None:
            self._key.wipe()  # a check still running then compares with zeros: False
            self._key = None
