"""The shared look: check boxes one can see in light and dark (WCAG 1.4.11), and emoji
in evidence drawn as emoji in the timeline list and the detail pane, not as empty boxes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QTextLayout
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QTextEdit,
    QWidget,
)

from nco_desktop.evidence.records import Direction, EntryKind
from nco_desktop.ui.common.look import EMOJI_FAMILY
from nco_desktop.ui.detail.detail_pane import DetailPane
from nco_desktop.ui.timeline.timeline_model import TimelineModel
from nco_desktop.ui.timeline.timeline_page import TimelinePage
from tests.support.factories import add, at

SCHEMES = [Qt.ColorScheme.Light, Qt.ColorScheme.Dark]
LOVE_AND_KNIFE = "I \U0001f602 you \U0001f52a"  # I 😂 you 🔪
NO_SUCH_CHARACTER = "I \U0010fffd you \U0010fffd"  # private use: no font draws it
EMOJI = (0x1F602, 0x1F52A)


# --- measuring, as WCAG 2 says, written out here rather than borrowed from the code ------


def luminance(colour: QColor) -> float:
    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.red())
        + 0.7152 * linear(colour.green())
        + 0.0722 * linear(colour.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def edge_pixels(image: QImage, box: QRect) -> list[QColor]:
    """The middle of each of the indicator's four edges, where a circle touches its box
    too: pixels fully covered by the outline, not antialiased corners."""
    middle_x, middle_y = box.center().x(), box.center().y()
    return [
        image.pixelColor(box.left(), middle_y),
        image.pixelColor(box.right(), middle_y),
        image.pixelColor(middle_x, box.top()),
        image.pixelColor(middle_x, box.bottom()),
    ]


@pytest.fixture
def scheme(qapp):
    """Switch the scheme as the OS would; always back to light afterwards."""

    def switch(which: Qt.ColorScheme) -> None:
        qapp.apply_color_scheme(which)

    yield switch
    qapp.apply_color_scheme(Qt.ColorScheme.Light)


@pytest.mark.parametrize("which", SCHEMES, ids=["light", "dark"])
@pytest.mark.parametrize("kind", [QCheckBox, QRadioButton], ids=["check box", "radio button"])
def test_an_unticked_box_stands_out_three_to_one(qtbot, qapp, scheme, which, kind):
    scheme(which)
    box = kind("Only contacts from them")
    qtbot.addWidget(box)
    box.resize(240, 32)
    box.show()
    qtbot.waitExposed(box)
    assert not box.isChecked()
    option = QStyleOptionButton()
    box.initStyleOption(option)
    element = (
        QStyle.SubElement.SE_CheckBoxIndicator
        if kind is QCheckBox
        else QStyle.SubElement.SE_RadioButtonIndicator
    )
    indicator = box.style().subElementRect(element, option, box)
    image = box.grab().toImage()
    background = image.pixelColor(image.width() - 2, 1)  # the window, away from the text
    assert background == box.palette().color(box.palette().ColorRole.Window)
    if which == Qt.ColorScheme.Dark:
        assert background.lightness() < 80
    ratios = [contrast(edge, background) for edge in edge_pixels(image, indicator)]
    assert min(ratios) >= 3.0, f"{kind.__name__} outline {ratios} against {background.name()}"
    # The inside stays the field's colour: the outline is what is seen, not a filled box.
    inside = image.pixelColor(indicator.center())
    assert contrast(inside, box.palette().color(box.palette().ColorRole.Base)) < 1.2


@pytest.mark.parametrize("which", SCHEMES, ids=["light", "dark"])
def test_a_check_box_in_a_list_stands_out_from_the_list(qtbot, scheme, which):
    """Lists draw their check boxes through the same primitive, on the base colour."""
    scheme(which)
    view = QListWidget()
    qtbot.addWidget(view)
    item = QListWidgetItem("Screenshot of the threat", view)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    view.resize(300, 120)
    view.show()
    qtbot.waitExposed(view)
    option = QStyleOptionViewItem()
    option.initFrom(view.viewport())
    option.rect = view.visualItemRect(item)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    indicator = view.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view
    )
    image = view.viewport().grab().toImage()
    base = view.palette().color(view.palette().ColorRole.Base)
    assert image.pixelColor(image.width() - 3, image.height() - 3) == base
    ratios = [contrast(edge, base) for edge in edge_pixels(image, indicator)]
    assert min(ratios) >= 3.0, f"outline {ratios} against {base.name()}"


@pytest.mark.parametrize("which", SCHEMES, ids=["light", "dark"])
def test_the_edge_of_a_text_field_stands_out_three_to_one(qtbot, scheme, which):
    """Where to type is shown only by the field's edge: on the dark palette it was as
    faint as the check boxes."""
    scheme(which)
    holder = QWidget()
    qtbot.addWidget(holder)
    field = QLineEdit("Case number", holder)
    QCheckBox("takes the focus instead", holder).setFocus()
    field.setGeometry(10, 10, 200, 30)
    holder.resize(220, 50)
    holder.show()
    qtbot.waitExposed(holder)
    image = holder.grab().toImage()
    window = image.pixelColor(215, 45)
    assert window == holder.palette().color(holder.palette().ColorRole.Window)
    edges = edge_pixels(image, field.geometry())
    ratios = [contrast(edge, window) for edge in edges]
    assert min(ratios) >= 3.0, f"text field edge {ratios} against {window.name()}"


# --- emoji ------------------------------------------------------------------------------


def emoji_fonts(text: str, font: QFont) -> list[str]:
    """The family each emoji of *text* is drawn in by Qt's own layout with *font*, after
    checking that family really has a glyph for it (glyph 0 is the missing-glyph box)."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return runs_for_emoji(layout.glyphRuns())


def runs_for_emoji(runs) -> list[str]:
    found = []
    for run in runs:
        raw = run.rawFont()
        for code in EMOJI:
            if raw.supportsCharacter(code):
                (glyph,) = raw.glyphIndexesForString(chr(code))
                if glyph and glyph in run.glyphIndexes():
                    found.append(raw.familyName())
    return found


def test_the_emoji_font_is_shipped_and_loaded():
    assert EMOJI_FAMILY in QFontDatabase.families()
    assert EMOJI_FAMILY in QFontDatabase.applicationEmojiFontFamilies()
    assert emoji_fonts(LOVE_AND_KNIFE, QApplication.font()) == [EMOJI_FAMILY] * 2


@pytest.fixture
def emoji_vault(vault):
    """Two messages alike but for the text: one with emoji, one with characters no font
    has, drawn as the missing-glyph box. Their pictures must differ."""
    ids = {}
    with vault.change() as change:
        for name, text, minute in (("emoji", LOVE_AND_KNIFE, 0), ("none", NO_SUCH_CHARACTER, 1)):
            ids[name] = add(
                change,
                EntryKind.NOTE,
                ms=at(2026, 11, 20, 23, minute),
                text=text,
            )
        ids["message"] = add(
            change,
            ms=at(2026, 11, 20, 23, 5),
            party="+15550100199",
            party_name="Sam Roe",
            direction=Direction.INCOMING,
            text=LOVE_AND_KNIFE,
        )
        change.audit("test.seed")
    return vault, ids


@pytest.mark.parametrize("which", SCHEMES, ids=["light", "dark"])
def test_emoji_show_in_the_timeline_list(qtbot, show_view, emoji_vault, scheme, which):
    scheme(which)
    vault, ids = emoji_vault
    page = show_view(TimelinePage, vault)
    model, view = page.model, page.view
    qtbot.waitUntil(lambda: model.row_of_entry(ids["emoji"]) is not None)
    cells = {}
    for name in ("emoji", "none"):
        index = model.index(model.row_of_entry(ids[name]), TimelineModel.WHAT)
        assert index.data() == (LOVE_AND_KNIFE if name == "emoji" else NO_SUCH_CHARACTER)
        view.scrollTo(index)
        rect = view.visualRect(index)
        cells[name] = view.viewport().grab(rect).toImage()
    assert emoji_fonts(LOVE_AND_KNIFE, view.font()) == [EMOJI_FAMILY] * 2
    assert cells["emoji"].size() == cells["none"].size()
    assert cells["emoji"] != cells["none"], "the emoji are drawn as missing-glyph boxes"


def test_emoji_show_in_the_detail_pane(qtbot, show_view, emoji_vault):
    vault, ids = emoji_vault
    pane = show_view(DetailPane, vault, size=(440, 600))
    pictures = {}
    for name in ("emoji", "none"):
        pane.show_entry(ids[name])
        (label,) = [
            w for w in pane.findChildren(QLabel) if w.isVisible() and w.text().startswith("I ")
        ]
        assert emoji_fonts(label.text(), label.font()) == (
            [EMOJI_FAMILY] * 2 if name == "emoji" else []
        )
        pictures[name] = label.grab().toImage()
    assert pictures["emoji"] != pictures["none"]

    pane.show_entry(ids["message"])  # a message shows in its conversation
    (conversation,) = [w for w in pane.findChildren(QTextEdit) if w.isVisible()]
    qtbot.waitUntil(lambda: LOVE_AND_KNIFE in conversation.toPlainText())
    document = conversation.document()
    found = []
    block = document.begin()
    while block.isValid():
        if LOVE_AND_KNIFE in block.text():
            layout = block.layout()
            for line in range(layout.lineCount()):
                found += runs_for_emoji(layout.lineAt(line).glyphRuns())
        block = block.next()
    assert found and set(found) == {EMOJI_FAMILY}  # the layout the pane draws
