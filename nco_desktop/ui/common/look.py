"""What every widget shares in its look: a style whose controls can be seen, and a font
in which emoji show.

Fusion outlines an unticked check box (and a radio button) in the window colour made
40 % darker. On our dark window that is near black on near black (1.1:1); on the light
one, grey on light grey (1.6:1): an unticked box all but disappears, and a frightened
user reading "Only contacts from them" cannot tell there is a choice to make. WCAG 1.4.11
asks 3:1 for what one must see to use a control, so ``NcoStyle`` draws that outline in a
colour computed from the palette to reach it, in light and dark alike, for every check
box and radio button (also those Qt draws inside lists and group boxes, which all go
through the same two primitives), and for the edge of every text field, which on the
dark palette was as faint.

Evidence is full of emoji ("I 😂 you 🔪"), and a threat drawn as an empty box is a threat
hidden. Few Linux desktops ship an emoji font, so the window ships Noto Emoji (monochrome,
SIL OFL, 0.9 MB; ``resources/fonts/LICENSE-NotoEmoji.txt``) and tells Qt to draw emoji in
it before any other font. Monochrome on purpose: it takes the text colour, so it reads in
light, dark and selected rows, and it looks the same on every computer.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFontDatabase, QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

from nco_desktop.resources import font_path

#: What the outline of a check box or radio button reaches against the window and the
#: base colour (WCAG 1.4.11 asks 3:1; a little more survives rounding and antialiasing).
INDICATOR_CONTRAST = 3.3
EMOJI_FONT_FILE = "NotoEmoji-Regular.ttf"
EMOJI_FAMILY = "Noto Emoji"


def relative_luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance of an opaque colour (0 black … 1 white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2's contrast ratio of two opaque colours, from 1 (same) to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(under: QColor, over: QColor, share: float) -> QColor:
    """*under* moved *share* of the way towards *over*."""
    return QColor(
        round(under.red() + (over.red() - under.red()) * share),
        round(under.green() + (over.green() - under.green()) * share),
        round(under.blue() + (over.blue() - under.blue()) * share),
    )


@functools.lru_cache(maxsize=32)
def _indicator_border(window: int, base: int, text: int) -> int:
    backgrounds = (QColor.fromRgb(window), QColor.fromRgb(base))
    ink = QColor.fromRgb(text)
    for step in range(8, 21):  # from 40 % of the way to the text colour up to all of it
        colour = mix(backgrounds[0], ink, step / 20)
        if all(contrast_ratio(colour, b) >= INDICATOR_CONTRAST for b in backgrounds):
            return colour.rgb()
    return ink.rgb()


def indicator_border(palette: QPalette) -> QColor:
    """The softest colour between the window and the text colour that still stands out
    3:1 from both the window and the base (a box sits on either: a form or a list).
    Disabled controls mix with the dimmer disabled text colour, so they look disabled."""
    return QColor.fromRgb(
        _indicator_border(
            palette.color(QPalette.ColorRole.Window).rgb(),
            palette.color(QPalette.ColorRole.Base).rgb(),
            palette.color(QPalette.ColorRole.WindowText).rgb(),
        )
    )


class NcoStyle(QProxyStyle):
    """Fusion, with outlines of check boxes, radio buttons and text fields one can see."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in _OUTLINED:
            return
        state = option.state
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        if element == QStyle.PrimitiveElement.PE_FrameLineEdit:
            if focused:
                return  # Fusion's own focus outline, in the highlight colour
            radius = 2.0
        else:  # a box shows its focus only when reached with the keyboard
            focused = focused and bool(state & QStyle.StateFlag.State_KeyboardFocusChange)
            radius = 1.0
        palette: QPalette = option.palette
        colour = (
            palette.color(QPalette.ColorRole.Highlight) if focused else indicator_border(palette)
        )
        # The very rectangle Fusion outlines: half a pixel in, so the line is crisp.
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(QColor(0, 0, 0, 0))
        painter.setPen(QPen(colour, 1.0))
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, radius, radius)
        painter.restore()


#: What NcoStyle outlines again: check boxes and radio buttons (also in lists and group
#: boxes), and the frame of a text field, whose edge is all that shows where to type.
_OUTLINED = (
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
    QStyle.PrimitiveElement.PE_FrameLineEdit,
)


@functools.cache
def install_emoji_font() -> str | None:
    """Load the shipped emoji font and make Qt draw every emoji in it, in every widget.

    Returns the family's name, or None when the file is missing (a broken install):
    emoji then fall back to whatever the system has, as before.
    """
    loaded = QFontDatabase.addApplicationFont(str(font_path(EMOJI_FONT_FILE)))
    families = QFontDatabase.applicationFontFamilies(loaded) if loaded >= 0 else []
    if not families:
        return None
    family = families[0]
    if family not in QFontDatabase.applicationEmojiFontFamilies():
        QFontDatabase.addApplicationEmojiFontFamily(family)
    return family
