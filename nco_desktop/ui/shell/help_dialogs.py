"""Help ▸ Guide, Keyboard shortcuts, About: all offline, all inside the program.

The guide is a short text shipped in ``resources/help/guide.md`` (a translator adds
``guide.<language>.md`` beside it), shown read-only in the program: no browser is
started and no link is followed, since a browser would leave history and may go
online. The shortcuts are read from the window's actions each time the list is shown,
so the list can never drift from what the keys really do. About names the versions a
helper asks for first: the program's, Qt's and PySide6's, SQLCipher's and Python's.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import PySide6
from PySide6.QtCore import QLocale, QObject, Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nco_desktop import __version__
from nco_desktop.resources import resources_dir
from nco_desktop.ui.detail.area_keys import KEYS_HELP
from nco_desktop.ui.shell.session_guard import DOUBLE_ESC_MS
from nco_desktop.vault.connection import sqlcipher_version


def guide_path(locale: QLocale | None = None) -> Path:
    """The guide in the user's language if one ships, else the English one."""
    folder = resources_dir() / "help"
    name = (locale or QLocale()).name().split("_")[0]
    translated = folder / f"guide.{name}.md"
    return translated if translated.is_file() else folder / "guide.md"


def action_words(action: QAction) -> str:
    """What an action does, as its menu says it, without mnemonics or the ellipsis."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")


def window_shortcuts(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(keys, what they do, where they work) for every action of *window* with a
    shortcut: the window's own first (they work anywhere in it), then the views'
    (they work while the keyboard is in that part). Read now, from the actions."""
    native = QKeySequence.SequenceFormat.NativeText
    anywhere = window.tr("Anywhere in the window")
    in_view = window.tr("While typing or working in that part")
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    own = list(window.actions())
    others = [action for action in window.findChildren(QAction) if action not in own]
    for where, actions in ((anywhere, own), (in_view, others)):
        for action in actions:
            words = action_words(action)
            for sequence in action.shortcuts():
                keys = sequence.toString(native)
                if not keys or not words or (keys, words) in seen:
                    continue
                seen.add((keys, words))
                rows.append((keys, words, where))
    quick_exit = window.tr("Esc, twice within %1 s").replace(
        "%1", QLocale().toString(DOUBLE_ESC_MS / 1000, "g", 2)
    )
    rows.insert(0, (quick_exit, window.tr("Quick exit: hide, lock and close at once"), anywhere))
    marking = window.tr("While marking areas to hide on a picture")
    rows += [(window.tr(keys), window.tr(words), marking) for keys, words in KEYS_HELP]
    return rows


class HelpDialog(QDialog):
    """The guide and the keyboard shortcuts, on two tabs of one read-only window."""

    GUIDE, SHORTCUTS = range(2)

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle(self.tr("Help"))
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.guide = QTextBrowser(self)
        self.guide.setOpenLinks(False)  # nothing leaves the program, nothing is followed
        self.guide.setOpenExternalLinks(False)
        self.guide.setAccessibleName(self.tr("Guide"))
        try:
            self.guide.setMarkdown(guide_path().read_text(encoding="utf-8"))
        except OSError:
            self.guide.setPlainText(self.tr("The guide is missing from this installation."))
        self.tabs.addTab(self.guide, self.tr("Guide"))

        rows = window_shortcuts(window)
        self.shortcuts = QTableWidget(len(rows), 3, self)
        self.shortcuts.setHorizontalHeaderLabels(
            [self.tr("Keys"), self.tr("What they do"), self.tr("Where")]
        )
        self.shortcuts.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.shortcuts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.shortcuts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.shortcuts.verticalHeader().hide()
        self.shortcuts.setWordWrap(True)
        header = self.shortcuts.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.shortcuts.setItem(row, column, QTableWidgetItem(value))
        self.shortcuts.setCurrentCell(-1, -1)  # a list to read: no row looks chosen
        self.tabs.addTab(self.shortcuts, self.tr("Keyboard shortcuts"))
        layout.addWidget(self.tabs)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 560)

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self.tabs.currentWidget().setFocus()


def versions() -> list[tuple[str, str]]:
    """(what, version) for About: what a helper asks first when something goes wrong."""
    return [
        ("NCO Desktop", __version__),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("SQLCipher", sqlcipher_version()),
        ("reportlab", _package_version("reportlab")),
        ("pypdf", _package_version("pypdf")),
        ("OCR", _ocr_engine()),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
    ]


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:  # a frozen build may carry no metadata
        module = __import__(name)
        return str(getattr(module, "__version__", getattr(module, "Version", "unknown")))


def _ocr_engine() -> str:
    """Tesseract's own version (loading the library reads no evidence: OCR itself runs
    only in the sandbox), and the binding's."""
    try:
        import tesserocr

        engine = tesserocr.tesseract_version().split()[1]
        return f"Tesseract {engine} (tesserocr {tesserocr.__version__})"
    except (ImportError, IndexError, RuntimeError):
        return "not available"


def licence_text() -> str:
    """The GNU GPL, as shipped beside the program (in a checkout, at its root)."""
    for place in (resources_dir() / "LICENSE", resources_dir().parent / "LICENSE"):
        if place.is_file():
            return place.read_text(encoding="utf-8")
    return "GNU General Public License, version 3 or later: https://www.gnu.org/licenses/"


class LicenceDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Licence"))
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText(licence_text())
        self.text.setAccessibleName(self.tr("Licence"))
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 560)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About NCO Desktop"))
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        title = QLabel(f"NCO Desktop {__version__}", self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        about = QLabel(
            self.tr(
                "Keeps evidence of harassment in one encrypted vault on this computer, "
                "shows it on one timeline, and prints an exhibit binder for a "
                "protection-order hearing. It works offline and never connects to the "
                "network. Free software under the GNU GPL, version 3 or later."
            ),
            self,
        )
        about.setWordWrap(True)
        layout.addWidget(about)
        self.versions_label = QLabel(
            "\n".join(f"{name}: {version}" for name, version in versions()), self
        )
        self.versions_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.versions_label.setAccessibleName(self.tr("Versions"))
        layout.addWidget(self.versions_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.licence_button = buttons.addButton(
            self.tr("&Licence…"), QDialogButtonBox.ButtonRole.HelpRole
        )
        self.licence_button.clicked.connect(self.show_licence)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())

    def show_licence(self) -> LicenceDialog:
        dialog = LicenceDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog


class HelpMenu(QObject):
    """The Help menu's actions, and the one help window they open (not modal: the
    guide can stay open beside the work; each opening reads the shortcuts afresh)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._dialog: HelpDialog | None = None
        tr = self.tr
        self.guide_action = self._action(tr("&Guide"), lambda: self.show(HelpDialog.GUIDE))
        self.shortcuts_action = self._action(
            tr("&Keyboard shortcuts"), lambda: self.show(HelpDialog.SHORTCUTS)
        )
        self.shortcuts_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.about_action = self._action(tr("&About NCO Desktop"), self.about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        menu = window.menuBar().addMenu(tr("&Help"))
        menu.addAction(self.guide_action)
        menu.addAction(self.shortcuts_action)
        menu.addSeparator()
        menu.addAction(self.about_action)

    def _action(self, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self._window)
        action.triggered.connect(slot)
        self._window.addAction(action)  # its shortcut works anywhere in the window
        return action

    @property
    def dialog(self) -> HelpDialog | None:
        return self._dialog

    def show(self, tab: int) -> HelpDialog:
        if self._dialog is not None and not self._dialog.isVisible():
            self._dialog.deleteLater()  # read again: the shortcuts are the window's now
            self._dialog = None
        if self._dialog is None:
            self._dialog = HelpDialog(self._window)
        self._dialog.show_tab(tab)
        self._dialog.show()
        self._dialog.raise_()
        self._dialog.activateWindow()
        return self._dialog

    def about(self) -> AboutDialog:
        dialog = AboutDialog(self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog
