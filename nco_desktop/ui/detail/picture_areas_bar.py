"""Under a picture: mark areas to black out in the copy for the other side.

The user drags boxes over what the respondent must not see (their street, their own
number, a child's school). Each box is saved at once — there is nothing to forget to
save — and drawn solid over the picture, as the served copy will print it. The court's
copy and the original stay whole, and the bar says so, because a frightened user
needs to know the evidence itself is not being altered.

Without a mouse, *Add box* (Ctrl+Shift+A) puts a box on the picture for the arrow keys
(:mod:`.area_keys`); a box made or changed that way is saved by the same
:meth:`PictureAreasBar._save` as a dragged one, one audited write per box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nco_desktop.evidence.picture_areas import Area, picture_areas, set_picture_areas
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.widgets import quiet
from nco_desktop.ui.detail.image_viewer import Fractions, ImageViewer
from nco_desktop.vault import Vault

ADD_KEYS = "Ctrl+Shift+A"


class PictureAreasBar(QWidget):
    changed = Signal(int)  # original id, after the areas were saved

    def __init__(
        self, vault: Vault, original_id: int, viewer: ImageViewer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._original_id = original_id
        self._viewer = viewer
        self._areas = picture_areas(vault.conn, original_id)
        self._problem: str | None = None  # why the last box was not saved, until one is
        self.mark_button = QPushButton(self.tr("Hide areas from the other side…"), self)
        self.mark_button.setCheckable(True)
        self.mark_button.setToolTip(
            self.tr(
                "Drag a box over anything the other side must not see, such as your "
                "address or phone number. It is blacked out only in their copy. "
                "Without a mouse: Add box, then the arrow keys."
            )
        )
        self.mark_button.toggled.connect(self._toggle_marking)
        self.add_action = QAction(self.tr("Add box"), self)
        self.add_action.setShortcut(QKeySequence(ADD_KEYS))
        # Works from the bar and from the picture (an action may belong to both).
        self.add_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.add_action.triggered.connect(self.add_box)
        self.addAction(self.add_action)
        viewer.addAction(self.add_action)
        keys = self.add_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.add_button = QPushButton(self.tr("Add box"), self)
        self.add_button.setToolTip(
            self.tr(
                "Put a box in the middle of the picture to move with the keyboard (%1): "
                "arrow keys move it, Shift+arrows change its size, Ctrl takes bigger "
                "steps, Enter saves it, Esc takes it back, Delete removes it, Tab goes "
                "to the next box."
            ).replace("%1", keys)
        )
        self.add_button.setAccessibleDescription(self.add_button.toolTip())
        self.add_button.clicked.connect(self.add_box)
        self.undo_button = QPushButton(self.tr("Remove last box"), self)
        self.undo_button.clicked.connect(self.remove_last)
        self.clear_button = QPushButton(self.tr("Remove all"), self)
        self.clear_button.clicked.connect(self.remove_all)
        self.status = quiet(QLabel(self))
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.mark_button)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        viewer.area_drawn.connect(self._drawn)
        viewer.keys.added.connect(self._drawn)  # the same saving as a dragged box
        viewer.keys.edited.connect(self._edited)
        viewer.keys.removed.connect(self._removed)
        viewer.keys.state_changed.connect(self._say)
        self._show()

    def areas(self) -> list[Area]:
        return list(self._areas)

    @property
    def vault(self) -> Vault:
        return self._vault

    @property
    def original_id(self) -> int:
        return self._original_id

    def reload(self, announce: bool = False) -> None:
        """The areas were saved elsewhere (the larger window, or the pane): show them
        as the vault has them; *announce* passes the change on through ``changed``."""
        self._areas = picture_areas(self._vault.conn, self._original_id)
        self._show()
        if announce:
            self.changed.emit(self._original_id)

    def add_box(self) -> None:
        """A box for the keyboard, in the middle of the picture (marking starts)."""
        if not self._viewer.has_image():
            return
        if not self.mark_button.isChecked():
            self.mark_button.setChecked(True)
        self._viewer.keys.add()

    def remove_last(self) -> None:
        if self._areas:
            self._save(self._areas[:-1])

    def remove_all(self) -> None:
        if self._areas:
            self._save([])

    def _toggle_marking(self, on: bool) -> None:
        self._viewer.set_marking(on)
        self._problem = None
        self.add_button.setVisible(on)
        self.mark_button.setText(
            self.tr("Done marking") if on else self.tr("Hide areas from the other side…")
        )
        self._show()

    def _drawn(self, fractions: Fractions) -> None:
        area = Area(*fractions).clamped()
        if not area.usable:
            self._problem = self.tr("That box was too small; drag across the area.")
            self._say()
            return
        self._save([*self._areas, area])

    def _edited(self, index: int, fractions: Fractions) -> None:
        if 0 <= index < len(self._areas):
            areas = list(self._areas)
            areas[index] = Area(*fractions).clamped()
            self._save(areas)

    def _removed(self, index: int) -> None:
        if 0 <= index < len(self._areas):
            self._save(self._areas[:index] + self._areas[index + 1 :])

    def _save(self, areas: list[Area]) -> None:
        try:
            changed = set_picture_areas(self._vault, self._original_id, areas)
        except Exception as error:
            self._problem = self.tr("The box could not be saved: %1").replace(
                "%1", prompts.explain(error)
            )
            self._say()
            return
        self._problem = None
        self._areas = picture_areas(self._vault.conn, self._original_id)
        self._show()
        if changed:
            self.changed.emit(self._original_id)

    def _show(self) -> None:
        self._viewer.set_areas([(a.left, a.top, a.right, a.bottom) for a in self._areas])
        count = len(self._areas)
        self.undo_button.setVisible(count > 0)
        self.clear_button.setVisible(count > 0)
        self.add_button.setVisible(self.mark_button.isChecked())
        self._say()

    def _say(self) -> None:
        count = len(self._areas)
        keys = self._viewer.keys.describe()
        if self._problem is not None:
            text = self._problem
        elif self.mark_button.isChecked() and keys:
            text = keys
        elif self.mark_button.isChecked():
            text = self.tr(
                "Drag across the picture to black out an area, or press Add box (%1) and "
                "use the arrow keys. Each box is saved."
            ).replace(
                "%1", self.add_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            )
        elif count:
            text = (
                (
                    self.tr("1 area will be blacked out in the copy for the other side.")
                    if count == 1
                    else self.tr(
                        "%1 areas will be blacked out in the copy for the other side."
                    ).replace("%1", str(count))
                )
                + " "
                + self.tr("The court's copy and your original stay whole.")
            )
        else:
            text = ""
        self.status.setText(text)
        self.status.setVisible(bool(text))
