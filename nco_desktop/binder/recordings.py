"""Recordings copied out beside the binder, for the USB stick a court may ask for.

Paper cannot carry a voicemail: the binder prints each recording's facts and
transcript, and this copies the recordings themselves, byte for byte, into a folder
named after the binder. File names carry the exhibit label, so the stick and the binder
match. These copies are in the clear, like the binder; the CLI says so. The other side
gets copies of their own (:func:`export_service_recordings`): neutral names and only the
sound.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from nco_desktop.binder.courts import rules_for
from nco_desktop.binder.options import BinderOptions
from nco_desktop.binder.output import (
    OWNER_ONLY_FOLDER,
    recordings_folder,
    write_chunks_atomically,
)
from nco_desktop.binder.plan import build_plan
from nco_desktop.timeline.previews import PicturePreviews, PreviewFailed
from nco_desktop.vault import Vault
from nco_desktop.vault.blobs import iter_chunks

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def recording_name(
    prefix: str, label: str, number: int, original_name: str, most: int | None = None
) -> str:
    """ "Pet. Ex. 4 - 01 - voicemail.m4a"; with *most* (a court's longest file name),
    the original's name is shortened before its extension to fit."""
    stem = _UNSAFE.sub("_", original_name).strip(" ._") or "recording"
    head = f"{_UNSAFE.sub('', prefix).strip()} {label} - {number:02d}"
    name = f"{head} - {stem}"
    if most is None or len(name) <= most:
        return name
    base, dot, extension = stem.rpartition(".")
    tail = f".{extension}" if dot and base and len(extension) <= 5 else ""
    room = most - len(head) - 3 - len(tail)
    kept = (base if tail else stem)[: max(room, 0)].rstrip(" ._-")
    return f"{head} - {kept}{tail}" if kept else f"{head}{tail}"


def service_name(prefix: str, label: str, number: int, extension: str) -> str:
    """A copy for the other side is named by its exhibit and number only: the file's own
    name may hold a phone number or a name ("Voicemail from +1 555…", "Mom.m4a")."""
    return f"{_UNSAFE.sub('', prefix).strip()} {label} - {number:02d}.{extension}"


@dataclass
class ServiceRecordings:
    written: list[Path] = field(default_factory=list)
    #: (name in the vault, why) for each recording that could not be copied clean.
    left_out: list[tuple[str, str]] = field(default_factory=list)


def export_service_recordings(
    vault: Vault, binder: Path, options: BinderOptions
) -> ServiceRecordings:
    """The recordings for the other side, beside *binder* (their copy): named by
    exhibit and number only, with nothing but their sound — no tags, titles, locations
    or cover pictures — made so in a sandboxed worker (:mod:`nco_desktop.sandbox.audio`).
    A recording that cannot be cleaned is left out and named in the result."""
    plan = build_plan(vault, dataclasses.replace(options, for_service=True))
    folder = recordings_folder(binder)
    result = ServiceRecordings()
    for exhibit in plan.exhibits:
        recordings = [
            i.original for i in exhibit.items if i.entry.kind == "audio" and i.original is not None
        ]
        for number, original in enumerate(recordings, start=1):
            data = b"".join(iter_chunks(vault.conn, original.blob_id))
            previews = PicturePreviews(fresh=True)
            try:
                extension, clean = previews.audio_clean(data)
            except PreviewFailed as failure:
                result.left_out.append((original.name, str(failure)))
                continue
            finally:
                previews.close()
                del data
            folder.mkdir(mode=OWNER_ONLY_FOLDER, exist_ok=True)
            path = folder / service_name(options.prefix, exhibit.label, number, extension)
            write_chunks_atomically(path, iter([clean]))
            result.written.append(path)
    return result


def export_recordings(vault: Vault, binder: Path, options: BinderOptions) -> list[Path]:
    """Copy every recording in the binder's exhibits to NAME-recordings/; [] if none."""
    plan = build_plan(vault, options)
    folder = recordings_folder(binder)
    written: list[Path] = []
    for exhibit in plan.exhibits:
        recordings = [
            i.original for i in exhibit.items if i.entry.kind == "audio" and i.original is not None
        ]
        for number, original in enumerate(recordings, start=1):
            folder.mkdir(mode=OWNER_ONLY_FOLDER, exist_ok=True)
            most = rules_for(options.court).max_name_chars  # Texas: 50 characters
            path = folder / recording_name(
                options.prefix, exhibit.label, number, original.name, most
            )
            write_chunks_atomically(path, iter_chunks(vault.conn, original.blob_id))
            written.append(path)
    return written
