"""When something breaks: say so kindly, and offer a report that holds no evidence."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout


class CrashDialog(QDialog):
    def __init__(self, report: str) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Something went wrong"))
        layout = QVBoxLayout(self)
        text = QLabel(
            self.tr(
                "NCO Desktop hit an internal error. Your vault is safe: every change is saved "
                "whole or not at all. The report below says where the error happened and holds "
                "nothing from your evidence, so it can be shared with whoever helps you."
            ),
            self,
        )
        text.setWordWrap(True)
        self.report = QPlainTextEdit(report, self)
        self.report.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = buttons.addButton(self.tr("Copy report"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(report))
        buttons.rejected.connect(self.reject)
        layout.addWidget(text)
        layout.addWidget(self.report)
        layout.addWidget(buttons)
        self.resize(560, 360)
