"""Creating a vault: where, which time zone, and a passphrase typed twice.

The passphrase is stretched with Argon2id (about a second), so the work runs on a
worker thread while the dialog says what is happening. The user must tick that they
understand a forgotten passphrase cannot be recovered: it is the one mistake the
program cannot undo for them.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
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
from nco_desktop.vault import (
    DEFAULT_KDF,
    NO_RECOVERY_WARNING,
    VAULT_SUFFIX,
    KdfParams,
    Vault,
    VaultKey,
)
from nco_desktop.vault.kdf import check_new_passphrase


def passphrase_strength(passphrase: str) -> int:
    """0 refused, 1 fair, 2 good, 3 strong: a hint, not a promise.

    Length and separate words are what make a passphrase hard to guess and easy to
    remember; character-class rules make people write them down badly.
    """
    if check_new_passphrase(passphrase):
        return 0
    words = len(passphrase.split())
    if len(passphrase) >= 24 or words >= 4:
        return 3
    if len(passphrase) >= 16 or words >= 3:
        return 2
    return 1


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
        form.addRow(self.tr("Time zone"), self.zone_box)

        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName(self.tr("Passphrase"))
        self.passphrase_edit.setPlaceholderText(self.tr("A few unrelated words"))
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit.setAccessibleName(self.tr("Passphrase again"))
        form.addRow(self.tr("Passphrase"), self.passphrase_edit)
        form.addRow(self.tr("Again"), self.repeat_edit)
        self.strength_label = QLabel(self)
        self.strength_label.setWordWrap(True)
        form.addRow("", self.strength_label)
        layout.addLayout(form)

        warning = QLabel(self.tr(NO_RECOVERY_WARNING), self)
        warning.setObjectName("warningBox")
        warning.setWordWrap(True)
        layout.addWidget(warning)
        self.understood_box = QCheckBox(
            self.tr("I understand: if I forget the passphrase, the vault cannot be opened."), self
        )
        layout.addWidget(self.understood_box)

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
        hints = {
            0: self.tr("At least 12 characters. A few unrelated words work well."),
            1: self.tr("Fair. Longer is safer: add another word."),
            2: self.tr("Good."),
            3: self.tr("Strong."),
        }
        text = hints[strength] if passphrase else hints[0]
        matches = passphrase == self.repeat_edit.text()
        if passphrase and self.repeat_edit.text() and not matches:
            text += " " + self.tr("The two passphrases are not the same yet.")
        self.strength_label.setText(text)
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
        for widget in (self.title_edit, self.zone_box, self.passphrase_edit, self.repeat_edit):
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
        self.passphrase_edit.setText("")  # not clear(): that keeps an undo step
        self.repeat_edit.setText("")
        self.accept()

    def _failed(self, error: object) -> None:
        self._operation = None
        self._set_busy(False)
        self.status_label.setText(self.tr("The vault was not created: %s") % prompts.explain(error))

    def reject(self) -> None:
        if self._operation is not None:
            return  # the file is being written; it finishes in a moment
        self.passphrase_edit.setText("")  # not clear(): that keeps an undo step
        self.repeat_edit.setText("")
        super().reject()
