"""An exhibit's English translations and the translator's declarations.

A judge reads English. California's Rule of Court 3.1110(g): an exhibit in a foreign
language must be accompanied by an English translation, certified under oath by a
qualified interpreter. So, after an exhibit's own pages (and before its optional
declaration), the items that have a translation (:mod:`nco_desktop.evidence.translations`)
are printed again in English, each named by its place in the exhibit, its kind, who it
is with and when; then one declaration to sign for each translator and language.

A translation the user made themselves is said to be theirs, and its declaration says
so honestly ("I translated it myself"), with a plain note that a court may ask for a
qualified interpreter's certified translation.

These pages are the exhibit's: they carry its stamp and count in its page range. Every
line is drawn through the page's redactor, like every other line the binder draws, so
in the copy for the other side a private detail in a translation is removed and listed
in the user's review (:mod:`.review`) with the rest.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nco_desktop.binder import fonts, navigation, sections
from nco_desktop.binder.layout import BODY, GREY, LEADING, Page
from nco_desktop.binder.plan import BinderPlan, PlannedExhibit, PlannedItem
from nco_desktop.binder.wording import when
from nco_desktop.evidence.translations import Translation, one_line

#: An item's kind as the line above its translation names it.
ITEM_WORDS = {
    "message": "Message",
    "call": "Call",
    "email": "E-mail",
    "image": "Picture",
    "audio": "Recording",
    "note": "Note",
    "document": "Document",
}
RULE_NOTE = (
    "California Rules of Court, rule 3.1110(g), asks that an exhibit in a foreign "
    "language be accompanied by an English translation certified under oath by a "
    "qualified interpreter; a court may ask for one."
)


def translated(exhibit: PlannedExhibit) -> list[tuple[int, PlannedItem, Translation]]:
    """The items of *exhibit* that have a translation: (1-based place, item, translation),
    in the exhibit's order."""
    return [
        (number, item, item.translation)
        for number, item in enumerate(exhibit.items, start=1)
        if item.translation is not None
    ]


def item_words(item: PlannedItem, zone: ZoneInfo) -> str:
    """What an item is, in a line: 'Message from Jordan (+13125550147), Mar 12, 2024,
    10:15 PM CDT', and the file's name for a picture, document or recording. The words
    the exhibit's own pages use: "from"/"to" the other person, the time as captions say
    it."""
    entry = item.entry
    words = ITEM_WORDS.get(entry.kind, "Item")
    # Each part as one line: a sender or subject from an imported file may hold line
    # breaks, which would print lines of its own ("Translated by a court interpreter")
    # on this page and inside the declaration the user signs.
    other = one_line(entry.who() or "")
    if entry.direction == "incoming":
        words += f" from {other or 'an unknown sender'}"
    elif entry.direction == "outgoing":
        words += f" to {other or 'an unknown recipient'}"
    elif item.meta.get("sender"):  # a group chat: the sender, as the export named them
        words += f" from {one_line(str(item.meta['sender']))}"
    elif other:
        words += f" with {other}"
    subject = one_line(str(item.meta.get("subject") or "")) if entry.kind == "email" else ""
    if subject:
        words += f", subject “{subject[:120]}{'…' if len(subject) > 120 else ''}”"
    words += f", {when(entry.occurred_ms, zone, entry.time_precision)}"
    if item.original is not None and entry.kind in ("image", "document", "audio", "note"):
        words += f" · {one_line(item.original.name)}"
    return words


def _by_whom(plan: BinderPlan, translator: str) -> str:
    """Who made a translation, for the line above it."""
    if translator:
        return translator
    role = sections.side(plan.options.prefix)
    name = plan.case.get(role)
    return (
        f"the {role}, {name}, not by a certified interpreter"
        if name
        else f"the {role}, not by a certified interpreter"
    )


def _lower_first(words: str) -> str:
    """'Message from …' as it reads inside a sentence: 'message from …'."""
    return words[:1].lower() + words[1:]


def draw(page: Page, plan: BinderPlan, exhibit: PlannedExhibit) -> None:
    """The English translation of *exhibit*'s translated items, starting on the page the
    cursor is on (a fresh one), then a translator's declaration for each translator and
    language, each on a page of its own. Nothing when no item is translated."""
    items = translated(exhibit)
    if not items:
        return
    zone = ZoneInfo(plan.time_zone)
    label = f"{plan.options.prefix} {exhibit.label}"
    navigation.at(plan, f"{label} · English translation")
    page.heading(f"English translation of {label}")
    count = len(exhibit.items)
    page.text(
        f"The item{'s' if len(items) != 1 else ''} of {label} below "
        f"{'are' if len(items) != 1 else 'is'} not in English. "
        f"{'Each is' if len(items) != 1 else 'It is'} printed as it was on the pages before "
        "this one; here is the English translation, with who made it.",
        gap_after=10,
    )
    for number, item, translation in items:
        page.room(BODY * LEADING * 5)  # the item's lines and the start of its words together
        page.text(
            f"Item {number} of {count}: {item_words(item, zone)}",
            font=fonts.BOLD,
            gap_after=2,
        )
        page.text(
            f"Translated from {translation.language} by {_by_whom(plan, translation.translator)}.",
            colour=GREY,
            gap_after=4,
        )
        page.text(translation.text, gap_after=14)
    if page.missing_glyphs:
        page.text(
            f"{fonts.MISSING} marks a character this binder's fonts cannot show; the "
            "translation kept in the vault holds it exactly.",
            colour=GREY,
        )
        page.missing_glyphs = False
    groups: dict[tuple[str, str], list[tuple[int, PlannedItem]]] = {}
    for number, item, translation in items:
        key = (translation.translator, translation.language)
        groups.setdefault(key, []).append((number, item))
    navigation.at(plan, f"{label} · translator's declaration")
    for (translator, language), members in groups.items():
        page.new_page()
        declaration(page, plan, exhibit, translator, language, members)


def declaration(
    page: Page,
    plan: BinderPlan,
    exhibit: PlannedExhibit,
    translator: str,
    language: str,
    members: list[tuple[int, PlannedItem]],
) -> None:
    """One translator's declaration: that they can translate *language* into English and
    that the translation of the listed items is true; signed under penalty of perjury.
    The user's own translation is declared as theirs, with the rule's note."""
    zone = ZoneInfo(plan.time_zone)
    label = f"{plan.options.prefix} {exhibit.label}"
    page.heading(f"Translator's declaration about {label}")
    listed = "; ".join(
        f"item {number} ({_lower_first(item_words(item, zone))})" for number, item in members
    )
    heading = f"“English translation of {label}”"
    if translator:
        page.text(
            f"I, {translator}, declare: I am competent to translate from {language} into "
            f"English. The English translation on the pages before this one, headed "
            f"{heading}, is a true and accurate translation of the {language} text of "
            f"{label}, “{exhibit.title}”: {listed}.",
            gap_after=10,
        )
    else:
        page.text(
            f"I, {sections._declarant(plan)}, declare: I translated the {language} text of "
            f"{label}, “{exhibit.title}”, into English myself: {listed}. The English "
            f"translation on the pages before this one, headed {heading}, is true and "
            f"accurate to the best of my knowledge of {language} and English.",
            gap_after=10,
        )
    sections._perjury_and_signature(page)
    if not translator:
        page.text(
            f"Note: this translation was made by the {sections.side(plan.options.prefix)}, "
            f"not by a certified interpreter. {RULE_NOTE}",
            colour=GREY,
        )
