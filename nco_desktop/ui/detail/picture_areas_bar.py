"""Under a picture: mark areas to black out in the copy for the other side.

The user drags boxes over what the respondent must not see (their street, their own
number, a child's school). Each box is saved at once — there is nothing to forget to
save — and drawn solid over the picture, as the served copy will print it. The court's
copy and the original stay whole, and the bar says so, because a frightened user
needs to know the evidence itself is not being altered.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nco_desktop.evidence.picture_areas import Area, picture_areas, set_picture_areas
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.widgets import quiet
from nco_desktop.ui.detail.image_viewer import Fractions, ImageViewer
from nco_desktop.vault import Vault


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
        self.mark_button = QPushButton(self.tr("Hide areas from the other side…"), self)
        self.mark_button.setCheckable(True)
        self.mark_button.setToolTip(
            self.tr(
                "Drag a box over anything the other side must not see, such as your "
                "address or phone number. It is blacked out only in their copy."
            )
        )
        self.mark_button.toggled.connect(self._toggle_marking)
        self.undo_button = QPushButton(self.tr("Remove last box"), self)
        self.undo_button.clicked.connect(self.remove_last)
        self.clear_button = QPushButton(self.tr("Remove all"), self)
        self.clear_button.clicked.connect(self.remove_all)
        self.status = quiet(QLabel(self))
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.mark_button)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        viewer.area_drawn.connect(self._drawn)
        self._show()

    def areas(self) -> list[Area]:
        return list(self._areas)

    def remove_last(self) -> None:
        if self._areas:
            self._save(self._areas[:-1])

    def remove_all(self) -> None:
        if self._areas:
            self._save([])

    def _toggle_marking(self, on: bool) -> None:
        self._viewer.set_marking(on)
        self.mark_button.setText(
            self.tr("Done marking") if on else self.tr("Hide areas from the other side…")
        )
        self._show()

    def _drawn(self, fractions: Fractions) -> None:
        area = Area(*fractions).clamped()
        if not area.usable:
            self.status.setText(self.tr("That box was too small; drag across the area."))
            return
        self._save([*self._areas, area])

    def _save(self, areas: list[Area]) -> None:
        try:
            changed = set_picture_areas(self._vault, self._original_id, areas)
        except Exception as error:
            self.status.setText(
                self.tr("The box could not be saved: %1").replace("%1", prompts.explain(error))
            )
            return
        self._areas = picture_areas(self._vault.conn, self._original_id)
        self._show()
        if changed:
            self.changed.emit(self._original_id)

    def _show(self) -> None:
        self._viewer.set_areas([(a.left, a.top, a.right, a.bottom) for a in self._areas])
        count = len(self._areas)
        self.undo_button.setVisible(count > 0)
        self.clear_button.setVisible(count > 0)
        if self.mark_button.isChecked():
            text = self.tr("Drag across the picture to black out an area. Each box is saved.")
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
