"""Creating a vault: where, which time zone, and a passphrase typed twice.

The passphrase is stretched with Argon2id (about a second), so the work runs on a
worker thread while the dialog says what is happening. The user must tick that they
understand a forgotten passphrase cannot be recovered: it is the one mistake the
program cannot undo for them.

The time-zone list ignores the mouse wheel unless it is being edited: a user scrolling
over the dialog must not move the vault's zone (every time shown is read in it).
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.timekeeping import guess_system_zone
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.jobs import BackgroundOperation
from nco_desktop.ui.common.passphrase_field import (
    add_new_passphrase_rows,
    passphrase_strength,
    strength_hint,
)
from nco_desktop.ui.common.wheel_guard import guard_wheel
from nco_desktop.vault import (
    DEFAULT_KDF,
    VAULT_SUFFIX,
    KdfParams,
    Vault,
    VaultKey,
)

__all__ = ["CreateVaultDialog", "passphrase_strength"]  # the hint's rule lives with the field


class CreateVaultDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, kdf: KdfParams = DEFAULT_KDF) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Create a vault"))
        self.setModal(True)
        self._kdf = kdf
        self._operation: BackgroundOperation | None = None
        self.created_key: VaultKey | None = None
        self.vault_path: Path | None = None

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(self.tr("For example: Protection order, 2026"))
        form.addRow(self.tr("Case name"), self.title_edit)

        path_row = QHBoxLayout()
        self.path_label = QLabel(self)
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        choose = QPushButton(self.tr("Choose…"), self)
        choose.setAccessibleName(self.tr("Choose where to save the vault"))
        choose.clicked.connect(self._choose_path)
        path_row.addWidget(self.path_label, 1)
        path_row.addWidget(choose)
        form.addRow(self.tr("Save as"), path_row)
        self._set_path(prompts.default_folder() / f"My case{VAULT_SUFFIX}")

        self.zone_box = QComboBox(self)
        self.zone_box.setEditable(True)
        self.zone_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        zones = sorted(z for z in available_timezones() if "/" in z or z == "UTC")
        self.zone_box.addItems(zones)
        completer = QCompleter(zones, self.zone_box)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.zone_box.setCompleter(completer)
        self.zone_box.setCurrentText(guess_system_zone())
        guard_wheel(self.zone_box)
        form.addRow(self.tr("Time zone"), self.zone_box)

        rows = add_new_passphrase_rows(
            self,
            form,
            layout,
            label=self.tr("Passphrase"),
            again_name=self.tr("Passphrase again"),
            understood=self.tr(
                "I understand: if I forget the passphrase, the vault cannot be opened."
            ),
        )
        self.passphrase_field, self.repeat_field = rows.field, rows.repeat
        self.passphrase_edit, self.repeat_edit = rows.field.edit, rows.repeat.edit
        self.strength_label, self.understood_box = rows.strength_label, rows.understood_box

        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.status_label)

        self.buttons = QDialogButtonBox(self)
        self.create_button = self.buttons.addButton(
            self.tr("Create vault"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._create)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for edit in (self.passphrase_edit, self.repeat_edit):
            edit.textChanged.connect(self._update_state)
        self.understood_box.toggled.connect(self._update_state)
        self._update_state()
        self.resize(560, self.sizeHint().height())

    # ----- state ---------------------------------------------------------------------

    def _set_path(self, path: Path) -> None:
        if path.suffix != VAULT_SUFFIX:
            path = path.with_name(path.name + VAULT_SUFFIX)
        self.vault_path = path
        self.path_label.setText(str(path))

    def _choose_path(self) -> None:
        assert self.vault_path is not None
        chosen = prompts.choose_new_vault(self, self.vault_path.name)
        if chosen is not None:
            self._set_path(chosen)

    def _update_state(self) -> None:
        passphrase = self.passphrase_edit.text()
        strength = passphrase_strength(passphrase)
        matches = passphrase == self.repeat_edit.text()
        self.strength_label.setText(strength_hint(passphrase, self.repeat_edit.text()))
        busy = self._operation is not None
        self.create_button.setEnabled(
            not busy and strength > 0 and matches and self.understood_box.isChecked()
        )

    # ----- creating ------------------------------------------------------------------

    def _create(self) -> None:
        if not self.create_button.isEnabled() or self.vault_path is None:
            return
        path, passphrase = self.vault_path, self.passphrase_edit.text()
        zone, title = self.zone_box.currentText().strip(), self.title_edit.text().strip()
        if zone not in available_timezones():
            self.status_label.setText(self.tr("Choose a time zone from the list."))
            return
        if path.exists():
            self.status_label.setText(
                self.tr("A file with that name already exists. Choose another name.")
            )
            return
        if not path.parent.is_dir():
            self.status_label.setText(
                self.tr("That folder does not exist (any more). Choose where to save it.")
            )
            return
        kdf = self._kdf

        def work(progress: object, cancel: object) -> object:
            vault = Vault.create(path, passphrase, time_zone=zone, case_title=title, kdf=kdf)
            try:
                return vault.vault_key()
            finally:
                vault.close()

        self._operation = BackgroundOperation(work)
        self._operation.succeeded.connect(self._created)
        self._operation.failed.connect(self._failed)
        self._set_busy(True)
        self._operation.start()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.title_edit, self.zone_box, self.passphrase_field, self.repeat_field):
            widget.setEnabled(not busy)
        self.busy_bar.setVisible(busy)
        self.status_label.setText(
            self.tr(
                "Creating the vault. The passphrase is being stretched so that guessing it "
                "is slow; this takes a few seconds."
            )
            if busy
            else ""
        )
        self._update_state()

    def _created(self, key: VaultKey) -> None:
        self.created_key = key
        self._operation = None
        self.passphrase_field.clear()  # no undo step is left, and the text is hidden
        self.repeat_field.clear()
        self.accept()

    def _failed(self, error: object) -> None:
        self._operation = None
        self._set_busy(False)
        self.status_label.setText(self.tr("The vault was not created: %s") % prompts.explain(error))

    def reject(self) -> None:
        if self._operation is not None:
            return  # the file is being written; it finishes in a moment
        self.passphrase_field.clear()  # no undo step is left, and the text is hidden
        self.repeat_field.clear()
        super().reject()
