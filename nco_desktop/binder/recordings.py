"""Recordings copied out beside the binder, for the USB stick a court may ask for.

Paper cannot carry a voicemail: the binder prints each recording's facts and
transcript, and this copies the recordings themselves, byte for byte, into a folder
named after the binder. File names carry the exhibit label, so the stick and the binder
match. These copies are in the clear, like the binder; the CLI says so.
"""

from __future__ import annotations

import re
from pathlib import Path

from nco_desktop.binder.options import BinderOptions
from nco_desktop.binder.output import (
    OWNER_ONLY_FOLDER,
    recordings_folder,
    write_chunks_atomically,
)
from nco_desktop.binder.plan import build_plan
from nco_desktop.vault import Vault
from nco_desktop.vault.blobs import iter_chunks

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def recording_name(prefix: str, label: str, number: int, original_name: str) -> str:
    stem = _UNSAFE.sub("_", original_name).strip(" ._") or "recording"
    return f"{_UNSAFE.sub('', prefix).strip()} {label} - {number:02d} - {stem}"


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
            path = folder / recording_name(options.prefix, exhibit.label, number, original.name)
            write_chunks_atomically(path, iter_chunks(vault.conn, original.blob_id))
            written.append(path)
    return written
