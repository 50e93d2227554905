"""The binder's copies — the court's, and the one for the other side — built and saved.

Qt-free on purpose, and shared: the window's Binder view runs these on a worker with
the worker's own vault connection (see ``nco_desktop.ui.binder.binder_jobs``), the command
line's ``binder`` uses the same rules (which exhibits are empty, which copies are
built with which options, where the copy for service goes, when a copy is cut into
volumes), and tests call them directly. One set of rules means the window and the CLI
cannot drift apart on what the court and the other side receive.

The window builds in memory only (``io.BytesIO``): the preview, printing and the size
meter need no file, so nothing of the case touches a disk until the user chooses
Save… and has been told that the saved file is not encrypted (DESIGN invariant 2).
The CLI builds straight to the files the user named (see :func:`copy_options`), which
keeps a large binder out of memory twice over.
"""

from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.courts import apply_court, name_too_long, rules_for
from nco_desktop.binder.exhibit_files import (
    ExhibitSpan,
    exhibit_spans,
    leftovers,
    longest_name,
    write_exhibit_files,
)
from nco_desktop.binder.exhibit_list import (
    ExhibitRow,
    exhibit_rows,
    list_path,
    write_exhibit_list,
)
from nco_desktop.binder.exhibits import list_exhibits
from nco_desktop.binder.options import BinderOptions, exhibit_label
from nco_desktop.binder.output import (
    REMEMBERED_ACTION,
    REMOVED_ACTION,
    recordings_folder,
    remember_export_folders,
    write_bytes_atomically,
)
from nco_desktop.binder.plan import build_plan
from nco_desktop.binder.recordings import export_recordings, export_service_recordings
from nco_desktop.binder.redaction import Redactor
from nco_desktop.binder.review import REVIEWED_ACTION, Finding, load_decisions
from nco_desktop.binder.saved_options import DEFAULT_SPLIT_MB, BinderChoices
from nco_desktop.binder.volumes import split, volume_path
from nco_desktop.case.details import private_details
from nco_desktop.errors import NcoError
from nco_desktop.progress import Cancelled, CancelToken, ProgressCallback
from nco_desktop.vault import Vault
from nco_desktop.vault.audit import read_head

#: The audit action of a saved binder choice (saved_options.save_choices). A change of
#: options alone is judged by comparing the options, not by the audit log.
OPTIONS_ACTION = "binder.options_changed"
MEGABYTE = 1_000_000  # as the CLI's --split-mb and e-filing portals count
#: The size many e-filing systems refuse above; both the window and the CLI warn past it.
E_FILING_LIMIT = int(DEFAULT_SPLIT_MB * MEGABYTE)
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class BuiltCopy:
    """One copy's PDF bytes, exactly as previewed (and later printed or saved)."""

    data: bytes
    pages: int
    outline: tuple[tuple[str, int], ...] = ()  # bookmarks: (title, 1-based page)
    exhibit_pages: tuple[int, ...] = ()  # pages of each exhibit, in binder order
    #: The copy for the other side: each place a private detail was found, for review.
    findings: tuple[Finding, ...] = ()
    #: PDF/A: pages drawn with an imported PDF's own fonts, not embedded (binder.pdfa).
    pages_without_fonts: tuple[int, ...] = ()
    #: For a court that asks for searchable text: pictures and scans not read yet.
    unsearchable: tuple[str, ...] = ()
    #: Where each exhibit is, to save it as a PDF of its own (binder.exhibit_files).
    spans: tuple[ExhibitSpan, ...] = ()

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class BuiltBinder:
    """Both copies as built, and what they were built from (to tell when they are old)."""

    court: BuiltCopy
    service: BuiltCopy | None
    exhibits: int
    choices: BinderChoices
    audit_seq: int  # the vault's last audit row when the build began
    empty_exhibits: tuple[str, ...] = ()  # "Pet. Ex. 3 — Title" of exhibits with no items
    exhibit_ids: tuple[int, ...] = ()  # the chosen exhibits, in binder order (none: grouped)
    #: The places of private details the user had released when the copy for the other
    #: side was built (see ``binder.review``).
    released: frozenset[str] = frozenset()
    #: The court copy's exhibit list, made with it (binder.exhibit_list), for Save.
    exhibit_rows: tuple[ExhibitRow, ...] = ()
    #: What the user should know before printing (see marks_naming_private).
    warnings: tuple[str, ...] = ()


@dataclass
class SavedFiles:
    """What Save wrote, in order; *stopped* when the user cancelled part-way, *error*
    when writing failed (what was written before it is still listed)."""

    written: list[Path] = field(default_factory=list)
    recordings: int | None = None  # None: not asked for
    stopped: bool = False
    error: Exception | None = None  # why the rest was not written
    #: Volumes or exhibit files beside the binder from an earlier save, not this one.
    leftovers: list[Path] = field(default_factory=list)
    #: Copies larger than the volume size, saved whole beside their exhibits' files.
    too_large: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class EmptyExhibit:
    """A chosen exhibit that holds nothing yet: it would print a divider and no pages."""

    place: int  # 1-based, as ``exhibit list`` numbers it
    title: str


def last_audit_seq(vault: Vault) -> int:
    """The vault's newest audit row: a build remembers it to tell later whether it is old."""
    return read_head(vault.conn).seq


def changed_since(vault: Vault, built: BuiltBinder, choices: BinderChoices) -> bool:
    """True when the vault now holds something the built binder does not show.

    Any audited change after the build (evidence, exhibits, case details, people,
    incidents) counts, except a saved binder choice: that only matters if it changes
    the options the copies were built with, or asks for a copy that was not built.
    A change of volume size alone changes no page, and neither does Save noting the
    folder it writes to, nor the clean-up of a partial file a killed build left, nor a
    review of private details that released nothing new.
    """
    later = vault.conn.execute(
        "SELECT 1 FROM audit_log WHERE seq > ? AND action NOT IN (?, ?, ?, ?) LIMIT 1",
        (built.audit_seq, OPTIONS_ACTION, REMEMBERED_ACTION, REMOVED_ACTION, REVIEWED_ACTION),
    ).fetchone()
    if later is not None:
        return True
    if built.service is not None and load_decisions(vault)[0] != built.released:
        return True
    if choices.options != built.choices.options:
        return True
    return choices.service_copy and built.service is None


def exhibits_without_items(vault: Vault) -> list[EmptyExhibit]:
    """The chosen exhibits that hold nothing yet, by place.

    The window can leave an exhibit empty (made first, filled later); the binder still
    builds, so both the window and the CLI say which ones would print an empty divider.
    """
    return [
        EmptyExhibit(place, row.title)
        for place, row in enumerate(list_exhibits(vault), start=1)
        if not row.entry_ids
    ]


def empty_exhibits(vault: Vault, choices: BinderChoices) -> list[str]:
    """The chosen exhibits that hold nothing yet, labelled as the binder labels them
    ("Pet. Ex. 3 — Title"): each would print an empty divider."""
    options = choices.options
    return [
        f"{options.prefix} {exhibit_label(empty.place - 1, options.labels)} — {empty.title}"
        for empty in exhibits_without_items(vault)
    ]


def copy_options(
    choices: BinderChoices, released: frozenset[str] = frozenset()
) -> list[BinderOptions]:
    """The options of each copy to build: the court's first, then, if chosen, the copy
    for the other side with the same options and its private details removed, but for
    the places the user *released* in their review (see ``binder.review``).

    The court's copy is never built for service, whatever *choices* say: the court
    must see everything the user filed.
    """
    choices = apply_court(choices)  # whatever the caller holds, the court's rules apply
    court = dataclasses.replace(choices.options, for_service=False, released=frozenset())
    if not choices.service_copy:
        return [court]
    return [court, dataclasses.replace(court, for_service=True, released=released)]


def unreviewed(built: BuiltBinder, vault: Vault) -> list[Finding]:
    """The places found in the copy for the other side that the user has not looked at
    in a review yet: the window asks about them before that copy is printed or saved."""
    if built.service is None:
        return []
    _, seen = load_decisions(vault)
    return [finding for finding in built.service.findings if finding.key not in seen]


def build_copies(
    vault: Vault,
    choices: BinderChoices,
    names: tuple[str, str],
    progress: ProgressCallback,
    cancel: CancelToken,
) -> BuiltBinder:
    """The court's copy and, if chosen, the copy for the other side, into memory.

    *names* label the two copies in progress reports ("Court copy", …). Progress runs
    once across both builds. A cancel is honoured at every progress report and once
    more at the end, so a binder asked to stop is never handed back.
    """
    seq = last_audit_seq(vault)
    empty = tuple(empty_exhibits(vault, choices))
    exhibit_ids = tuple(row.id for row in list_exhibits(vault))
    released, _ = load_decisions(vault)
    runs = list(zip(names, copy_options(choices, released), strict=False))
    built: list[BuiltCopy] = []
    exhibits = 0
    rows: tuple[ExhibitRow, ...] = ()
    for number, (name, options) in enumerate(runs):
        report = _part_progress(progress, cancel, name, number, len(runs))
        buffer = io.BytesIO()
        result = build_binder(vault, buffer, options, progress=report, cancel=cancel)
        if number == 0:  # the court's copy: its list, from the same vault state
            rows = tuple(
                exhibit_rows(build_plan(vault, options), result.first_pages, result.exhibit_pages)
            )
        built.append(
            BuiltCopy(
                buffer.getvalue(),
                result.pages,
                tuple(result.outline),
                tuple(result.exhibit_pages),
                tuple(result.findings),
                tuple(result.pages_without_fonts),
                tuple(result.unsearchable),
                tuple(exhibit_spans(result)) if result.exhibits else (),
            )
        )
        exhibits = result.exhibits
    cancel.raise_if_cancelled()
    return BuiltBinder(
        court=built[0],
        service=built[1] if len(built) > 1 else None,
        exhibits=exhibits,
        choices=choices,
        audit_seq=seq,
        empty_exhibits=empty,
        exhibit_ids=exhibit_ids,
        released=released if choices.service_copy else frozenset(),
        exhibit_rows=rows,
        warnings=tuple(w for w in (marks_naming_private(vault, choices),) if w is not None),
    )


def _part_progress(
    progress: ProgressCallback, cancel: CancelToken, name: str, number: int, parts: int
) -> ProgressCallback:
    """Progress of build *number* of *parts*, as one bar across them; checks for a cancel."""

    def report(done: int, total: int, label: str) -> None:
        cancel.raise_if_cancelled()
        total = max(total, 1)
        progress(number * total + done, parts * total, f"{name}: {label}" if label else name)

    return report


def suggested_file_name(title: str, case_number: str) -> str:
    """ "Exhibits 24-DV-01234.pdf": a name the user recognises, safe on every system."""
    number = " ".join(_NOT_IN_FILE_NAMES.sub("-", case_number).split()).strip(" .-")
    stem = f"{title} {number}" if number else title
    return f"{stem}.pdf"


def service_path(binder: Path) -> Path:
    """Where the copy for the other side is saved: beside the court's, NAME-for-service.pdf."""
    return binder.with_name(f"{binder.stem}-for-service{binder.suffix or '.pdf'}")


def volume_bytes(split_mb: float | None) -> int | None:
    """The volume size in bytes, or None when the user keeps one file."""
    return None if split_mb is None else int(split_mb * MEGABYTE)


def marks_naming_private(vault: Vault, choices: BinderChoices) -> str | None:
    """A warning when the exhibit or Bates prefix holds a private detail given for the
    copy for the other side: both print on every page of both copies (the copies must
    share their Bates numbers), so the redactor cannot hide them there."""
    if not choices.service_copy:
        return None
    redactor = Redactor(tuple(private_details(vault)))
    options = choices.options
    named = [
        what
        for what, value in (("exhibit prefix", options.prefix), ("Bates prefix", options.bates))
        if value and redactor.apply(value) != value
    ]
    if not named:
        return None
    return (
        f"The {' and the '.join(named)} {'holds' if len(named) == 1 else 'hold'} a private "
        "detail you asked to remove, and prints on every page of the copy for the other "
        "side too: choose another."
    )


def planned_files(built: BuiltBinder, binder: Path, exhibit_list: bool = False) -> list[Path]:
    """The files Save writes for certain (volumes, if any, are named once cut)."""
    files = [binder]
    if built.service is not None:
        files.append(service_path(binder))
    if exhibit_list:
        files.append(list_path(binder))
    return files


#: Volume numbers a name check allows for: "-vol99" (99 volumes of 32 MB is 3 GB).
_LONGEST_VOLUME = 99


def planned_names(binder: Path, choices: BinderChoices, exhibit_list: bool = False) -> list[str]:
    """Every file name Save may write for *choices*, volumes at their longest: what a
    court's limit on file names is checked against before anything is written."""
    copies = [binder] + ([service_path(binder)] if choices.service_copy else [])
    names = [path.name for path in copies]
    volumes = _LONGEST_VOLUME if choices.split_mb is not None else 0
    if choices.per_exhibit:  # the exhibits' files are the ones filed, cut if too large
        names += [longest_name(path, volumes=volumes) for path in copies]
    elif volumes:
        names += [volume_path(path, volumes).name for path in copies]
    if exhibit_list:
        names.append(list_path(binder).name)
    return names


def will_split(built: BuiltBinder, split_mb: float | None, per_exhibit: bool = False) -> bool:
    """Whether Save will also cut volumes: some copy is larger than *split_mb* (never
    when each exhibit is saved alone: those files are cut instead)."""
    limit = volume_bytes(split_mb)
    if per_exhibit:
        return False
    sizes = [built.court.size] + ([built.service.size] if built.service else [])
    return limit is not None and any(size > limit for size in sizes)


def save_copies(
    vault: Vault,
    built: BuiltBinder,
    binder: Path,
    *,
    split_mb: float | None,
    recordings: bool,
    progress: ProgressCallback,
    cancel: CancelToken,
    exhibit_list: bool = False,
    per_exhibit: bool = False,
) -> SavedFiles:
    """Write the copies (each whole or not at all), their volumes under *split_mb*
    (the choice now, which changes no page), the recordings, and with *exhibit_list*
    the court copy's exhibit list (a CSV made with the copy, so it matches it).

    The bytes are the ones previewed, so what is saved is exactly what was looked at.
    A cancel stops between files; what was written by then is reported, not hidden.
    """
    saved = SavedFiles()
    # The court's largest file holds whatever size the caller passes (a form whose save
    # was refused still shows the old one).
    planned = apply_court(
        dataclasses.replace(built.choices, split_mb=split_mb, per_exhibit=per_exhibit)
    )
    split_mb = planned.split_mb
    names = planned_names(binder, planned, exhibit_list)
    if (too_long := name_too_long(planned.options.court, names)) is not None:
        saved.error = NcoError(too_long)  # before a byte: nothing half-filed
        return saved
    limit = volume_bytes(split_mb)
    most_chars = rules_for(planned.options.court).max_name_chars
    copies = [(binder, built.court)]
    if built.service is not None:
        copies.append((service_path(binder), built.service))
    steps = len(copies) + (1 if recordings else 0)
    try:
        # Remembered before the first byte, so a kill mid-write is cleaned up next time.
        folders = [binder.parent] + ([recordings_folder(binder)] if recordings else [])
        if recordings and built.service is not None:
            folders.append(recordings_folder(service_path(binder)))
        remember_export_folders(vault, folders)
        for number, (path, copy) in enumerate(copies):
            cancel.raise_if_cancelled()
            progress(number, steps, path.name)
            write_bytes_atomically(path, copy.data)
            saved.written.append(path)
            if per_exhibit and copy.spans:  # each part alone, under the limit; no volumes
                files = write_exhibit_files(path, copy.spans, limit, most_chars)
                saved.written.extend(file.path for file in files)
                if limit is not None and copy.size > limit:
                    saved.too_large.append(path)
            elif limit is not None and copy.size > limit:
                # From the file just written, not the bytes: memory stays bounded.
                volumes = split(path, limit)
                saved.written.extend(volume.path for volume in volumes)
        if exhibit_list:
            cancel.raise_if_cancelled()
            saved.written.append(write_exhibit_list(binder, list(built.exhibit_rows)))
        if recordings:
            cancel.raise_if_cancelled()
            progress(len(copies), steps, "")
            copied = export_recordings(vault, binder, built.choices.options)
            saved.written.extend(copied)
            saved.recordings = len(copied)
            if built.service is not None:  # their own: neutral names, only the sound
                served = export_service_recordings(
                    vault, service_path(binder), built.choices.options
                )
                saved.written.extend(served.written)
    except Cancelled:
        saved.stopped = True
    except Exception as error:  # a full disk, a folder without permission: say what is done
        saved.error = error
    saved.leftovers = leftovers(binder, saved.written)
    progress(steps, steps, "")
    return saved
