"""The first thing a person sees: create a vault, open one, or try the demo case.

Calm and plain: three large choices with one sentence each. Vault locations are listed
only when the user has asked the program to remember them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.common.icons import icon
from nco_desktop.ui.common.presence_look import apply_presence, neutral_tip, neutral_words


class ChoiceCard(QFrame):
    """A big button-like card: icon, title, one sentence, and one action button."""

    def __init__(
        self, icon_name: str, title: str, text: str, button_text: str, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("choiceCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(16)
        picture = QLabel(self)
        self._icon_name, self._picture = icon_name, picture
        self.refresh_icon()
        picture.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(picture)
        words = QVBoxLayout()
        heading = QLabel(title, self)
        heading_font = heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.25)
        heading_font.setBold(True)
        heading.setFont(heading_font)
        self.text_label = QLabel(text, self)
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        words.addWidget(heading)
        words.addWidget(self.text_label)
        layout.addLayout(words, 1)
        self.button = QPushButton(button_text, self)
        self.button.setMinimumWidth(150)
        self.button.setAccessibleName(title)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)

    def refresh_icon(self) -> None:
        self._picture.setPixmap(icon(self._icon_name).pixmap(40, 40))


class StartScreen(QWidget):
    create_requested = Signal()
    open_requested = Signal()
    open_path_requested = Signal(object)  # Path of a remembered vault
    demo_requested = Signal()
    presence_changed = Signal()  # "Notes" turned on or off: titles are made again

    def __init__(self, settings: AppSettings, demo_passphrase: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._settings = settings
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        column = QVBoxLayout(body)
        column.setContentsMargins(32, 32, 32, 32)
        column.setSpacing(14)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)

        content = QWidget(body)
        content.setMaximumWidth(760)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        column.addWidget(content)

        title = QLabel(self.tr("NCO Desktop"), content)
        title_font = title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 2.0)
        title_font.setBold(True)
        title.setFont(title_font)
        intro = QLabel(
            self.tr(
                "Keep every piece of evidence in one encrypted vault on this computer, see "
                "the pattern on a timeline, and print a clean exhibit binder for your "
                "hearing. Nothing is ever sent over the internet."
            ),
            content,
        )
        intro.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(8)

        self.create_card = ChoiceCard(
            "vault-new",
            self.tr("Create a vault"),
            self.tr(
                "Start a new encrypted vault for your case. You choose a passphrase; "
                "only you can open the vault."
            ),
            self.tr("Create…"),
            content,
        )
        self.open_card = ChoiceCard(
            "vault-open",
            self.tr("Open a vault"),
            self.tr("Open a vault you made before, with its passphrase."),
            self.tr("Open…"),
            content,
        )
        self.demo_card = ChoiceCard(
            "demo",
            self.tr("Try the demo case"),
            self.tr(
                "Explore a made-up case to see how everything works. No real person's "
                "data is in it. Its passphrase is: %s"
            )
            % demo_passphrase,
            self.tr("Try the demo"),
            content,
        )
        self.create_card.button.clicked.connect(self.create_requested)
        self.open_card.button.clicked.connect(self.open_requested)
        self.demo_card.button.clicked.connect(self.demo_requested)
        for card in (self.create_card, self.open_card, self.demo_card):
            layout.addWidget(card)

        self.recent_label = QLabel(self.tr("Vaults you opened on this computer"), content)
        self.recent_list = QListWidget(content)
        self.recent_list.setAccessibleName(self.tr("Vaults you opened on this computer"))
        self.recent_list.setMaximumHeight(120)
        self.recent_list.itemActivated.connect(self._open_recent)
        layout.addWidget(self.recent_label)
        layout.addWidget(self.recent_list)

        self.remember_box = QCheckBox(
            self.tr("Remember where my vaults are (only their location, never what is in them)"),
            content,
        )
        self.remember_box.setChecked(settings.remember_vaults)
        self.remember_box.toggled.connect(self._remember_toggled)
        layout.addWidget(self.remember_box)
        privacy = QLabel(
            self.tr(
                "If someone else can use this computer, leave this off: then nothing on "
                "this screen shows that a vault exists."
            ),
            content,
        )
        privacy.setWordWrap(True)
        privacy.setObjectName("quiet")
        layout.addWidget(privacy)
        layout.addSpacing(4)
        self.neutral_box = QCheckBox(neutral_words(), content)
        self.neutral_box.setChecked(settings.neutral_presence)
        self.neutral_box.toggled.connect(self._neutral_toggled)
        layout.addWidget(self.neutral_box)
        neutral_note = QLabel(neutral_tip(), content)
        neutral_note.setWordWrap(True)
        neutral_note.setObjectName("quiet")
        layout.addWidget(neutral_note)
        self.refresh_recent()

    def refresh_icons(self) -> None:
        for card in (self.create_card, self.open_card, self.demo_card):
            card.refresh_icon()
        self.refresh_recent()

    def refresh_recent(self) -> None:
        self.recent_list.clear()
        recent = [path for path in self._settings.recent_vaults() if path.exists()]
        for path in recent:
            item = QListWidgetItem(icon("vault-open"), f"{path.name}  —  {path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.recent_list.addItem(item)
        self.recent_label.setVisible(bool(recent))
        self.recent_list.setVisible(bool(recent))

    def _open_recent(self, item: QListWidgetItem) -> None:
        self.open_path_requested.emit(Path(item.data(Qt.ItemDataRole.UserRole)))

    def _neutral_toggled(self, neutral: bool) -> None:
        """Saved and shown at once: the taskbar changes as the box is ticked."""
        self._settings.neutral_presence = neutral
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            apply_presence(app, neutral)
        self.presence_changed.emit()

    def _remember_toggled(self, remember: bool) -> None:
        self._settings.remember_vaults = remember
        self.refresh_recent()
