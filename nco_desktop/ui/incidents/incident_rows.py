"""The Incidents view's list rows: what each incident says in the list, and how it is drawn.

A row is three lines — when, what kind, the summary — and a paperclip with the number of
pieces of evidence linked, drawn in the text colour so it reads in light and dark
schemes. The words are kept on the item (:data:`LINES_ROLE`) so the delegate only draws,
and the item's plain text and tooltip carry the same words for screen readers.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from nco_desktop.case.incidents import Incident
from nco_desktop.evidence.records import TimePrecision
from nco_desktop.timekeeping import from_ms
from nco_desktop.ui.common.evidence_picker import ID_ROLE
from nco_desktop.ui.common.widgets import short_time
from nco_desktop.ui.incidents.incident_fields import category_label
from nco_desktop.vault import Vault

LINES_ROLE = Qt.ItemDataRole.UserRole + 1  # (date, category, summary, linked count)


def _tr(text: str) -> str:
    # The words were the Incidents page's own; translations keep that context.
    return QCoreApplication.translate("IncidentsPage", text)


def incident_when(incident: Incident, vault: Vault) -> tuple[str, str]:
    """The list's date line, and a note for the kind line when the time is not exact."""
    if incident.occurred_ms is None:
        return _tr("Date not known"), ""
    moment = from_ms(incident.occurred_ms).astimezone(vault.time_zone)
    if incident.time_precision is TimePrecision.DAY:
        note = _tr("time approximate")
        return f"{moment:%a %b} {moment.day}, {moment.year}", note
    return short_time(moment), ""


def incident_item(incident: Incident, vault: Vault) -> QListWidgetItem:
    """*incident*'s row in the list: its id, its three lines and the linked count."""
    when, note = incident_when(incident, vault)
    kind = category_label(incident.category) + (f" · {note}" if note else "")
    count = len(incident.evidence_entry_ids)
    item = QListWidgetItem(f"{when}\n{kind}\n{incident.summary}")
    item.setData(ID_ROLE, incident.id)
    item.setData(LINES_ROLE, (when, kind, incident.summary, count))
    item.setToolTip(
        "\n".join((when, kind, incident.summary))
        + ("\n" + _tr("Evidence linked: %1").replace("%1", str(count)) if count else "")
    )
    return item


class IncidentRowDelegate(QStyledItemDelegate):
    """Three lines per incident — date, kind, summary — and a paperclip with the count."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(200, line * 3 + 18)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        lines = index.data(LINES_ROLE)
        if not lines:
            super().paint(painter, option, index)
            return
        when, kind, summary, count = lines
        painter.save()
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = option.palette.color(role)
        soft = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        rect = option.rect.adjusted(10, 6, -10, -6)
        line = option.fontMetrics.lineSpacing()
        clip_width = 48 if count else 0
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(colour)
        top = QRectF(rect.x(), rect.y(), rect.width() - clip_width, line)
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft, _elide(painter, when, top.width()))
        painter.setFont(option.font)
        painter.setPen(soft)
        middle = top.translated(0, line)
        painter.drawText(middle, Qt.AlignmentFlag.AlignLeft, _elide(painter, kind, middle.width()))
        painter.setPen(colour)
        bottom = QRectF(rect.x(), rect.y() + 2 * line, rect.width(), line)
        painter.drawText(
            bottom, Qt.AlignmentFlag.AlignLeft, _elide(painter, summary, bottom.width())
        )
        if count:
            _paperclip(painter, QRectF(rect.right() - 44, rect.y(), 44, line), count, colour)
        painter.restore()


def _elide(painter: QPainter, text: str, width: float) -> str:
    return painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(width))


def _paperclip(painter: QPainter, box: QRectF, count: int, colour: QColor) -> None:
    """A paperclip drawn in the text colour (so it reads in light and dark), then the count."""
    h = box.height() * 1.1
    w = h * 0.42
    x, y = box.x() + 4, box.y() + (box.height() - h) / 2
    path = QPainterPath()  # inner leg, bottom turn, outer leg, top turn, middle leg
    path.moveTo(x + w * 0.62, y + h * 0.32)
    path.lineTo(x + w * 0.62, y + h * 0.70)
    path.arcTo(QRectF(x + w * 0.22, y + h * 0.58, w * 0.40, w * 0.40), 0, -180)
    path.lineTo(x + w * 0.22, y + h * 0.18)
    path.arcTo(QRectF(x + w * 0.22, y, w * 0.62, w * 0.62), 180, -180)
    path.lineTo(x + w * 0.84, y + h * 0.80)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(
        QPen(colour, 1.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    )
    centre = QPointF(x + w / 2, y + h / 2)
    painter.translate(centre)
    painter.rotate(35)
    painter.translate(-centre)
    painter.drawPath(path)
    painter.restore()
    text_box = QRectF(x + w + 6, box.y(), box.width() - w - 10, box.height())
    painter.drawText(
        text_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(count)
    )
