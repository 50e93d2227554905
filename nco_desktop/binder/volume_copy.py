"""One volume of a binder as a PDF of its own: only its pages and what they draw.

Split from :mod:`.volumes` (which decides where volumes end and writes them). A page is
copied without its annotations, which are then copied one by one, because a link
copied as it is drags the page it points to, and that page's pictures, into a volume
that never shows it:

- a link to a page of the same volume is kept and aimed at that page's copy; a link
  into another volume is dropped (the index's page numbers still say where to look);
  a link to a web address is kept as it was;
- a form field keeps its value and its printed look, under a form of the volume's own
  that carries the value the widget had from its field and those above it;
- other marks (notes, highlights, stamps) are kept; their pop-up windows, which never
  print, are not; actions that would run something (scripts, launching files,
  submitting forms) are not copied;
- bookmarks and page labels are the binder's, for the volume's pages;
- whatever the copying left unreachable is freed before the volume is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from nco_desktop.binder.pdfa import PdfaFacts, make_pdfa, read_facts

#: Page keys not copied: annotations are copied one by one (see the module's note), and
#: article beads and structure point at things outside the page.
PAGE_KEYS_LEFT = ("/Annots", "/B", "/StructParents")
#: Annotation keys not copied as they are: links back to pages, parents and replies
#: elsewhere, and actions (a link's own destination is rewritten).
ANNOTATION_KEYS_LEFT = frozenset(
    {"/P", "/Parent", "/Popup", "/IRT", "/A", "/AA", "/Dest", "/StructParent"}
)
#: A widget's own name and kids: it is put under a field of the volume's form instead.
WIDGET_KEYS_LEFT = ANNOTATION_KEYS_LEFT | {"/T", "/Kids"}
#: Form field values a widget inherits from the fields above it.
INHERITED = ("/FT", "/Ff", "/V", "/DV", "/DA", "/Q", "/Opt", "/MaxLen", "/TI", "/I")
#: Form-wide entries kept in each volume's form (fonts, default look).
FORM_KEYS_KEPT = ("/DA", "/DR", "/Q", "/NeedAppearances")
MAX_DEPTH = 64  # nesting followed in a binder's own structures; ours stay far below


@dataclass(frozen=True)
class Mark:
    """A bookmark of the binder, read once: its title, page (0-based) and parent mark."""

    title: str
    page: int
    parent: int | None  # index in the marks list


@dataclass(frozen=True)
class Label:
    """One range of the binder's page labels: from page *start* (0-based) on."""

    start: int
    style: str | None
    prefix: str | None
    first: int


@dataclass(frozen=True)
class BinderParts:
    """What every volume needs from the whole binder, read once and held as plain data."""

    pages: int
    title: str
    marks: tuple[Mark, ...]
    labels: tuple[Label, ...]
    metadata: tuple[tuple[str, str], ...]
    pdfa: PdfaFacts | None = None  # a PDF/A binder: each volume is made PDF/A too


def read_binder(reader: PdfReader) -> BinderParts:
    info: dict[str, object] = dict(reader.metadata or {})
    title = str(info.get("/Title") or "") or "Exhibits"
    metadata = tuple(
        (str(key), str(value))
        for key, value in info.items()
        if key != "/Title" and isinstance(value, str)
    )
    return BinderParts(
        len(reader.pages),
        title,
        tuple(_marks(reader)),
        _labels(reader),
        metadata,
        read_facts(reader),
    )


def _marks(reader: PdfReader) -> list[Mark]:
    marks: list[Mark] = []

    def walk(items: list[object], parent: int | None, depth: int) -> None:
        last = parent
        for item in items:
            if isinstance(item, list):
                if depth < MAX_DEPTH:
                    walk(item, last, depth + 1)
                continue
            page = reader.get_destination_page_number(item)  # type: ignore[arg-type]
            title = getattr(item, "title", None)
            if page is None or page < 0:
                continue
            marks.append(Mark(str(title or ""), page, parent))
            last = len(marks) - 1

    walk(list(reader.outline), None, 0)
    return marks


def _labels(reader: PdfReader) -> tuple[Label, ...]:
    """The binder's page-label ranges; none given reads as 1, 2, 3 … (the PDF default)."""
    root = reader.trailer["/Root"]
    tree = root.get("/PageLabels") if isinstance(root, DictionaryObject) else None
    pairs: list[tuple[int, DictionaryObject]] = []

    def walk(node: PdfObject | None, depth: int) -> None:
        node = node.get_object() if node is not None else None
        if not isinstance(node, DictionaryObject) or depth > MAX_DEPTH:
            return
        nums = node.get("/Nums")
        if isinstance(nums, ArrayObject):
            for key, value in zip(nums[::2], nums[1::2], strict=False):
                value = value.get_object()
                if isinstance(key, int) and isinstance(value, DictionaryObject):
                    pairs.append((int(key), value))
        for kid in node.get("/Kids") or []:
            walk(kid, depth + 1)

    walk(tree, 0)
    if not pairs or pairs[0][0] != 0:
        pairs.insert(0, (0, DictionaryObject({NameObject("/S"): NameObject("/D")})))
    return tuple(
        Label(
            start,
            str(label["/S"]) if "/S" in label else None,
            str(label["/P"]) if "/P" in label else None,
            int(label.get("/St", 1)),
        )
        for start, label in sorted(pairs, key=lambda pair: pair[0])
    )


def volume_writer(
    reader: PdfReader, binder: BinderParts, start: int, end: int, title: str
) -> PdfWriter:
    """A new PDF of pages *start*…*end*−1 of the binder, holding nothing else."""
    writer = PdfWriter()
    copied: dict[int, IndirectObject] = {}  # source page's object number → its copy
    for index in range(start, end):
        source = reader.pages[index]
        page = writer.add_page(source, excluded_keys=PAGE_KEYS_LEFT)
        assert page.indirect_reference is not None  # a page added to a writer has one
        if source.indirect_reference is not None:
            copied[source.indirect_reference.idnum] = page.indirect_reference
    annotations = _Annotations(reader, writer, copied)
    for index in range(start, end):
        annotations.copy(reader.pages[index], writer.pages[index - start])
    annotations.finish_form()
    _set_labels(writer, binder.labels, start, end)
    _set_outline(writer, binder.marks, start, end)
    writer.add_metadata(dict(binder.metadata) | {"/Title": title})
    _drop_unreachable(writer)
    if (facts := binder.pdfa) is not None:  # a court that wants PDF/A wants it per file
        make_pdfa(
            writer, title=title, lang=facts.lang, created=facts.created, producer=facts.producer
        )
    return writer


def _set_labels(writer: PdfWriter, labels: tuple[Label, ...], start: int, end: int) -> None:
    """The binder's labels of pages *start*…*end*−1, from the volume's first page on."""
    nums = ArrayObject()
    for number, label in enumerate(labels):
        following = labels[number + 1].start if number + 1 < len(labels) else end
        if following <= start or label.start >= end:
            continue
        first = max(label.start, start)
        entry = DictionaryObject(
            {NameObject("/St"): NumberObject(label.first + first - label.start)}
        )
        if label.style is not None:
            entry[NameObject("/S")] = NameObject(label.style)
        if label.prefix is not None:
            entry[NameObject("/P")] = TextStringObject(label.prefix)
        nums.extend([NumberObject(first - start), entry])
    writer._root_object[NameObject("/PageLabels")] = DictionaryObject({NameObject("/Nums"): nums})


def _set_outline(writer: PdfWriter, marks: tuple[Mark, ...], start: int, end: int) -> None:
    """The bookmarks of the volume's pages, under the nearest parent that is also in it."""
    added: dict[int, IndirectObject] = {}
    for number, mark in enumerate(marks):
        if not start <= mark.page < end:
            continue
        parent = mark.parent
        while parent is not None and parent not in added:
            parent = marks[parent].parent
        above = added.get(parent) if parent is not None else None
        added[number] = writer.add_outline_item(
            title=mark.title, page_number=mark.page - start, parent=above
        )
    if added:
        writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")


class _Annotations:
    """Copies a page's annotations into the volume: links re-aimed or dropped, form
    fields rebuilt under the volume's own form, actions left out."""

    def __init__(
        self, reader: PdfReader, writer: PdfWriter, copied: dict[int, IndirectObject]
    ) -> None:
        self.reader, self.writer, self.copied = reader, writer, copied
        self.fields: dict[tuple[str, ...], DictionaryObject] = {}  # names → the field
        self.top = ArrayObject()  # the form's own fields
        self._names: dict[str, int] | None = None

    def copy(self, source: DictionaryObject, page: DictionaryObject) -> None:
        annotations = source.get("/Annots")
        annotations = annotations.get_object() if annotations is not None else None
        if not isinstance(annotations, ArrayObject):
            return
        kept = ArrayObject()
        for reference in annotations:
            annotation = reference.get_object()
            if not isinstance(annotation, DictionaryObject):
                continue
            made = self._one(annotation)
            if made is not None:
                made[NameObject("/P")] = page.indirect_reference
                kept.append(self.writer._add_object(made))
        if kept:
            page[NameObject("/Annots")] = kept

    def _one(self, annotation: DictionaryObject) -> DictionaryObject | None:
        kind = annotation.get("/Subtype")
        if kind == "/Popup":
            return None  # a note's pop-up window: it never prints, and points at its note
        left = WIDGET_KEYS_LEFT if kind == "/Widget" else ANNOTATION_KEYS_LEFT
        made = DictionaryObject(
            {
                NameObject(key): value.clone(self.writer)
                for key, value in dict.items(annotation)
                if key not in left and not _is_page(value)
            }
        )
        if kind == "/Link":
            return self._link(annotation, made)
        if kind == "/Widget":
            self._field(annotation, made)
        return made

    def _link(
        self, annotation: DictionaryObject, made: DictionaryObject
    ) -> DictionaryObject | None:
        action = annotation.get("/A")
        action = action.get_object() if action is not None else None
        if isinstance(action, DictionaryObject) and action.get("/S") in ("/URI", "/Named"):
            made[NameObject("/A")] = action.clone(self.writer)
            return made
        target = annotation.get("/Dest")
        if target is None and isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo":
            target = action.get("/D")
        destination = self._destination(target)
        if destination is None:
            return None  # into another volume, or an action not carried over
        made[NameObject("/Dest")] = destination
        return made

    def _destination(self, target: PdfObject | None) -> ArrayObject | None:
        """*target* aimed at the copy of its page, or None if that page is not here."""
        target = target.get_object() if target is not None else None
        if isinstance(target, str):  # a named destination: a name or a string
            number = self._named().get(str(target))
            if number is None or not 0 <= number < len(self.reader.pages):
                return None
            return self._aimed(self.reader.pages[number].indirect_reference, [NameObject("/Fit")])
        if isinstance(target, DictionaryObject):  # a named destination's own form
            return self._destination(target.get("/D"))
        if not isinstance(target, ArrayObject) or not target:
            return None
        page, *rest = list.__iter__(target)  # as written: the page's reference
        return self._aimed(page, rest)

    def _aimed(self, page: object, rest: list[PdfObject]) -> ArrayObject | None:
        if not isinstance(page, IndirectObject) or page.idnum not in self.copied:
            return None
        view = [value.clone(self.writer) for value in rest if not isinstance(value, IndirectObject)]
        return ArrayObject([self.copied[page.idnum], *view])

    def _named(self) -> dict[str, int]:
        if self._names is None:
            self._names = {}
            for name, destination in self.reader.named_destinations.items():
                number = self.reader.get_destination_page_number(destination)
                if number is not None:
                    self._names[name] = number
        return self._names

    def _field(self, widget: DictionaryObject, made: DictionaryObject) -> None:
        """Put *made* (a copy of *widget*) into the volume's form under fields named as
        the widget's were, each with the value and settings its original had."""
        chain: list[DictionaryObject] = []  # the widget, then each field above it
        node: PdfObject | None = widget
        while isinstance(node, DictionaryObject) and len(chain) < MAX_DEPTH:
            chain.append(node)
            parent = node.get("/Parent")
            node = parent.get_object() if parent is not None else None
        named = [field for field in reversed(chain) if "/T" in field]  # the top first
        if not named:
            return  # a widget of no field: kept as a mark, outside the form
        own = "/T" in widget  # a widget that is its own field (the usual case)
        above: DictionaryObject | None = None
        for depth, field in enumerate(named[:-1] if own else named):
            path = tuple(str(f["/T"]) for f in named[: depth + 1])
            above = self._node(path, above, field)
        if own:
            made[NameObject("/T")] = TextStringObject(str(widget["/T"]))
        last = made if own else above
        assert last is not None  # there is at least one named field
        for field in chain[1:]:  # what a nameless field above held goes to the last one
            if "/T" not in field:
                self._inherit(last, field)
        self._place(made, above)

    def _node(
        self, path: tuple[str, ...], above: DictionaryObject | None, source: DictionaryObject
    ) -> DictionaryObject:
        """The volume's field at *path*, made from *source* under *above* the first time."""
        field = self.fields.get(path)
        if field is None:
            field = DictionaryObject(
                {NameObject("/T"): TextStringObject(path[-1]), NameObject("/Kids"): ArrayObject()}
            )
            self._inherit(field, source)
            self._place(field, above)
            self.fields[path] = field
        return field

    def _inherit(self, field: DictionaryObject, source: DictionaryObject) -> None:
        """Copy *source*'s value and settings that *field* does not have yet."""
        for key in INHERITED:
            if key in source and key not in field:
                field[NameObject(key)] = source.raw_get(key).clone(self.writer)

    def _place(self, field: DictionaryObject, above: DictionaryObject | None) -> None:
        """Add *field* to the volume, as a kid of *above* or at the top of the form."""
        reference = self.writer._add_object(field)
        if above is None:
            self.top.append(reference)
            return
        assert above.indirect_reference is not None  # placed before its kids
        field[NameObject("/Parent")] = above.indirect_reference
        kids = above["/Kids"]
        assert isinstance(kids, ArrayObject)
        kids.append(reference)

    def finish_form(self) -> None:
        """The volume's own form: its fields, and the binder form's fonts and look."""
        if not self.top:
            return
        form = DictionaryObject()
        root = self.reader.trailer["/Root"]
        source = root.get("/AcroForm") if isinstance(root, DictionaryObject) else None
        source = source.get_object() if source is not None else None
        if isinstance(source, DictionaryObject):
            for key in FORM_KEYS_KEPT:
                if key in source:
                    form[NameObject(key)] = source.raw_get(key).clone(self.writer)
        form[NameObject("/Fields")] = self.top
        self.writer._root_object[NameObject("/AcroForm")] = self.writer._add_object(form)


def _is_page(value: PdfObject) -> bool:
    """Whether *value* is a page (copying it would bring the page and all it draws)."""
    target = value.get_object() if isinstance(value, IndirectObject) else value
    return isinstance(target, DictionaryObject) and target.get("/Type") == "/Page"


def _drop_unreachable(writer: PdfWriter) -> None:
    """Free every object the volume's catalogue and information do not reach: what a
    copy brought along but nothing shows is not written."""
    objects = writer._objects
    reachable: set[int] = set()
    info = writer._info  # the information dictionary (an object or its reference)
    pending: list[object] = [writer._root_object.indirect_reference, info]
    pending.append(getattr(info, "indirect_reference", None))
    while pending:
        obj = pending.pop()
        if isinstance(obj, IndirectObject):
            if obj.pdf is not writer or obj.idnum in reachable:
                continue
            reachable.add(obj.idnum)
            pending.append(objects[obj.idnum - 1])
        elif isinstance(obj, DictionaryObject):  # streams too
            pending.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            pending.extend(list.__iter__(obj))
    for number in range(1, len(objects) + 1):
        if number not in reachable:
            objects[number - 1] = None
