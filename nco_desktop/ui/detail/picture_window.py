"""A picture in a window of its own, large enough to read.

A phone screenshot is 1080 × 2340 pixels: fitted whole into the detail pane it is
shown at about 13 %, and the threat in it cannot be read. *View larger* (the button,
Ctrl+Enter, or a double-click on the picture) opens it here, fitted to the window's
width — at most 100 %, so a small picture is shown at its own size — with the same
zoom keys and the same marking of areas to hide as the pane.

The pixels come from the pane's sandbox worker, asked again for a larger rendering
(:data:`~.sandbox_feed.LARGE_PICTURE_SIDE`); nothing is decoded in this process, and
the pane's picture stands in until the larger one arrives. The title is always
"Picture — NCO Desktop": a window switcher or a taskbar can be seen by others, so the
file's name never appears there. Locking, Quick exit, another entry or closing the
window drops the pixels (:meth:`PictureWindow.forget`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QCloseEvent, QImage
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.common.widgets import quiet
from nco_desktop.ui.detail.image_viewer import ImageViewer
from nco_desktop.ui.detail.picture_areas_bar import PictureAreasBar
from nco_desktop.ui.detail.sandbox_feed import LARGE_PICTURE_SIDE, SandboxFeed

SCREEN_SHARE = 0.85, 0.9  # of the screen's free width and height, at most
MIN_WIDTH = 720


class PictureWindow(QDialog):
    """One picture, large, with its zoom and its areas (``areas_bar``, if it may have
    some). ``closed`` once it has let go of the picture."""

    closed = Signal()

    def __init__(
        self,
        feed: SandboxFeed,
        blob_id: int,
        preview: QImage,
        areas_from: PictureAreasBar | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._forgotten = False
        # A window of its own (maximisable), owned by the main window; never modal, so
        # the timeline stays usable beside it.
        self.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.WindowTitleHint
            | Qt.WindowType.WindowSystemMenuHint
            | Qt.WindowType.WindowMinMaxButtonsHint
            | Qt.WindowType.WindowCloseButtonHint
        )
        self.setWindowTitle(self.tr("Picture — NCO Desktop"))
        self.setAccessibleName(self.tr("Picture, larger"))
        self.setModal(False)
        self.viewer = ImageViewer(self, large=True)
        self.status = quiet(QLabel(self.tr("Opening the picture at full size…"), self))
        self.status.setWordWrap(True)
        self.areas_bar: PictureAreasBar | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(6)
        layout.addWidget(self.viewer, 1)
        layout.addWidget(self.status)
        if areas_from is not None:
            self.areas_bar = PictureAreasBar(
                areas_from.vault, areas_from.original_id, self.viewer, self
            )
            layout.addWidget(self.areas_bar)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for button in self.findChildren(QPushButton):
            # Enter belongs to the picture (it saves a box), never to a button.
            button.setAutoDefault(False)
            button.setDefault(False)
        session = feed.session
        session.about_to_lock.connect(self.forget)  # the vault is still open: a box saves
        session.detached.connect(self.forget)
        if not preview.isNull():
            self.viewer.set_image(preview)
        feed.picture(blob_id, LARGE_PICTURE_SIDE, self._arrived, self._failed)

    def show_near(self, owner: QWidget | None) -> None:
        """Show the window over *owner*, as large as its screen comfortably allows."""
        screen = (owner or self).screen()
        free = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)
        picture = self.viewer.image_size()
        width = min(round(free.width() * SCREEN_SHARE[0]), max(MIN_WIDTH, picture.width() + 60))
        height = round(free.height() * SCREEN_SHARE[1])
        self.resize(width, height)
        frame = QRect(0, 0, width, height)
        frame.moveCenter((owner.window().geometry() if owner else free).center())
        frame.moveTop(max(frame.top(), free.top()))
        self.move(frame.topLeft())
        self.show()
        self.raise_()
        self.activateWindow()
        self.viewer.view().setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def forget(self) -> None:
        """Let go of the picture and close: a box being moved is saved first (the
        vault is still open when locking begins), then the pixels are dropped."""
        if self._forgotten:
            return
        self._forgotten = True
        self.viewer.clear()
        self.hide()
        self.closed.emit()
        self.deleteLater()

    def forgotten(self) -> bool:
        return self._forgotten

    def done(self, result: int) -> None:
        super().done(result)
        self.forget()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.forget()

    # ----- the sandbox's answer --------------------------------------------------------

    def _arrived(self, image: QImage) -> None:
        if self._forgotten:
            return
        self.viewer.set_image(image, keep_view=True)
        self.status.hide()

    def _failed(self, reason: str) -> None:
        if self._forgotten:
            return
        self.status.setText(
            self.tr(
                "The picture could not be made larger (%1); this is the one from the pane. "
                "The original is unchanged."
            ).replace("%1", reason or "?")
        )
        self.status.show()


class LargerView(QObject):
    """Gives the pane's picture *View larger*: opens (or brings back) its window, keeps
    the areas and the search's marks the same in both, and closes the window with the
    pane's picture."""

    def __init__(
        self,
        feed: SandboxFeed,
        blob_id: int,
        viewer: ImageViewer,
        areas: PictureAreasBar | None = None,
    ) -> None:
        super().__init__(areas or viewer)
        self._feed = feed
        self._blob_id = blob_id
        self._viewer = viewer
        self._areas = areas
        self.window: PictureWindow | None = None
        viewer.offer_larger(True)
        viewer.larger_wanted.connect(self.open)
        viewer.cleared.connect(self.close)  # another entry, or locking
        viewer.matches_changed.connect(self._marks_changed)  # the search's words
        feed.session.about_to_lock.connect(viewer.keys.commit)  # a box being moved
        if areas is not None:
            areas.changed.connect(self._saved_in_pane)

    def open(self) -> PictureWindow | None:
        if self.window is not None:
            self.window.raise_()
            self.window.activateWindow()
            return self.window
        if not self._viewer.has_image() or self._feed.session.vault is None:
            return None
        self._viewer.keys.commit()
        window = PictureWindow(
            self._feed, self._blob_id, self._viewer.image(), self._areas, self._viewer.window()
        )
        window.closed.connect(self._closed)
        if window.areas_bar is not None:
            # Saved in one, shown in both; the pane passes the change on (the binder's
            # copy for the other side is out of date).
            window.areas_bar.changed.connect(self._saved_in_window)
        self.window = window
        window.viewer.set_matches(self._viewer.matches())
        window.show_near(self._viewer)
        return window

    def close(self) -> None:
        if self.window is not None:
            self.window.forget()

    def _closed(self) -> None:
        self.window = None

    def _marks_changed(self) -> None:
        if self.window is not None:
            self.window.viewer.set_matches(self._viewer.matches())

    def _saved_in_window(self, _original_id: int) -> None:
        if self._areas is not None:
            self._areas.reload(announce=True)

    def _saved_in_pane(self, _original_id: int) -> None:
        if self.window is not None and self.window.areas_bar is not None:
            self.window.areas_bar.reload()
