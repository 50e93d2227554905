"""The Patterns heat map's key says what its squares show, in light and in dark.

Found in review: the caption said "darker squares mean more contacts", but on the dark
palette more contacts are drawn brighter. The key is now drawn under the squares with
the very colour rule of the squares; these tests read both off the screen.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel

from nco_desktop.case.orders import NewOrder, OrderKind, add_order
from nco_desktop.case.people import IdentifierKind, NewPerson, Role, add_person
from nco_desktop.timeline.patterns import ContactPattern
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.patterns.pattern_charts import HeatMap
from nco_desktop.ui.patterns.patterns_page import PatternsPage
from tests.support.factories import seed_hand_counted_contacts

SCHEMES = [Qt.ColorScheme.Light, Qt.ColorScheme.Dark]


@pytest.fixture
def scheme(qapp):
    yield qapp.apply_color_scheme
    qapp.apply_color_scheme(Qt.ColorScheme.Light)


def at(image: QImage, rect) -> QColor:
    return image.pixelColor(rect.center().toPoint())


def distance_from(colour: QColor, base: QColor) -> int:
    return sum(
        abs(a - b)
        for a, b in zip(
            (colour.red(), colour.green(), colour.blue()),
            (base.red(), base.green(), base.blue()),
            strict=True,
        )
    )


@pytest.mark.parametrize("which", SCHEMES, ids=["light", "dark"])
def test_every_shade_in_the_key_is_the_shade_of_its_squares(qtbot, scheme, which):
    scheme(which)
    pattern = ContactPattern()
    for weekday, hour, count in ((0, 23, 6), (1, 3, 3), (2, 12, 1), (4, 18, 2), (6, 9, 4)):
        pattern.heat[weekday][hour] = count
    heat = HeatMap()
    qtbot.addWidget(heat)
    heat.resize(900, 260)
    heat.set_pattern(pattern)
    heat.show()
    qtbot.waitExposed(heat)
    image = heat.grab().toImage()
    key = heat.key()
    shown = {count: at(image, swatch) for swatch, count, _ in key if count is not None}
    assert sorted(shown) == [0, 1, 2, 3, 4, 6]
    for weekday, row in enumerate(pattern.heat):
        for hour, count in enumerate(row):
            if count in shown:
                cell = at(image, heat.cell_rect(weekday, hour))
                assert cell == shown[count], f"{count} contacts: square {cell.name()}"
    # More contacts always stand further from the empty square, in both schemes: the
    # words may say "stronger", never "darker".
    empty = shown[0]
    steps = [distance_from(shown[count], empty) for count in sorted(shown)]
    assert steps == sorted(steps) and len(set(steps)) == len(steps)
    # The late-night sample is outlined in the red the late hours are outlined in.
    late_swatch = key[-1][0]
    assert key[-1][1] is None and "late at night" in key[-1][2]
    outline = image.pixelColor(int(late_swatch.left()) + 1, int(late_swatch.center().y()))
    grid_edge = heat.cell_rect(3, 0)  # midnight, Thursday: the late block's left edge
    drawn = image.pixelColor(int(grid_edge.left()) - 1, int(grid_edge.center().y()))
    assert outline == drawn and outline.red() > outline.green() + 60
    # Pointing at a square says its count.
    assert heat.cell_at(heat.cell_rect(0, 23).center().toPoint()) == (0, 23)
    assert "6 contacts" in heat.cell_words(0, 23)
    assert heat.cell_at(QPoint(2, 2)) is None


@pytest.mark.parametrize("which", SCHEMES, ids=["light", "dark"])
def test_the_patterns_page_caption_matches_the_drawn_squares(qtbot, vault, scheme, which):
    scheme(which)
    seed_hand_counted_contacts(vault)
    person = add_person(
        vault,
        NewPerson(Role.RESTRAINED, "Jordan Blake", ((IdentifierKind.PHONE, "312-555-0147"),)),
    )
    add_order(
        vault,
        NewOrder(
            OrderKind.CIVIL_PROTECTION, served_on=date(2026, 11, 10), restrained_person_id=person
        ),
    )
    page_session = VaultSession()
    page = PatternsPage(page_session)
    qtbot.addWidget(page)
    page.resize(1000, 800)
    page_session.open(vault)
    page.show()
    qtbot.waitExposed(page)
    captions = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "Darker" not in captions and "stronger its colour" in captions
    heat = page.heat
    image = heat.grab().toImage()
    counts = {c: at(image, s) for s, c, _ in heat.key() if c is not None}
    top = heat.top
    assert top in counts and 0 in counts
    busiest = next((d, h) for d in range(7) for h in range(24) if page.pattern.heat[d][h] == top)
    assert at(image, heat.cell_rect(*busiest)) == counts[top]
    base = heat.palette().color(heat.palette().ColorRole.Base)
    # In dark, more contacts are brighter than the empty squares; in light, darker.
    if which == Qt.ColorScheme.Dark:
        assert counts[top].lightness() > counts[0].lightness() and base.lightness() < 80
    else:
        assert counts[top].lightness() < counts[0].lightness()
    page_session.detach()
