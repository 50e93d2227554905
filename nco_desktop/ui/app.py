"""Starting the window.

For now a calm placeholder that says what the program is and points to the command
line; the start screen, the timeline and the demo case replace it in the next steps.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

APP_NAME = "NCO Desktop"


class PlaceholderWindow(QMainWindow):
    def __init__(self, *, demo: bool = False) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("NCO Desktop"))
        self.resize(760, 480)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(16)
        title = QLabel(self.tr("NCO Desktop"), body)
        title.setObjectName("title")
        font = title.font()
        font.setPointSize(font.pointSize() + 10)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            self.tr(
                "Keep every piece of evidence in one encrypted vault, see the pattern on a "
                "timeline, and print a clean exhibit binder for your hearing. Nothing leaves "
                "this computer."
            ),
            body,
        )
        intro.setWordWrap(True)
        status_text = (
            self.tr("The demo case opens here once the window is finished.")
            if demo
            else self.tr("The window is still being built.")
        )
        status = QLabel(
            status_text
            + " "
            + self.tr("Until then, everything works from the command line: nco-desktop --help"),
            body,
        )
        status.setWordWrap(True)
        status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(status)
        layout.addStretch(1)
        self.setCentralWidget(body)


def run_gui(*, demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    window = PlaceholderWindow(demo=demo)
    window.show()
    return int(app.exec())
