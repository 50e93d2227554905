"""The English translation of an entry in another language, typed in the detail pane.

A judge reads English: a text in Spanish needs its English beside it. What is typed here
is printed after the exhibit's own pages in the binder, with a declaration for the
translator to sign (:mod:`nco_desktop.evidence.translations`). Most entries are in
English, so the box starts as one button and opens when there is something to show.

It is saved like the transcript — on leaving the box, on switching entries, before
locking, with Ctrl+S or with Save — and a save that fails keeps the words in the box
with the reason beside them. Moving between its own three fields saves nothing: the
language typed first must not be refused for want of the text typed next.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFocusEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.evidence.translations import Translation, set_translation, translation
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.widgets import bold, plain_label, quiet
from nco_desktop.vault import Vault


class TranslationBox(QWidget):
    saved = Signal(int)  # entry id, after a change was written

    def __init__(
        self,
        vault: Vault,
        entry_id: int,
        kind: str,
        found: Translation | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._entry_id = entry_id
        self._loaded = ("", "", "")  # (language, translator, text) as last saved
        self.open_button = QPushButton(self.tr("Add an English translation…"), self)
        self.open_button.setAccessibleName(self.tr("Add an English translation"))
        self.open_button.setToolTip(
            self.tr("For evidence in another language: the binder prints the English after it.")
        )
        self.open_button.clicked.connect(self.open_editor)
        self.editor = QWidget(self)
        self._build_editor(self.editor, kind)
        opener = QHBoxLayout()
        opener.setContentsMargins(0, 0, 0, 0)
        opener.addWidget(self.open_button)
        opener.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(opener)
        layout.addWidget(self.editor)
        if found is not None:
            self._show(found.language, found.translator, found.text)
            self.open_button.hide()
        else:
            self.editor.hide()

    def _build_editor(self, editor: QWidget, kind: str) -> None:
        # A message is shown among its neighbours: say which one the English is of.
        of = {
            "message": self.tr("English translation of the selected message"),
            "email": self.tr("English translation of this e-mail"),
            "image": self.tr("English translation of the words in this picture"),
            "document": self.tr("English translation of this document"),
            "audio": self.tr("English translation of this recording"),
            "call": self.tr("English translation for this call"),
        }
        heading = bold(plain_label(of.get(kind, self.tr("English translation")), editor))
        hint = quiet(
            plain_label(
                self.tr(
                    "Printed after this exhibit's pages in the binder, with a declaration "
                    "for the translator to sign. A court may ask for a qualified "
                    "interpreter's certified translation (California Rules of Court, "
                    "rule 3.1110(g))."
                ),
                editor,
                selectable=False,
            )
        )
        self.language_edit = QLineEdit(editor)
        self.language_edit.setPlaceholderText(self.tr("Spanish"))
        self.language_edit.setAccessibleName(self.tr("Language of the original"))
        self.translator_edit = QLineEdit(editor)
        self.translator_edit.setPlaceholderText(self.tr("you — or the translator's name"))
        self.translator_edit.setAccessibleName(
            self.tr("Translated by (leave blank if you translated it)")
        )
        self.translator_edit.setToolTip(
            self.tr(
                "Leave it blank if you translated it yourself: the binder then says so. "
                "If someone else did, give their full name; they sign the declaration."
            )
        )
        self.edit = QPlainTextEdit(editor)
        self.edit.setAccessibleName(self.tr("English translation of this entry"))
        self.edit.setPlaceholderText(self.tr("The English, as close to the original as you can"))
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(self.edit.fontMetrics().lineSpacing() * 5 + 14)
        # Enter in a one-line field goes on to the next field, and nothing else.
        self.language_edit.returnPressed.connect(self.translator_edit.setFocus)
        self.translator_edit.returnPressed.connect(self.edit.setFocus)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(4)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("Language of the original"), self.language_edit)
        form.addRow(self.tr("Translated by"), self.translator_edit)
        self.save_button = QPushButton(self.tr("Save translation"), editor)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.commit)
        self.status = quiet(QLabel(editor))
        self.status.setWordWrap(True)
        for field in (self.language_edit, self.translator_edit, self.edit):
            save = QAction(self.tr("Save translation"), field)
            save.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
            save.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            save.triggered.connect(self.commit)
            field.addAction(save)
            field.installEventFilter(self)
        self.save_button.setToolTip(
            self.tr("Save the translation (%1, while typing it)").replace(
                "%1",
                QKeySequence(QKeySequence.StandardKey.Save).toString(
                    QKeySequence.SequenceFormat.NativeText
                ),
            )
        )
        self.language_edit.textChanged.connect(self._edited)
        self.translator_edit.textChanged.connect(self._edited)
        self.edit.textChanged.connect(self._edited)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.edit)
        layout.addLayout(bar)

    @property
    def is_open(self) -> bool:
        """Whether the fields are shown (not only the button that opens them)."""
        return not self.editor.isHidden()

    @property
    def pending(self) -> bool:
        """Whether what the fields hold differs from what was saved. A language or a
        name typed before any English is not a translation yet: nothing to save."""
        now = self._typed()
        if not now[2] and not self._loaded[2]:
            return False
        return now != self._loaded

    def open_editor(self) -> None:
        """Show the fields (the user asked to add a translation) and start typing."""
        self.open_button.hide()
        self.editor.show()
        (self.edit if self.language_edit.text().strip() else self.language_edit).setFocus()

    def commit(self) -> bool:
        """Save the translation if it changed; False (words kept, reason shown) if it
        could not be saved. Blank English removes the translation."""
        if not self.pending:
            return True
        language, translator, text = self._typed()
        try:
            changed = set_translation(self._vault, self._entry_id, language, text, translator)
        except Exception as error:  # no language, a refused length, a full disk: keep it
            self.status.setText(
                self.tr("Your translation is not saved yet: %1 It is still here.").replace(
                    "%1", prompts.explain(error)
                )
            )
            return False
        if text:
            self.status.setText(self.tr("Translation saved."))
            # The vault keeps the language tidied ("spanish" → "Spanish"): show that.
            stored = translation(self._vault.conn, self._entry_id)
            if stored is not None and stored.language != language:
                self.language_edit.blockSignals(True)
                self.language_edit.setText(stored.language)
                self.language_edit.blockSignals(False)
        else:
            self.status.setText(self.tr("Translation removed; it will not be printed."))
        self._loaded = self._typed()
        self.save_button.setEnabled(False)
        if changed:
            self.saved.emit(self._entry_id)
        return True

    def clear(self) -> None:
        """Drop the words from the widgets (locking, switching entries)."""
        self._show("", "", "")
        self.status.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            and event.reason() != Qt.FocusReason.PopupFocusReason  # a context menu
        ):
            going_to = QApplication.focusWidget()  # already the new one during FocusOut
            if going_to is None or not self.isAncestorOf(going_to):
                self.commit()  # leaving the box, not moving between its fields
        return super().eventFilter(watched, event)

    def _typed(self) -> tuple[str, str, str]:
        return (
            self.language_edit.text().strip(),
            self.translator_edit.text().strip(),
            self.edit.toPlainText().strip(),
        )

    def _show(self, language: str, translator: str, text: str) -> None:
        """Put a saved translation in the fields, with nothing left to undo."""
        for field in (self.language_edit, self.translator_edit, self.edit):
            field.blockSignals(True)
        self.language_edit.setText(language)  # setText also empties the undo history
        self.translator_edit.setText(translator)
        self.edit.setPlainText(text)
        self.edit.document().clearUndoRedoStacks()
        for field in (self.language_edit, self.translator_edit, self.edit):
            field.blockSignals(False)
        self._loaded = self._typed()
        self.save_button.setEnabled(False)

    def _edited(self) -> None:
        self.save_button.setEnabled(self.pending)
        self.status.clear()
