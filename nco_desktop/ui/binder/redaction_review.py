"""The review of private details: each place the copy for the other side hides, checked
by the user before that copy is printed or saved (issue #15).

Matching finds "Juniper Ln" for "Juniper Lane" and keeps "Willow Park" whole, but it
cannot know that "Will" at the start of a sentence is not the child named Will. So the
Binder view lists every place (where, which detail, the words around it) with a tick for
"hide", all ticked at first, and builds again with the user's choices. The choices are
kept in the vault (:mod:`nco_desktop.binder.review`), so a place decided once is not
asked about again; a new place is hidden and asked about before the copy leaves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.binder.copies import unreviewed
from nco_desktop.binder.review import UNREAD, Finding, load_decisions, save_decisions
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.widgets import plain_label

if TYPE_CHECKING:
    from nco_desktop.ui.binder.binder_page import BinderPage

HIDE, WHERE, DETAIL, WORDS = range(4)
TITLE = "Check what is hidden from the other side"


class RedactionReview(QDialog):
    """Every place found, ticked to hide; the user unticks what may stay."""

    def __init__(
        self, findings: list[Finding], released: frozenset[str], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr(TITLE))
        self._findings = findings
        self._ticks: list[QTableWidgetItem] = []
        intro = plain_label(
            self.tr(
                "Each row is a place in the copy for the other side where one of your "
                "private details was found. Ticked places are blacked out. Untick a place "
                "only if it is not your private detail (for example “Will” starting a "
                "sentence, when Will is your child's name). A page the computer could not "
                "read is left out while ticked: look at it in the court's copy first."
            ),
            self,
            selectable=False,
        )
        self.table = QTableWidget(len(findings), 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Hide"), self.tr("Where"), self.tr("Detail"), self.tr("Words around it")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        for row, finding in enumerate(findings):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            hidden = finding.key not in released
            tick.setCheckState(Qt.CheckState.Checked if hidden else Qt.CheckState.Unchecked)
            tick.setData(Qt.ItemDataRole.AccessibleTextRole, self.tr("Hide"))
            self.table.setItem(row, HIDE, tick)
            self._ticks.append(tick)
            detail = finding.detail if finding.kind != UNREAD else self.tr("(page not checked)")
            for column, text in ((WHERE, finding.where), (DETAIL, detail)):
                self.table.setItem(row, column, QTableWidgetItem(text))
            words = QTableWidgetItem(finding.context)
            words.setToolTip(finding.context)
            self.table.setItem(row, WORDS, words)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(HIDE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WHERE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DETAIL, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WORDS, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(WHERE, self.fontMetrics().horizontalAdvance("M" * 14))
        self.table.resizeRowsToContents()
        self.hide_all = QPushButton(self.tr("Hide &all"), self)
        self.hide_all.clicked.connect(self._hide_all)
        buttons = QDialogButtonBox(self)
        self.accept_button = buttons.addButton(
            self.tr("&Build with these choices"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.setDefault(True)  # builds again in memory: nothing is written
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row_of_buttons = QHBoxLayout()
        row_of_buttons.addWidget(self.hide_all)
        row_of_buttons.addStretch(1)
        row_of_buttons.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_of_buttons)
        self.resize(self.fontMetrics().horizontalAdvance("M") * 70, 420)

    def _hide_all(self) -> None:
        for tick in self._ticks:
            tick.setCheckState(Qt.CheckState.Checked)

    def released(self) -> frozenset[str]:
        """The keys of the places left unticked."""
        return frozenset(
            finding.key
            for tick, finding in zip(self._ticks, self._findings, strict=True)
            if tick.checkState() != Qt.CheckState.Checked
        )


def ask_review(
    parent: QWidget, findings: list[Finding], released: frozenset[str]
) -> frozenset[str] | None:
    """The keys the user leaves visible, or None if they cancelled. Tests queue the
    answer with ``prompts.answer_next``."""
    title = QCoreApplication.translate(
        "RedactionReview", "Check what is hidden from the other side"
    )
    canned, answer = prompts.canned("review", title, f"{len(findings)} places")
    if canned:
        return None if answer is None else frozenset(answer)
    dialog = RedactionReview(findings, released, parent)
    try:
        return dialog.released() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


class ReviewFlow(QObject):
    """The Binder view's part: a note with Review…, and the check before the copy for
    the other side is printed or saved."""

    def __init__(self, page: BinderPage) -> None:
        super().__init__(page)
        self._page = page
        self.box = QWidget(page)
        self.note = plain_label("", self.box, selectable=False)
        self.button = QPushButton(self.tr("&Review…"), self.box)
        self.button.setToolTip(self.tr("Review the private details hidden in that copy"))
        self.button.clicked.connect(self.review)
        layout = QHBoxLayout(self.box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.box.hide()

    def update(self) -> None:
        """Say what the built copy for the other side hides, and whether it is checked."""
        page, vault = self._page, self._page.session.vault
        built = page.built
        if vault is None or built is None or built.service is None:
            self.box.hide()
            return
        findings = built.service.findings
        if not findings:
            self.box.hide()
            return
        # Short: on a small screen a long note took the preview's room.
        shown = sum(f.key in built.released for f in findings)
        hidden = len(findings) - shown
        text = (
            self.tr("Other side's copy: 1 private detail hidden")
            if hidden == 1
            else self.tr("Other side's copy: %1 private details hidden").replace("%1", str(hidden))
        )
        if shown:
            text += self.tr(", %1 left as you chose").replace("%1", str(shown))
        waiting = unreviewed(built, vault)
        text += self.tr(". Check them before printing or saving.") if waiting else "."
        self.note.setObjectName("warningBox" if waiting else "")
        self.note.style().unpolish(self.note)
        self.note.style().polish(self.note)
        self.note.setText(text)
        self.button.setEnabled(not page.busy)
        self.box.show()

    def ready(self) -> bool:
        """Before the copy for the other side is printed or saved: True when every place
        it hides has been looked at; otherwise the review is shown first (and False when
        the user cancels it or changed something, which builds again)."""
        vault, built = self._page.session.vault, self._page.built
        if vault is None or built is None or not unreviewed(built, vault):
            return True
        return self.review()

    def review(self) -> bool:
        """Show the review; keep the choices; build again if a place changed. True when
        the built copy still stands as reviewed."""
        page, vault, built = self._page, self._page.session.vault, self._page.built
        if vault is None or built is None or built.service is None or page.busy:
            return False
        findings = list(built.service.findings)
        released, seen = load_decisions(vault)
        answer = ask_review(page, findings, released)
        if answer is None:
            return False
        keys = {finding.key for finding in findings}
        chosen = (released - keys) | answer
        save_decisions(vault, chosen, seen | keys)
        if chosen != built.released:
            page.say(self.tr("Building again with your choices…"))
            page.build()
            return False
        self.update()
        return True
