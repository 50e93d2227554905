"""What the user sees while files are imported, and afterwards.

The progress dialog appears only when an import takes longer than half a second (no
flicker for one file), lists each file with its outcome as it is known, and Esc, the
close button and "Stop" all mean stop. The summary names every file that did not go in
and says why, in words, never with a traceback.

File names, zip members and the reasons that quote them are chosen by whoever made the
file: each is shown through :func:`~nco_desktop.safe_text.safe_line`, so a bidi override
cannot make ``gpj.exe`` read as ``exe.jpg`` and a newline cannot forge a second line;
tooltips are escaped rich text, so a name that looks like HTML is shown, not rendered.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.importers.batch import FileResult, ImportSummary, Outcome
from nco_desktop.safe_text import safe_line
from nco_desktop.ui.common.icons import icon

SHOW_AFTER_MS = 500

_OUTCOME_ICONS = {
    Outcome.IMPORTED: "outcome-ok",
    Outcome.DUPLICATE: "outcome-same",
    Outcome.KEPT: "outcome-kept",
    Outcome.FAILED: "outcome-failed",
    Outcome.SKIPPED: "outcome-skipped",
    Outcome.NEEDS_CHOICE: "outcome-skipped",
}


def shown(text: str) -> str:
    """Text from a file, safe for a list or label in plain-text format."""
    return safe_line(text)


def tooltip(text: str) -> str:
    """Text from a file as a tooltip: Qt guesses whether a tooltip is rich text, so it is
    always given as escaped rich text, never left to the guess."""
    return f"<p>{html.escape(safe_line(text))}</p>"


def outcome_words(result: FileResult) -> str:
    """One plain line for a file's outcome (its reason made safe to show)."""

    def tr(text: str, n: int = -1) -> str:
        return QCoreApplication.translate("import", text, None, n)

    if result.outcome is Outcome.IMPORTED:
        base = tr("%n entries", result.entries_added) if result.entries_added else tr("imported")
    elif result.outcome is Outcome.DUPLICATE:
        base = tr("already in the vault")
    elif result.outcome is Outcome.KEPT:
        base = tr("kept, but its contents could not be read")
    elif result.outcome is Outcome.FAILED:
        base = tr("not imported")
    elif result.outcome is Outcome.NEEDS_CHOICE:
        base = tr("not imported yet: its dates read two ways")
    else:
        base = tr("skipped")
    return f"{base}: {shown(result.message)}" if result.message else base


class ImportProgressDialog(QDialog):
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Importing"))
        self.setModal(False)
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        self.headline = QLabel(self.tr("Getting ready…"), self)
        self.bar = QProgressBar(self)
        self.current = QLabel(self)
        self.current.setObjectName("quiet")
        self.current.setTextFormat(Qt.TextFormat.PlainText)
        self.files = QListWidget(self)
        self.files.setAccessibleName(self.tr("Files imported so far"))
        self.files.setUniformItemSizes(True)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setToolTip(
            self.tr("Stop after the current file. Files already imported stay in the vault.")
        )
        self.stop_button.clicked.connect(self.request_stop)
        layout.addWidget(self.headline)
        layout.addWidget(self.bar)
        layout.addWidget(self.current)
        layout.addWidget(self.files, 1)
        layout.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignRight)
        self._stopping = False
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self.show)

    def start(self) -> None:
        self._show_timer.start(SHOW_AFTER_MS)

    def set_progress(self, done: int, total: int, label: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if not self._stopping:
            self.headline.setText(
                self.tr("Importing file %1 of %2")
                .replace("%1", str(min(done + 1, total)))
                .replace("%2", str(total))
            )
        self.current.setText(shown(label))

    def add_result(self, result: FileResult) -> None:
        item = QListWidgetItem(
            icon(_OUTCOME_ICONS[result.outcome]), f"{shown(result.name)} — {outcome_words(result)}"
        )
        item.setToolTip(tooltip(outcome_words(result)))
        self.files.addItem(item)
        self.files.scrollToBottom()

    def request_stop(self) -> None:
        if self._stopping:
            return
        self._stopping = True
        self.stop_button.setEnabled(False)
        self.headline.setText(self.tr("Stopping…"))
        self.stop_requested.emit()

    def finish(self) -> None:
        self._show_timer.stop()
        self.files.clear()
        self.current.clear()
        self.hide()
        self.deleteLater()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.request_stop()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.request_stop()
        event.ignore()

    def reject(self) -> None:
        self.request_stop()


class ImportSummaryDialog(QDialog):
    #: The files that were already in the vault, to read again (see ImportController).
    read_again_requested = Signal(list)

    def __init__(self, summary: ImportSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import finished"))
        self.resize(600, 420)
        layout = QVBoxLayout(self)
        imported = summary.count(Outcome.IMPORTED)
        same = summary.count(Outcome.DUPLICATE)
        failed = summary.count(Outcome.FAILED)
        kept = summary.count(Outcome.KEPT)
        skipped = summary.count(Outcome.SKIPPED)
        tr = self.tr

        def said(count: int, one: str, many: str) -> str:
            """ "1 file was …" or "3 files were …": English has no "file(s)"."""
            return (one if count == 1 else many).replace("%n", f"{count:,}")

        entries = f"{summary.entries_added:,}"
        lines = [
            said(
                imported,
                tr("%n file imported, with %1 new timeline entries."),
                tr("%n files imported, with %1 new timeline entries."),
            ).replace("%1", entries)
        ]
        if same:
            lines.append(
                said(
                    same,
                    tr("%n file was already in the vault and was skipped."),
                    tr("%n files were already in the vault and were skipped."),
                )
            )
        if kept:
            lines.append(
                said(
                    kept,
                    tr("%n file was kept as it is, but its contents could not be read."),
                    tr("%n files were kept as they are, but their contents could not be read."),
                )
            )
        if failed:
            lines.append(
                said(
                    failed,
                    tr("%n file could not be imported."),
                    tr("%n files could not be imported."),
                )
            )
        if skipped:
            lines.append(said(skipped, tr("%n file was skipped."), tr("%n files were skipped.")))
        if summary.cancelled:
            lines.append(self.tr("The import was stopped before the end, as you asked."))
        self.headline = QLabel("\n".join(lines), self)
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        problems = [
            r for r in summary.results if r.outcome in (Outcome.FAILED, Outcome.KEPT) or r.problems
        ]
        self.problem_list = QListWidget(self)
        self.problem_list.setAccessibleName(self.tr("Files that need your attention"))
        self.problem_list.setWordWrap(True)
        for result in problems:
            words = outcome_words(result)
            if result.problems:
                words += " — " + "; ".join(shown(problem) for problem in result.problems[:3])
            item = QListWidgetItem(
                icon(_OUTCOME_ICONS[result.outcome]), f"{shown(result.name)}\n{words}"
            )
            item.setToolTip(tooltip(result.path))
            self.problem_list.addItem(item)
        if problems:
            intro = QLabel(self.tr("These files need your attention:"), self)
            layout.addWidget(intro)
            layout.addWidget(self.problem_list, 1)
        else:
            self.problem_list.hide()
            layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        self.read_again_button: QPushButton | None = None
        already = [r.path for r in summary.results if r.outcome is Outcome.DUPLICATE]
        if already:
            # A chat read with the wrong date order is fixed by reading it again; the
            # words say what it replaces. Never the default: OK stays on Enter.
            one = len(already) == 1
            self.read_again_button = buttons.addButton(
                self.tr("Read it again…") if one else self.tr("Read them again…"),
                QDialogButtonBox.ButtonRole.ActionRole,
            )
            hint = QLabel(
                self.tr(
                    "Read wrongly the first time (a chat's dates in the wrong order)? "
                    "“Read it again” replaces what it put on the timeline; your incidents, "
                    "exhibits and notes on it are kept."
                )
                if one
                else self.tr(
                    "Read wrongly the first time (a chat's dates in the wrong order)? "
                    "“Read them again” replaces what they put on the timeline; your "
                    "incidents, exhibits and notes on them are kept."
                ),
                self,
            )
            hint.setWordWrap(True)
            layout.addWidget(hint)
            self.read_again_button.setAutoDefault(False)
            self.read_again_button.setToolTip(
                self.tr(
                    "Read the files that were already in the vault again, replacing the "
                    "entries they put on the timeline (for a chat read with the wrong date "
                    "order, say). Your incidents, exhibits and notes on them are kept."
                )
            )

            def again() -> None:
                self.accept()
                self.read_again_requested.emit(already)

            self.read_again_button.clicked.connect(again)
        layout.addWidget(buttons)
