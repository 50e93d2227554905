"""The command line. Every command calls the same services as the window.

Errors print one line to stderr and exit non-zero, never a traceback (set
NCO_DEBUG=1 to see one). Exit codes: 0 success, 1 failure (or ``verify`` found a
problem, or some files could not be imported), 2 usage, 130 interrupted.

Everything printed goes through :func:`_say`: names and text from imported files are
chosen by the other side, and a terminal obeys escape sequences.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TextIO, cast

from nco_desktop import cli_binder, cli_case, cli_import, cli_salvage, cli_translate
from nco_desktop.backup import checked_backup
from nco_desktop.binder.exhibits import add_exhibit, list_exhibits, move_exhibit, remove_exhibit
from nco_desktop.binder.output import (
    remove_partial_leftovers,
)
from nco_desktop.case.details import CASE_FIELDS, case_fields, private_details, save_case_details
from nco_desktop.cli_parser import PROG, build_parser
from nco_desktop.cli_passphrase import existing_passphrase, new_passphrase
from nco_desktop.demo.case import DEMO_PASSPHRASE, create_demo_vault, demo_vault_path
from nco_desktop.errors import NcoError
from nco_desktop.evidence.records import EntryKind, TimeSource
from nco_desktop.hardening import disable_core_dumps, quiet_library_logs
from nco_desktop.importers.batch import (
    REGION_SETTING,
    phone_region,
)
from nco_desktop.ocr import queue as ocr_queue
from nco_desktop.ocr import store as ocr_store
from nco_desktop.restore import restore_backup
from nco_desktop.safe_text import json_safe, safe_line, safe_text
from nco_desktop.timekeeping import guess_system_zone
from nco_desktop.timeline.query import EntryView, TimelineQuery, iter_entries, write_json_lines
from nco_desktop.typed_dates import parse_typed_instant
from nco_desktop.vault import NO_RECOVERY_WARNING, Vault
from nco_desktop.vault.connection import DatabaseError
from nco_desktop.vault.faults import disk_problem
from nco_desktop.vault.open_lock import OpenLock, VaultInUse
from nco_desktop.vault.salvage_source import format_header
from nco_desktop.vault.seen import older_copy, remember
from nco_desktop.verification import verify_vault


def _say(text: str, *, err: bool = False) -> None:
    """Print one line, with every character that could steer a terminal shown as an
    escape (:func:`~nco_desktop.safe_text.safe_line`).

    All output goes through here, not only the fields known to come from files: file
    names, zip members, senders, message text and reasons that quote them reach many
    lines, and one line missed would be one terminal taken over. Our own text is
    printable, so it passes unchanged.
    """
    print(safe_line(text), file=sys.stderr if err else sys.stdout)


class _SafeJsonOut:
    """Standard output for ``list --json``: each piece escaped by :func:`json_safe`,
    so the data a program reads is unchanged and a terminal obeys nothing in it."""

    def write(self, text: str) -> int:
        return sys.stdout.write(json_safe(text))


@contextmanager
def _open(
    args: argparse.Namespace, *, writes: bool = True, passphrase: str | None = None
) -> Iterator[Vault]:
    """Unlock the vault for a ``with`` block, and first remove what a killed binder
    build left in the clear.

    A command that writes holds the vault's open lock throughout (the window takes the
    same one), so it never saves over a window's work. One that only reads (list,
    verify) runs beside an open window, leaving the clean-up to whoever holds it.
    """
    lock = OpenLock(args.vault)
    try:
        lock.acquire()
    except VaultInUse:
        if writes:
            raise
    try:
        passphrase = passphrase or existing_passphrase(args.passphrase_file)
        # Only the holder of the open lock may set a log aside: beside a window, the
        # log is the window's own and live.
        with Vault.open(args.vault, passphrase, check_log=lock.held) as vault:
            _check_older(vault, args, writes=writes)
            if vault.set_aside_log is not None:
                _say(
                    f"A log file beside the vault was not written with this vault's key (a "
                    f"file copied over it, or from elsewhere), so none of it was used. It is "
                    f"kept as “{vault.set_aside_log.name}”.",
                    err=True,
                )
            if vault.damaged_log is not None:
                copy, lost = vault.damaged_log
                _say(
                    f"The log file beside the vault is damaged: {lost} saved change"
                    f"{'s' if lost != 1 else ''} after the damage could not be read, so the "
                    f"vault is used as it was before them. A copy of the log is kept as "
                    f"“{copy.name}”. If you have a backup made after those changes, "
                    "restore it.",
                    err=True,
                )
            for path in remove_partial_leftovers(vault) if lock.held else []:
                _say(
                    f"Removed “{path}”: a half-written export left by an earlier run that "
                    "was stopped.",
                    err=True,
                )
            yield vault
            remember(vault)  # the newest history seen here (see vault.seen)
    finally:
        lock.release()


def _check_older(vault: Vault, args: argparse.Namespace, *, writes: bool) -> None:
    """A vault older than the last one seen here: written to only once accepted."""
    older = older_copy(vault)
    if older is None:
        return
    if getattr(args, "accept_older", False):
        remember(vault, accept=True)
        _say(f"{PROG}: using the vault as it is (--accept-older).", err=True)
    elif writes:
        raise NcoError(
            f"{older.message} Nothing was changed. If it is the vault you mean, run the "
            "command again with --accept-older."
        )
    else:
        _say(f"{PROG}: warning: {older.message} (--accept-older accepts it.)", err=True)


def cmd_init(args: argparse.Namespace) -> int:
    zone = args.tz or guess_system_zone()
    if args.region and not (len(args.region.strip()) == 2 and args.region.strip().isalpha()):
        raise NcoError(f"“{args.region}” is not a two-letter country code such as US or GB.")
    _say(NO_RECOVERY_WARNING, err=True)
    passphrase = new_passphrase(args.passphrase_file, use_env=True)
    try:
        vault = Vault.create(args.vault, passphrase, time_zone=zone, case_title=args.case_title)
    except ValueError as exc:  # an unknown time zone
        raise NcoError(str(exc)) from None
    with vault:
        if args.region:
            vault.set_settings({REGION_SETTING: args.region.strip().upper()})
        region = phone_region(vault)
        _say(
            f"Created the vault “{args.vault}” (times shown in {zone}; phone numbers "
            f"without a country code read as {region})."
        )
        _say(_header_words(vault))
    return 0


def _header_words(vault: Vault) -> str:
    return (
        f"Vault header: {format_header(vault.header)} (not secret; write it down with your "
        "backups: it lets salvage read this vault if its first bytes are ever damaged)."
    )


def cmd_import(args: argparse.Namespace) -> int:
    return cli_import.cmd_import(args, _say, _open)


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args, writes=False) as vault:
        zone = vault.time_zone
        try:
            query = TimelineQuery(
                kinds=frozenset(EntryKind(k) for k in args.kind or ()),
                since_ms=parse_typed_instant(args.since, zone) if args.since else None,
                until_ms=(
                    parse_typed_instant(args.until, zone, end_of_day=True) if args.until else None
                ),
                party=args.party,
                text=args.text,
                include_hidden=bool(getattr(args, "include_hidden", False)),
            )
        except ValueError as exc:
            raise NcoError(str(exc)) from None
        entries = iter_entries(vault.conn, query)
        if args.json:
            write_json_lines(entries, cast(TextIO, _SafeJsonOut()))
            return 0
        count = 0
        for entry in entries:
            _say(_format_row(entry, vault))
            count += 1
        _say(
            f"{count} entries; times in {vault.time_zone_name}; "
            "≈ marks a time taken from a weak source.",
            err=True,
        )
    return 0


def _format_row(entry: EntryView, vault: Vault) -> str:
    moment = entry.local_time(vault.time_zone)
    when = "time unknown" if moment is None else moment.strftime("%Y-%m-%d %H:%M %Z")
    # As the window marks it: a weak source, or a time known only to the minute or day.
    rough = entry.time_precision in ("minute", "day", "unknown")
    weak = "≈" if TimeSource(entry.time_source).is_weak or rough else " "
    arrow = {"incoming": "←", "outgoing": "→"}.get(entry.direction or "", " ")
    return (
        f"{entry.id:>6}  {weak}{when:<21}  {entry.kind:<8} {arrow} "
        f"{safe_line(entry.who())[:32]:<32}  {safe_line(entry.summary_line())[:70]}"
    )


def cmd_verify(args: argparse.Namespace) -> int:
    with _open(args, writes=False) as vault:
        report = verify_vault(vault)
        header = _header_words(vault)
    megabytes = report.bytes_checked / 1_000_000
    _say(
        f"Checked {report.originals_checked} originals ({megabytes:,.1f} MB) "
        f"and {report.audit_rows} audit-log rows."
    )
    if report.audit_head is not None:
        _say(f"Audit-log head: row {report.audit_head.seq}, {report.audit_head.hash}")
    _say(header)
    if report.intact:
        _say("Everything is unchanged since it was written.")
        return 0
    for problem in report.problems:
        _say(f"PROBLEM: {problem}", err=True)
    return 1


def cmd_ocr(args: argparse.Namespace) -> int:
    """Read the text in the vault's pictures now (the window does it in the background)."""
    with _open(args, writes=not args.status) as vault:
        if args.again and not args.status:
            _say(f"Forgot {ocr_store.forget_all(vault)} readings; reading every picture again.")
        before = ocr_store.status(vault)
        if not args.status and before.pending:
            _say(f"Reading the text in {before.pending} pictures, offline…", err=True)
            try:
                with ocr_queue.new_pool() as pool:
                    run = ocr_queue.read_pending(
                        vault, pool, limit=args.limit, progress=_ocr_progress
                    )
            except ocr_queue.ReaderUnavailable as exc:
                raise NcoError(f"The text in pictures cannot be read: {exc}") from None
            if sys.stderr.isatty():
                print(file=sys.stderr)  # after the progress line
            _say(
                f"Read {run.read} pictures and PDF pages ({run.words:,} words); "
                f"{run.failed} could not be read."
            )
        after = ocr_store.status(vault)
    paused = " Reading in the window is paused." if after.paused else ""
    _say(
        f"Text read in {after.done} of {after.total} pictures; {after.pending} waiting, "
        f"{after.failed} could not be read.{paused}"
    )
    return 0 if after.failed == 0 else 1


def _ocr_progress(done: int, waiting: int) -> None:
    if sys.stderr.isatty():
        print(f"\r  {done} read, {waiting} waiting ", end="", file=sys.stderr, flush=True)


def cmd_passwd(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        new = new_passphrase(args.new_passphrase_file, use_env=False)
        vault.change_passphrase(new)
        header = _header_words(vault)
    _say(f"The passphrase of “{args.vault}” is changed. {NO_RECOVERY_WARNING}")
    _say(header)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    passphrase = existing_passphrase(args.passphrase_file)  # asked once, used twice
    with _open(args, passphrase=passphrase) as vault:
        dest = checked_backup(vault, args.dest, passphrase=passphrase)
    _say(f"Backed up to “{dest}”. It opens with the same passphrase.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    restored = restore_backup(args.backup, args.dest, existing_passphrase(args.passphrase_file))
    _say(f"Restored “{args.backup}” to “{restored.dest}”; it was checked first.")
    if restored.set_aside is not None:
        _say(
            f"The vault that was there is kept, with its log, as “{restored.set_aside.name}” "
            "(delete it once you are sure you do not need it)."
        )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    path = args.out or demo_vault_path()
    with create_demo_vault(path) as vault:
        entries = vault.conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    _say(f"Created the demo case “{path}” ({entries} timeline entries, all fictional).")
    _say(f"Its passphrase is: {DEMO_PASSPHRASE}")
    return 0


def cmd_case(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        fields = {k: getattr(args, k) for k in CASE_FIELDS if getattr(args, k) is not None}
        private = None
        if args.clear_redactions or args.redact:
            private = [] if args.clear_redactions else private_details(vault)
            private += [term for term in args.redact or []]
        save_case_details(vault, fields, private)
        for key, value in case_fields(vault).items():
            _say(f"{key.replace('_', ' ').capitalize():>13}: {value or '—'}")
        count = len(private_details(vault))
        _say(
            f"{count} private detail{'s' if count != 1 else ''} will be removed from the "
            "copy for service."
        )
    return 0


def cmd_exhibit(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        if args.exhibit_command == "add":
            add_exhibit(vault, args.title, args.description, list(args.entry_ids))
        elif args.exhibit_command == "move":
            move_exhibit(vault, args.number, args.to)
        elif args.exhibit_command == "remove":
            remove_exhibit(vault, args.number)
        rows = list_exhibits(vault)
    if not rows:
        _say("No exhibits chosen: the binder groups every entry into exhibits by itself.")
    for place, row in enumerate(rows, start=1):
        entries = ", ".join(map(str, row.entry_ids))
        _say(f"{place:>3}. {row.title} — entries {entries}")
    return 0


def cmd_binder(args: argparse.Namespace) -> int:
    return cli_binder.cmd_binder(args, _say, _open)


def cmd_salvage(args: argparse.Namespace) -> int:
    return cli_salvage.cmd_salvage(args, _say)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "import": cmd_import,
    "list": cmd_list,
    "verify": cmd_verify,
    "ocr": cmd_ocr,
    "passwd": cmd_passwd,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "salvage": cmd_salvage,
    "demo": cmd_demo,
    "case": cmd_case,
    "exhibit": cmd_exhibit,
    "person": partial(cli_case.cmd_person, say=_say, open_vault=_open),
    "order": partial(cli_case.cmd_order, say=_say, open_vault=_open),
    "translate": partial(cli_translate.cmd_translate, say=_say, open_vault=_open),
    "binder": cmd_binder,
}


#: What each command was doing, for a message that says what did not happen.
DOING = {
    "init": "creating the vault",
    "import": "the import",
    "list": "the listing",
    "verify": "the check",
    "ocr": "reading the pictures",
    "passwd": "the passphrase change",
    "backup": "the backup",
    "restore": "the restore",
    "salvage": "the salvage",
    "demo": "creating the demo case",
    "case": "saving the case details",
    "exhibit": "the exhibit change",
    "person": "saving the person",
    "order": "saving the order",
    "translate": "saving the translation",
    "binder": "the binder",
}


def _disk_of(args: argparse.Namespace) -> Path | None:
    """A file on the disk the command writes to: the binder's, the backup's, the vault."""
    for name in ("out", "dest", "new", "vault"):
        value = getattr(args, name, None)
        if isinstance(value, Path):
            return value
    return None


def main(argv: Sequence[str] | None = None) -> int:
    disable_core_dumps()  # this process will hold the key and decrypted evidence
    quiet_library_logs()  # library warnings quote what a file says: never printed
    args = build_parser().parse_args(argv)
    if args.command is None:
        from nco_desktop.ui.shell.app import run_gui  # Qt is loaded only for the window

        return run_gui(demo=args.demo)
    try:
        return COMMANDS[args.command](args)
    except NcoError as exc:
        _say(f"{PROG}: {exc.message}", err=True)
        return 1
    except (DatabaseError, OSError) as exc:
        # The disk first (full, read-only, refused, failing): a full disk reported as
        # damage once led people to put an older backup over an intact vault.
        problem = disk_problem(exc, DOING.get(args.command, "the last step"), _disk_of(args))
        if problem is not None:
            _say(f"{PROG}: {problem.message}", err=True)
        elif isinstance(exc, OSError):
            where = f" ({Path(exc.filename).name})" if exc.filename else ""
            _say(f"{PROG}: {exc.strerror or 'the computer refused'}{where}.", err=True)
        else:
            _say(
                f"{PROG}: the vault could not be read ({exc}). Run “{PROG} verify” to see "
                "whether it is damaged before doing anything else with it.",
                err=True,
            )
        return 1
    except KeyboardInterrupt:
        _say(f"{PROG}: stopped.", err=True)
        return 130
    except Exception as exc:  # a bug: say so without dumping evidence into the terminal
        if os.environ.get("NCO_DEBUG"):
            print(safe_text(traceback.format_exc()), end="", file=sys.stderr)
        _say(
            f"{PROG}: internal error ({type(exc).__name__}). This is a bug; the vault was "
            "not changed by the failed step. Set NCO_DEBUG=1 to see details.",
            err=True,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
