"""Build the demo vault: a fictional harassment case, ready to explore.

``nco-desktop --demo`` opens it, and ``nco-desktop demo`` makes one from the command
line. It is made by code at first use (nothing to ship, always "recent"): the files of
:mod:`nco_desktop.demo.files` are imported with the real importer, then the people,
the incidents and the order are added with the same services the window uses, so the
demo shows exactly what a real case looks like.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from nco_desktop.binder.plan import REDACTIONS_KEY
from nco_desktop.case.hearing import hearing_words
from nco_desktop.case.incidents import IncidentCategory, NewIncident, add_incident
from nco_desktop.case.orders import NewOrder, OrderKind, add_order
from nco_desktop.case.people import IdentifierKind, NewPerson, Role, add_person
from nco_desktop.demo import files
from nco_desktop.errors import NcoError
from nco_desktop.evidence.records import TimePrecision
from nco_desktop.importers.batch import REGION_SETTING, import_paths
from nco_desktop.presence import portable_folder
from nco_desktop.progress import Cancelled, CancelToken, ProgressCallback, no_progress
from nco_desktop.timekeeping import to_ms
from nco_desktop.vault import DEFAULT_KDF, VAULT_SUFFIX, KdfParams, Vault
from nco_desktop.vault.vault import CASE_SETTING

#: Shown on the start screen next to the demo: the demo holds nothing secret.
DEMO_PASSPHRASE = "demo case only — not real"  # noqa: S105 - public on purpose
DEMO_FILE_NAME = "demo" + VAULT_SUFFIX
APP_FOLDER = "NCO Desktop"


class DemoFailed(NcoError):
    """The demo case could not be built (a bug: its files are made by this program)."""


def demo_vault_path() -> Path:
    """Where the demo vault lives: the user's per-application data folder.

    ``$XDG_DATA_HOME/nco-desktop`` (``~/.local/share/nco-desktop``) on Linux,
    ``%LOCALAPPDATA%\\NCO Desktop`` on Windows, ``~/Library/Application Support/NCO
    Desktop`` on macOS; in portable mode, the settings folder beside the program (see
    nco_desktop.presence), so nothing goes into the user's profile. The folder is not
    created here.
    """
    portable = portable_folder()
    if portable is not None:
        return portable / DEMO_FILE_NAME
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP_FOLDER / DEMO_FILE_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_FOLDER / DEMO_FILE_NAME
    data_home = os.environ.get("XDG_DATA_HOME", "").strip()
    base_dir = Path(data_home) if data_home else Path.home() / ".local" / "share"
    return base_dir / "nco-desktop" / DEMO_FILE_NAME


def open_demo_vault(
    path: Path | None = None,
    *,
    today: date | None = None,
    kdf: KdfParams = DEFAULT_KDF,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Vault:
    """The demo vault, created first if it does not exist yet (or a previous try failed)."""
    path = path or demo_vault_path()
    if path.exists():
        return Vault.open(path, DEMO_PASSPHRASE)
    return create_demo_vault(path, today=today, kdf=kdf, progress=progress, cancel=cancel)


def create_demo_vault(
    path: Path,
    *,
    today: date | None = None,
    kdf: KdfParams = DEFAULT_KDF,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Vault:
    """Create the demo vault at *path* and return it open.

    The generated files go through a private temporary folder (mode 0700, removed at
    the end, even on failure). That is the one place this program writes evidence-like
    files outside a vault, and it is acceptable only because every byte is fictional.

    If anything fails or the user cancels, the half-made vault file is deleted so the
    next start simply tries again; the error (or :class:`Cancelled`) is raised.
    """
    # "Today" in the case's own zone, as the window counts days to the hearing.
    today = today or datetime.now(ZoneInfo(files.ZONE_NAME)).date()
    story = files.story(today)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    vault = Vault.create(
        path,
        DEMO_PASSPHRASE,
        time_zone=files.ZONE_NAME,
        case_title=f"{files.PETITIONER} v. {files.RESPONDENT} (demo)",
        kdf=kdf,
    )
    try:
        _set_case_details(vault, story)
        with tempfile.TemporaryDirectory(prefix="nco-demo-") as folder:
            evidence = Path(folder) / "Demo case evidence"
            evidence.mkdir(mode=0o700)
            progress(0, 0, "Writing the demo case's files")
            _write_files(evidence, today)
            summary = import_paths(vault, [evidence], progress=progress, cancel=cancel)
        if summary.cancelled:
            raise Cancelled
        if not summary.all_ok:
            raise DemoFailed(f"The demo case could not be imported: {summary.headline()}")
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(0, 0, "Adding the people, incidents and order")
        _add_records(vault, story)
    except BaseException:
        vault.close()
        _remove_vault_file(path)
        raise
    return vault


def _set_case_details(vault: Vault, story: files.Story) -> None:
    details = vault.case_details
    hearing, hearing_time = hearing_words(story.hearing)  # as the window offers it
    details.update(
        {
            "court": files.COURT,
            "case_number": story.case_number,
            "petitioner": files.PETITIONER,
            "respondent": files.RESPONDENT,
            "hearing": hearing,
            "hearing_time": hearing_time,
            "department": files.DEPARTMENT,
            "judge": files.JUDGE,
            REDACTIONS_KEY: [files.PETITIONER_ADDRESS, files.PETITIONER_EMAIL, files.WORKPLACE],
        }
    )
    vault.set_settings({CASE_SETTING: details, REGION_SETTING: "US"})


def _write_files(folder: Path, today: date) -> None:
    for demo_file in files.demo_files(today):
        target = folder / demo_file.name
        target.write_bytes(demo_file.data)
        if demo_file.mtime is not None:
            stamp = demo_file.mtime.timestamp()
            os.utime(target, (stamp, stamp))


def _entries_between(
    vault: Vault, start: datetime, end: datetime, kinds: tuple[str, ...]
) -> list[int]:
    """The ids of entries of *kinds* in [start, end], in time order."""
    marks = ", ".join("?" for _ in kinds)
    rows = vault.conn.execute(
        f"SELECT id FROM entries WHERE kind IN ({marks}) AND occurred_ms BETWEEN ? AND ? "
        "ORDER BY occurred_ms, id",
        (*kinds, to_ms(start), to_ms(end)),
    )
    return [int(row[0]) for row in rows]


def _documents_named(vault: Vault, prefix: str) -> list[int]:
    rows = vault.conn.execute(
        "SELECT e.id FROM entries e JOIN originals o ON o.id = e.original_id "
        "WHERE e.kind = 'document' AND o.original_name LIKE ? ORDER BY e.id",
        (prefix + "%",),
    )
    return [int(row[0]) for row in rows]


def _add_records(vault: Vault, story: files.Story) -> None:
    """People, the three incidents with their evidence, and the order."""
    hour = timedelta(hours=1)
    jordan = add_person(
        vault,
        NewPerson(
            Role.RESTRAINED,
            files.RESPONDENT,
            identifiers=(
                (IdentifierKind.PHONE, "(312) 555-0147"),
                (IdentifierKind.EMAIL, files.RESPONDENT_EMAIL),
                (IdentifierKind.HANDLE, files.RESPONDENT_HANDLE),
            ),
            notes=f"Former partner. Drives {files.RESPONDENT_CAR}.",
        ),
    )
    add_person(
        vault,
        NewPerson(
            Role.PETITIONER,
            files.PETITIONER,
            identifiers=((IdentifierKind.EMAIL, files.PETITIONER_EMAIL),),
        ),
    )
    add_person(
        vault,
        NewPerson(
            Role.WITNESS,
            files.NEIGHBOUR,
            identifiers=((IdentifierKind.PHONE, files.NEIGHBOUR_PHONE),),
            notes="Neighbour in apartment 2A. Heard the knocking and saw the car leave.",
        ),
    )
    add_person(
        vault,
        NewPerson(
            Role.WITNESS,
            files.COWORKER,
            identifiers=((IdentifierKind.EMAIL, files.COWORKER_EMAIL),),
            notes="Co-worker. Saw the car in the staff parking lot.",
        ),
    )

    work = story.work_incident
    add_incident(
        vault,
        NewIncident(
            occurred_ms=to_ms(work),
            time_precision=TimePrecision.MINUTE,
            ends_ms=to_ms(work + timedelta(minutes=25)),
            location=f"Staff parking lot, {files.WORKPLACE}",
            summary="Followed me to work and waited in the parking lot",
            what_happened=(
                f"{files.RESPONDENT}'s {files.RESPONDENT_CAR.removeprefix('a ')} followed me from "
                "Willow Court to work and parked two rows behind me. Jordan stayed in the car "
                "and watched me walk in. Minutes later the texts about my jacket and my work "
                "arrived."
            ),
            category=IncidentCategory.FOLLOWING,
            witnesses=f"{files.COWORKER} (co-worker) saw the car and Jordan in it.",
            impact="I was too shaken to start work on time and now vary my route every day.",
            private_notes="Ask HR whether the parking-lot camera keeps footage.",
        ),
        _entries_between(vault, work - hour, work + hour, ("message", "call")),
    )

    home = story.home_incident
    evidence = _entries_between(
        vault, home - hour, home + hour, ("message", "call", "audio")
    ) + _documents_named(vault, "police-report-")
    add_incident(
        vault,
        NewIncident(
            occurred_ms=to_ms(home - timedelta(minutes=30)),
            time_precision=TimePrecision.MINUTE,
            ends_ms=to_ms(home + timedelta(minutes=15)),
            location=f"Outside my front door, {files.PETITIONER_ADDRESS}",
            summary="Came to my home at night, knocked and called for half an hour",
            what_happened=(
                "Jordan texted “I'm outside”, then knocked on my door and called my name for "
                "about twenty minutes, calling my phone again and again and leaving a "
                "voicemail. I did not open the door and called 911. Jordan drove off before "
                "the police arrived."
            ),
            category=IncidentCategory.IN_PERSON,
            witnesses=f"{files.NEIGHBOUR} (neighbour, apartment 2A) heard the knocking and saw "
            "the car leave.",
            reported_to_police=True,
            agency=files.AGENCY,
            officer=files.OFFICER,
            report_number=story.report_number,
            impact="I could not sleep that night and stayed with my sister for three days.",
            private_notes="Victim Services advocate: call back about a safety plan.",
        ),
        evidence,
    )

    store = story.store_incident
    add_incident(
        vault,
        NewIncident(
            occurred_ms=to_ms(store),
            time_precision=TimePrecision.MINUTE,
            location=files.STORE,
            summary="Confronted me at the grocery store after being served with the order",
            what_happened=(
                "Jordan walked up to me in the produce aisle, stood in my way and said we "
                "were \u201cnot done talking\u201d. I left my cart and went to the front desk. "
                "Texts and a direct message followed within the hour."
            ),
            category=IncidentCategory.ORDER_VIOLATION,
            witnesses="The store's shift manager (name tag “Tom”) walked me to my car. "
            "My sister was on the phone with me at the time.",
            impact="I no longer shop alone and I am afraid to go out in the evening.",
            private_notes="Ask the store to keep the camera footage.",
        ),
        _entries_between(vault, store, store + 2 * hour, ("message", "call", "image")),
    )

    add_order(
        vault,
        NewOrder(
            OrderKind.CIVIL_PROTECTION,
            court=files.COURT,
            case_number=story.case_number,
            issued_on=story.order_issued,
            served_on=story.order_served,
            hearing_at=story.hearing,
            expires_on=story.hearing.date(),
            terms=(
                "Temporary (ex parte) order until the hearing. No contact of any kind, "
                "directly or through others, including phone, text, e-mail, social media or "
                "letters; stay 500 feet away from the petitioner, home and workplace; no "
                "posts about the petitioner; no following or watching."
            ),
            restrained_person_id=jordan,
        ),
    )


def _remove_vault_file(path: Path) -> None:
    """Delete a half-made demo vault and SQLite's companions, so the next start retries."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        target = path.with_name(path.name + suffix)
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
