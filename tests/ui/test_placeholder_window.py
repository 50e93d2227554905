"""The window that ``nco-desktop`` opens at this stage."""

from PySide6.QtWidgets import QLabel

from nco_desktop.ui.app import PlaceholderWindow


def test_window_shows_and_renders(qtbot, tmp_path):
    window = PlaceholderWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "NCO Desktop"
    image = window.grab().toImage()
    assert not image.isNull() and image.width() >= 700
    # not blank: more than one colour on screen
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, 200, 7)}
    assert len(colours) > 2


def test_demo_flag_says_what_to_expect(qtbot):
    window = PlaceholderWindow(demo=True)
    qtbot.addWidget(window)
    texts = " ".join(label.text() for label in window.findChildren(QLabel))
    assert "demo" in texts.lower()
