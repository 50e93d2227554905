"""What the window does after a lock so that Qt and Python let go of the case's text.

Views drop their rows, pictures and texts when the session detaches (``reset``). Some
copies live where no view can reach them, and were found there after a lock by reading
the process's memory (tests/ui/test_lock_forgets.py): each ``QStyledItemDelegate``
keeps the data of the last cell it painted (Qt 6 reuses one ``QModelRoleData`` array,
so the last timeline row's message stayed, as UTF-16, after the model was emptied);
Qt's style keeps the last item it laid out (``QCommonStylePrivate::cachedOption``, its
text included); ``QPixmapCache`` keeps pictures drawn for icons and thumbnails; and
Python objects in reference cycles wait for the garbage collector.
:func:`forget_after_lock` overwrites or drops each. Freed memory still holds its bytes
until it is reused: :func:`nco_desktop.hardening.forget_freed_memory` makes the
allocator overwrite it.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QImage, QPainter, QPixmapCache, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)


def forget_after_lock(window: QWidget) -> None:
    """Drop what Qt keeps of the last drawn cells and pictures in *window* (and in every
    other top-level window), then collect Python's cycles."""
    views: list[QAbstractItemView] = []
    delegates: list[QStyledItemDelegate] = []
    for top in {window, *QApplication.topLevelWidgets()}:
        views.extend(top.findChildren(QAbstractItemView))
        delegates.extend(top.findChildren(QStyledItemDelegate))
    views = [view for view in views if shiboken6.isValid(view)]
    for view in views:
        delegate = view.itemDelegate()
        if isinstance(delegate, QStyledItemDelegate):
            delegates.append(delegate)
    _forget_delegate_data(delegates)
    _forget_style_item_cache(views)
    QPixmapCache.clear()
    gc.collect()


def _forget_delegate_data(delegates: Sequence[QStyledItemDelegate]) -> None:
    """Have each delegate read a blank cell, so the values it keeps are empty ones.

    Qt's own ``initStyleOption`` is called (not a subclass's): it fills the delegate's
    reused role-data array from the cell, and a cell of an empty item model gives an
    empty value for every role, freeing the last row's text and picture."""
    blank = QStandardItemModel(1, 1)
    index = blank.index(0, 0)
    done: set[int] = set()
    for delegate in delegates:
        if id(delegate) in done or not shiboken6.isValid(delegate):
            continue
        done.add(id(delegate))
        QStyledItemDelegate.initStyleOption(delegate, QStyleOptionViewItem(), index)


def _forget_style_item_cache(widgets: Sequence[QWidget]) -> None:
    """Make each style lay out an item with no text, replacing the item it keeps.

    Qt's common style caches a copy of the last ``QStyleOptionViewItem`` it measured or
    drew (its text included) until another item comes along; after a lock the views are
    empty, so none would. Measuring and drawing a blank item, through the application's
    style and the style of each given widget (a style sheet wraps the base style),
    replaces that copy; the old one is freed.
    """
    styles: list[QStyle] = []
    app_style = QApplication.style()
    if app_style is not None:
        styles.append(app_style)
    for widget in widgets:
        if not shiboken6.isValid(widget):
            continue
        style = widget.style()
        if style is not None and all(style is not s for s in styles):
            styles.append(style)
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    for style in styles:
        option = QStyleOptionViewItem()
        option.rect = QRect(0, 0, 8, 8)
        option.text = ""
        option.features = QStyleOptionViewItem.ViewItemFeature.HasDisplay
        style.sizeFromContents(QStyle.ContentsType.CT_ItemViewItem, option, QSize())
        painter = QPainter(image)
        try:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter)
        finally:
            painter.end()
