"""The user's transcript of a recording, typed in the detail pane.

A judge reading the binder cannot play a voicemail; the transcript the user types here
is printed on the recording's page. It is saved like the note — on leaving the box, on
switching entries, before locking, or with Save — and a save that fails keeps the words
in the box with the reason beside them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.evidence.transcripts import set_transcript
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.widgets import quiet
from nco_desktop.vault import Vault


class TranscriptBox(QWidget):
    saved = Signal(int)  # entry id, after a change was written

    def __init__(
        self, vault: Vault, entry_id: int, text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._entry_id = entry_id
        self._loaded = text
        heading = QLabel(self.tr("Your transcript"), self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        hint = quiet(
            QLabel(
                self.tr(
                    "Type what is said, word for word, with who says it. It is printed on "
                    "this recording's page in the binder, marked as typed by you."
                ),
                self,
            )
        )
        hint.setWordWrap(True)
        self.edit = QPlainTextEdit(self)
        self.edit.setAccessibleName(self.tr("Your transcript of this recording"))
        self.edit.setPlaceholderText(self.tr("Caller: …"))
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(self.edit.fontMetrics().lineSpacing() * 6 + 14)
        self.edit.setPlainText(text)
        self.edit.document().clearUndoRedoStacks()
        self.edit.installEventFilter(self)
        self.edit.textChanged.connect(self._edited)
        save = QAction(self.tr("Save transcript"), self.edit)
        save.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        save.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        save.triggered.connect(self.commit)
        self.edit.addAction(save)
        self.save_button = QPushButton(self.tr("Save transcript"), self)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.commit)
        self.status = quiet(QLabel(self))
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.edit)
        layout.addLayout(bar)

    @property
    def pending(self) -> bool:
        return self.edit.toPlainText().strip() != self._loaded.strip()

    def commit(self) -> bool:
        """Save the transcript if it changed; False (words kept, reason shown) if it
        could not be saved."""
        if not self.pending:
            return True
        text = self.edit.toPlainText()
        try:
            changed = set_transcript(self._vault, self._entry_id, text)
        except Exception as error:  # a full disk, a refused length: say so, keep the text
            self.status.setText(
                self.tr("Your transcript is not saved yet: %1 It is still here.").replace(
                    "%1", prompts.explain(error)
                )
            )
            return False
        self._loaded = text
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Transcript saved."))
        if changed:
            self.saved.emit(self._entry_id)
        return True

    def clear(self) -> None:
        """Drop the words from the widget (locking, switching entries)."""
        self.edit.blockSignals(True)
        self.edit.clear()
        self.edit.document().clearUndoRedoStacks()
        self.edit.blockSignals(False)
        self._loaded = ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            self.commit()
        return super().eventFilter(watched, event)

    def _edited(self) -> None:
        self.save_button.setEnabled(self.pending)
        self.status.clear()
