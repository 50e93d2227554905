"""The few settings the program has: when to lock by itself, what to remember,
whether the window names the vault, and whether the program appears as "Notes"."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.common.presence_look import apply_presence, neutral_tip, neutral_words
from nco_desktop.ui.common.wheel_guard import guard_wheel


class PreferencesDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.idle_box = QSpinBox(self)
        self.idle_box.setRange(1, 240)
        self.idle_box.setSuffix(self.tr(" minutes"))
        self.idle_box.setValue(settings.idle_lock_minutes)
        self.idle_box.setAccessibleName(self.tr("Lock the vault after this many idle minutes"))
        guard_wheel(self.idle_box)
        form.addRow(self.tr("Lock the vault after"), self.idle_box)
        self.remember_box = QCheckBox(self.tr("Remember where my vaults are"), self)
        self.remember_box.setChecked(settings.remember_vaults)
        form.addRow("", self.remember_box)
        self.title_box = QCheckBox(self.tr("Show the vault's name in the window title"), self)
        self.title_box.setToolTip(
            self.tr(
                "The title is seen in the taskbar and the task switcher, and by anyone "
                "watching the screen. Off, the window is just “NCO Desktop”."
            )
        )
        self.title_box.setChecked(settings.show_vault_name)
        form.addRow("", self.title_box)
        self.neutral_box = QCheckBox(neutral_words(), self)
        self.neutral_box.setToolTip(neutral_tip())
        self.neutral_box.setChecked(settings.neutral_presence)
        form.addRow("", self.neutral_box)
        layout.addLayout(form)
        note = QLabel(
            self.tr(
                "Only these settings are saved on this computer. They never hold anything "
                "from your evidence. Turning “remember” off forgets the vault locations now."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setObjectName("quiet")
        layout.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        self._settings.idle_lock_minutes = self.idle_box.value()
        self._settings.remember_vaults = self.remember_box.isChecked()
        self._settings.show_vault_name = self.title_box.isChecked()
        self._settings.neutral_presence = self.neutral_box.isChecked()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            apply_presence(app, self._settings.neutral_presence)
        super().accept()
