"""Starting the window: the application object, its look, and its crash dialog.

The Fusion style draws the same on every platform and takes the OS's light or dark
palette (Qt follows a scheme change without a restart); ``ui.common.look`` makes its
check boxes visible in both and loads the emoji font. A small stylesheet only adds
what the palette cannot say: the quick-exit button's colour, warning boxes, and quiet
secondary text.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from nco_desktop.hardening import forget_freed_memory
from nco_desktop.resources import resources_dir
from nco_desktop.ui.common.app_settings import APPLICATION, ORGANIZATION, AppSettings
from nco_desktop.ui.common.look import NcoStyle, install_emoji_font
from nco_desktop.ui.common.presence_look import apply_presence

APP_NAME = "NCO Desktop"

STYLE_SHEET = """
QToolButton#quickExit {
    background: #b42318; color: white; border: 1px solid #8f1d13; border-radius: 6px;
    padding: 5px 12px; font-weight: bold;
}
QToolButton#quickExit:hover { background: #c8321f; }
QLabel#warningBox {
    border: 1px solid #d9a400; border-radius: 6px; padding: 10px;
    background: rgba(255, 196, 0, 40);
}
QLabel#errorText { color: #c0392b; font-weight: bold; }
QWidget#caseBanner {
    background: rgba(255, 196, 0, 48); border-bottom: 1px solid rgba(217, 164, 0, 160);
}
QFrame#choiceCard, QFrame#unlockPanel { border-radius: 10px; }
QListWidget#navigation { padding-top: 8px; }
QListWidget#navigation::item { padding: 4px 10px; border-radius: 6px; margin: 1px 6px; }
QListWidget#navigation { outline: 0; show-decoration-selected: 1; }
QListWidget#navigation::item:selected {
    background: palette(highlight); color: palette(highlighted-text); border: none;
}
"""


class NcoApplication(QApplication):
    """Our QApplication: names, style, and the palette-aware bits of the look."""

    color_scheme_applied = Signal()  # after the palette changed: icons are redrawn

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        # Qt's own dialogs everywhere, also those opened inside Qt (the print dialog's
        # "Print to file" chooser): a desktop's native chooser may add the file to its
        # recent-files list, which we cannot clear. Qt's own history is cleared by
        # prompts.clear_file_dialog_history after each dialog.
        self.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
        self.setApplicationName(APPLICATION)
        self.setOrganizationName(ORGANIZATION)
        apply_presence(self, AppSettings().neutral_presence)  # "Notes", if so chosen
        self._style = NcoStyle()  # Fusion, with check boxes one can see (WCAG 1.4.11)
        self.setStyle(self._style)
        install_emoji_font()
        self._translators = install_translations(self)
        self.styleHints().colorSchemeChanged.connect(self.apply_color_scheme)
        self.apply_color_scheme(self.styleHints().colorScheme())

    def apply_color_scheme(self, scheme: Qt.ColorScheme) -> None:
        """Follow the OS's light or dark choice, without a restart.

        Platforms that report no scheme keep their own palette. The style sheet is set
        again afterwards because widgets under a style sheet only pick up a new palette
        when it is re-applied.
        """
        if scheme == Qt.ColorScheme.Dark:
            self.setPalette(dark_palette())
        elif scheme == Qt.ColorScheme.Light:
            self.setPalette(self.style().standardPalette())
        quiet = "#9aa0a6" if is_dark() else "#5f6368"
        self.setStyleSheet(
            STYLE_SHEET + f'QLabel#quiet, QLabel[quiet="true"] {{ color: {quiet}; }}'
        )
        self.color_scheme_applied.emit()


def install_translations(app: QApplication) -> list[QTranslator]:
    """Our strings and Qt's own in the user's language, when a translation is shipped.

    ``resources/translations/nco_desktop_<language>.qm`` (from ``pyside6-lupdate`` and
    ``pyside6-lrelease``); every visible string is already wrapped in ``tr()``.
    """
    installed: list[QTranslator] = []
    locale = QLocale.system()
    candidates = (
        (str(resources_dir() / "translations"), "nco_desktop"),
        (QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), "qtbase"),
    )
    for folder, name in candidates:
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def dark_palette() -> QPalette:
    """A calm dark palette for Fusion: soft greys, readable contrast, a blue highlight."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#18191b",
        QPalette.ColorRole.AlternateBase: "#26272a",
        QPalette.ColorRole.ToolTipBase: "#303134",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2d2e31",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Light: "#3c4043",
        QPalette.ColorRole.Midlight: "#35363a",
        QPalette.ColorRole.Mid: "#2a2b2e",
        QPalette.ColorRole.Dark: "#111214",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Highlight: "#3b78c4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.LinkVisited: "#c58af9",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f7378"))
    return palette


def is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    if hints.colorScheme() == Qt.ColorScheme.Dark:
        return True
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def crash_report(kind: type[BaseException], tb: TracebackType | None) -> str:
    """Where the program failed, without the error's message: messages can hold file
    names or text from evidence, and this text may be pasted into a bug report."""
    frames = traceback.extract_tb(tb)
    lines = [f"{kind.__module__}.{kind.__qualname__}"]
    for frame in frames[-12:]:
        module = frame.filename.replace("\\", "/").rsplit("/nco_desktop/", 1)[-1]
        lines.append(f"  {module}:{frame.lineno} in {frame.name}")
    return "\n".join(lines)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    from nco_desktop.ui.shell.crash_dialog import CrashDialog

    report = crash_report(kind, tb)
    print(report, file=sys.stderr)
    if QApplication.instance() is not None:
        CrashDialog(report).exec()


def run_gui(*, demo: bool = False) -> int:
    # Before anything of a case is in memory: may start the program again, once, with
    # an allocator that overwrites what is freed, so Lock can forget (see hardening).
    forget_freed_memory()
    app = QApplication.instance() or NcoApplication(sys.argv[:1])
    from nco_desktop.ui.shell.main_window import MainWindow

    sys.excepthook = _excepthook
    window = MainWindow()
    window.quick_exited.connect(app.quit)
    window.show()
    if demo:
        window.open_demo()
    else:
        window.show_start()
    return int(app.exec())
