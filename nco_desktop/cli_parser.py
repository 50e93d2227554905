"""The command line's words: every command, option and help text of ``nco-desktop``.

Apart from :mod:`nco_desktop.cli`, which runs the commands, so that module stays about
what each command does and this one about how a person asks for it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nco_desktop import __version__
from nco_desktop.binder.options import Corner, Court, LabelStyle, Paper
from nco_desktop.case.details import CASE_FIELDS
from nco_desktop.case.orders import OrderKind
from nco_desktop.case.people import IdentifierKind, Role
from nco_desktop.cli_case import NONE_WORD, record_id
from nco_desktop.evidence.records import EntryKind

PROG = "nco-desktop"
_DETAIL_HELP = {
    IdentifierKind.PHONE: "a phone number, written any way: (312) 555-0147 matches "
    "+13125550147 in a phone's export",
    IdentifierKind.EMAIL: "an e-mail address",
    IdentifierKind.HANDLE: "a social-media or chat handle (with or without @)",
    IdentifierKind.ADDRESS: "a postal address (kept for the record; not matched)",
    IdentifierKind.OTHER: "another name exports give them by, e.g. an account id",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Keep harassment evidence in one encrypted vault. "
        "Run without a command to open the window.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the window on the demo case")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    unlock = argparse.ArgumentParser(add_help=False)
    unlock.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="F",
        help="read the passphrase from file F (else $NCO_PASSPHRASE, else a hidden prompt)",
    )
    unlock.add_argument(
        "--accept-older",
        action="store_true",
        help="use a vault that is older than the last time it was used on this computer "
        "(a backup copied over it) as it is, and stop warning about it",
    )

    init = commands.add_parser("init", parents=[unlock], help="create a new vault")
    init.add_argument("vault", type=Path, metavar="VAULT")
    init.add_argument(
        "--tz",
        default=None,
        metavar="ZONE",
        help="time zone for showing times, e.g. America/Chicago (default: this computer's)",
    )
    init.add_argument("--case-title", default="", metavar="TEXT")
    init.add_argument(
        "--region",
        metavar="CC",
        help="country for phone numbers written without a country code, e.g. US or GB "
        "(default: the time zone's country)",
    )

    imp = commands.add_parser("import", parents=[unlock], help="import files or folders")
    imp.add_argument("--vault", type=Path, required=True)
    imp.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    imp.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN,…",
        help="for a CSV the importer does not recognise: which column is which, "
        "e.g. --map date=When,number=Phone,type=Kind,duration=Secs",
    )
    imp.add_argument(
        "--date-order",
        choices=["day-first", "month-first"],
        help="how to read a chat's dates like 09/03/2024 when nothing in the file decides "
        "(the import says when it needs this, with a line read both ways)",
    )
    imp.add_argument(
        "--me",
        metavar="NAME",
        help="your own name as chat exports write it, so your messages are marked as sent "
        "by you (kept for this vault)",
    )
    imp.add_argument(
        "--again",
        action="store_true",
        help="read files already in the vault again with these settings (another "
        "--date-order, --me or --map): the entries they put on the timeline are "
        "replaced, your incidents, exhibits and notes on them kept; the files themselves "
        "are never changed",
    )
    imp.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="import what a symbolic link named here points to (links inside folders are "
        "never followed)",
    )

    lst = commands.add_parser("list", parents=[unlock], help="list the timeline")
    lst.add_argument("--vault", type=Path, required=True)
    lst.add_argument("--json", action="store_true", help="print one JSON array")
    lst.add_argument(
        "--kind",
        action="append",
        choices=[k.value for k in EntryKind],
        help="only this kind (repeat for several)",
    )
    lst.add_argument("--since", metavar="DATE", help="from this date (vault time zone)")
    lst.add_argument("--until", metavar="DATE", help="up to the end of this date")
    lst.add_argument("--party", metavar="TEXT", help="only entries whose party contains TEXT")
    lst.add_argument("--text", metavar="TEXT", help="only entries whose text contains TEXT")
    lst.add_argument(
        "--include-hidden",
        action="store_true",
        help="also list the entries hidden in the window (imported by mistake)",
    )

    ver = commands.add_parser(
        "verify", parents=[unlock], help="re-hash every original and check the audit log"
    )
    ver.add_argument("--vault", type=Path, required=True)

    ocr = commands.add_parser(
        "ocr", parents=[unlock], help="read the text in pictures (offline), or say how far it is"
    )
    ocr.add_argument("--vault", type=Path, required=True)
    ocr.add_argument("--status", action="store_true", help="only say how many are read")
    ocr.add_argument("--limit", type=int, metavar="N", help="read at most N pictures, then stop")
    ocr.add_argument(
        "--again", action="store_true", help="forget every reading and read all pictures again"
    )

    pwd = commands.add_parser("passwd", parents=[unlock], help="change the passphrase")
    pwd.add_argument("--vault", type=Path, required=True)
    pwd.add_argument(
        "--new-passphrase-file",
        type=Path,
        metavar="F",
        help="read the new passphrase from F (else a hidden prompt, twice)",
    )

    case = commands.add_parser("case", parents=[unlock], help="set the case details")
    case.add_argument("--vault", type=Path, required=True)
    for name in CASE_FIELDS:
        case.add_argument(f"--{name.replace('_', '-')}", metavar="TEXT")
    case.add_argument(
        "--redact",
        action="append",
        metavar="TEXT",
        help="a private detail to remove from the copy for the other side (your address, "
        "phone number, workplace, children's names, account numbers); repeat for several",
    )
    case.add_argument(
        "--clear-redactions", action="store_true", help="forget every detail given with --redact"
    )

    exh = commands.add_parser("exhibit", parents=[unlock], help="choose exhibits")
    exh_commands = exh.add_subparsers(dest="exhibit_command", metavar="ACTION", required=True)
    add = exh_commands.add_parser("add", parents=[unlock], help="a new exhibit of entries")
    add.add_argument("--vault", type=Path, required=True)
    add.add_argument("--title", required=True)
    add.add_argument("--description", default="")
    add.add_argument("entry_ids", type=int, nargs="+", metavar="ENTRY_ID")
    show = exh_commands.add_parser("list", parents=[unlock], help="the chosen exhibits")
    show.add_argument("--vault", type=Path, required=True)
    move = exh_commands.add_parser("move", parents=[unlock], help="change an exhibit's place")
    move.add_argument("--vault", type=Path, required=True)
    move.add_argument("number", type=int, metavar="PLACE")
    move.add_argument("to", type=int, metavar="NEW_PLACE")
    remove = exh_commands.add_parser("remove", parents=[unlock], help="take an exhibit out")
    remove.add_argument("--vault", type=Path, required=True)
    remove.add_argument("number", type=int, metavar="PLACE")

    _case_parsers(commands, unlock)
    _translate_parser(commands, unlock)

    bnd = commands.add_parser("binder", parents=[unlock], help="build the exhibit binder PDF")
    bnd.add_argument("--vault", type=Path, required=True)
    bnd.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    bnd.add_argument(
        "--court",
        choices=[c.value for c in Court],
        default=Court.ANY.value,
        help="make the binder the way this court asks (paper, PDF/A, file sizes and names, "
        "links, colour); it says what it set",
    )
    bnd.add_argument("--paper", choices=[p.value for p in Paper], help="letter (default) or a4")
    bnd.add_argument("--labels", choices=[s.value for s in LabelStyle], default="numbers")
    bnd.add_argument("--prefix", default="Pet. Ex.", help='e.g. "Resp. Ex."')
    bnd.add_argument("--bates", metavar="PREFIX", help="number every page PREFIX000001 …")
    bnd.add_argument("--stamp-corner", choices=[c.value for c in Corner], default="bottom-right")
    bnd.add_argument(
        "--split-mb",
        type=float,
        metavar="MB",
        help="also write volumes of at most MB megabytes (e.g. 25 for e-filing) "
        "that keep the continuous page numbers",
    )
    bnd.add_argument(
        "--per-exhibit",
        action="store_true",
        help="also save each exhibit as a PDF of its own (NAME-ex1.pdf …, with "
        "NAME-0-index.pdf and NAME-z-appendix.pdf), for courts that want each filed alone; "
        "with --split-mb, a larger one is cut into volumes",
    )
    bnd.add_argument(
        "--pdfa",
        action="store_true",
        help="write PDF/A-2b, the archival PDF some courts' e-filing requires (New York's "
        "appellate courts, for one); the pages look the same",
    )
    bnd.add_argument(
        "--exhibit-list",
        action="store_true",
        help="also write NAME-exhibit-list.csv: each exhibit's label, title, dates, pages "
        "and files' SHA-256, to open and edit in a spreadsheet",
    )
    bnd.add_argument(
        "--export-recordings",
        action="store_true",
        help="also copy the recordings (voicemails) to NAME-recordings/, named by exhibit, "
        "for a USB stick",
    )
    bnd.add_argument(
        "--pattern-page",
        action="store_true",
        help="add a 'Pattern of contact' page after the chronology: the calls and "
        "messages per day and by hour of the person saved with person add --role "
        "restrained, with the day their order took effect (order add --served) marked",
    )
    bnd.add_argument(
        "--tabs",
        action="store_true",
        help="print a dark tab on each divider's outer edge, lower for each exhibit",
    )
    bnd.add_argument(
        "--exhibit-declarations",
        action="store_true",
        help="add a declaration to sign after each exhibit (some courts want one per exhibit)",
    )
    bnd.add_argument(
        "--redact-for-service",
        action="store_true",
        help="also write NAME-for-service.pdf for the other side, without your private "
        "details (see case --redact) or photo locations",
    )
    bnd.add_argument(
        "--review-redactions",
        type=Path,
        metavar="FILE",
        help="check each place a private detail was found before the copy for the other "
        "side is written: if FILE does not exist, list them in it (JSON) and stop; edit "
        'it ("hide": false keeps a place as it is), then run again to build from it',
    )

    bak = commands.add_parser(
        "backup", parents=[unlock], help="copy the vault to a new encrypted file"
    )
    bak.add_argument("--vault", type=Path, required=True)
    bak.add_argument("dest", type=Path, metavar="DEST")

    res = commands.add_parser(
        "restore",
        parents=[unlock],
        help="put a checked backup in place of a vault (what was there is set aside, kept)",
    )
    res.add_argument("backup", type=Path, metavar="BACKUP")
    res.add_argument("dest", type=Path, metavar="VAULT")

    sal = commands.add_parser(
        "salvage",
        parents=[unlock],
        help="copy everything a damaged vault still holds into a new vault, and report "
        "exactly what was kept and lost (exit 1 if anything was lost)",
    )
    sal.add_argument("damaged", type=Path, metavar="DAMAGED")
    sal.add_argument("new", type=Path, metavar="NEW")
    sal.add_argument(
        "--header",
        metavar="HEX",
        help="the vault's header as printed by init and verify (when its first bytes are damaged)",
    )
    sal.add_argument(
        "--header-from",
        type=Path,
        metavar="BACKUP",
        help="read the header from a backup of the damaged vault (same passphrase)",
    )

    dem = commands.add_parser("demo", help="create the fictional demo case to try things out")
    dem.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help="where to write the demo vault (default: the one --demo opens)",
    )
    return parser


def _case_parsers(commands: argparse._SubParsersAction, unlock: argparse.ArgumentParser) -> None:
    """``person`` and ``order`` with their actions, under *commands*."""
    person = commands.add_parser(
        "person",
        parents=[unlock],
        help="the restrained person, witnesses and others, with their numbers and accounts",
    )
    actions = person.add_subparsers(dest="case_action", metavar="ACTION", required=True)
    add = _action(actions, "add", unlock, "save a person with their contact details")
    add.add_argument("--name", required=True, metavar="NAME")
    _role_option(add, required=True)
    for kind in IdentifierKind:
        add.add_argument(
            f"--{kind.value}", action="append", metavar="TEXT", help=_DETAIL_HELP[kind]
        )
    add.add_argument("--notes", default="", metavar="TEXT")
    show = _action(actions, "list", unlock, "everyone saved, with their numbers (#N)")
    show.add_argument("--json", action="store_true", help="print one JSON array")
    edit = _action(actions, "edit", unlock, "change a person's name, role, details or notes")
    edit.add_argument("id", type=record_id, metavar="ID", help="the person's #N from list")
    edit.add_argument("--name", metavar="NAME")
    _role_option(edit, required=False)
    for kind in IdentifierKind:
        edit.add_argument(
            f"--add-{kind.value}", action="append", metavar="TEXT", help=_DETAIL_HELP[kind]
        )
    edit.add_argument(
        "--remove",
        action="append",
        metavar="TEXT",
        help="a contact detail to take off, written any way that matches it",
    )
    edit.add_argument("--notes", metavar="TEXT", help="replace the notes")

    order = commands.add_parser(
        "order",
        parents=[unlock],
        help="the court orders: kind, court, case number, dates, terms, who is restrained",
    )
    actions = order.add_subparsers(dest="case_action", metavar="ACTION", required=True)
    add = _action(actions, "add", unlock, "save an order")
    _order_options(add, adding=True)
    show = _action(actions, "list", unlock, "every order (#N), with possible violations")
    show.add_argument("--json", action="store_true", help="print one JSON array")
    edit = _action(actions, "edit", unlock, "change an order's fields")
    edit.add_argument("id", type=record_id, metavar="ID", help="the order's #N from list")
    _order_options(edit, adding=False)


def _translate_parser(
    commands: argparse._SubParsersAction, unlock: argparse.ArgumentParser
) -> None:
    """``translate``: an entry's English translation (see :mod:`nco_desktop.cli_translate`)."""
    tra = commands.add_parser(
        "translate",
        parents=[unlock],
        help="show, save or remove the English translation of an entry in another "
        "language; the binder prints it after the entry's exhibit with a translator's "
        "declaration to sign",
    )
    tra.add_argument("--vault", type=Path, required=True)
    tra.add_argument("entry_id", type=int, metavar="ENTRY_ID", help="the entry (see list)")
    tra.add_argument(
        "--language", metavar="LANGUAGE", help="the language of the original, e.g. Spanish"
    )
    tra.add_argument(
        "--translator",
        default="",
        metavar="NAME",
        help="who translated it; leave out if you translated it yourself",
    )
    words = tra.add_mutually_exclusive_group()
    words.add_argument("--text", metavar="TEXT", help="the English translation")
    words.add_argument(
        "--from-file",
        type=Path,
        metavar="PATH",
        help="read the English translation from a plain-text (UTF-8) file you wrote",
    )
    words.add_argument("--remove", action="store_true", help="remove the translation")


def _action(
    actions: argparse._SubParsersAction, name: str, unlock: argparse.ArgumentParser, text: str
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = actions.add_parser(name, parents=[unlock], help=text)
    parser.add_argument("--vault", type=Path, required=True)
    return parser


def _role_option(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--role",
        required=required,
        choices=[r.value for r in Role],
        help="restrained: the person the order is against (the binder's pattern page "
        "shows their contacts)",
    )


def _order_options(parser: argparse.ArgumentParser, *, adding: bool) -> None:
    clear = "" if adding else f"; {NONE_WORD} clears it"
    parser.add_argument("--kind", required=adding, choices=[k.value for k in OrderKind])
    parser.add_argument("--court", metavar="TEXT", help="e.g. Circuit Court of Cook County")
    parser.add_argument("--case-number", metavar="TEXT", help="as printed on the order")
    for flag, what in (
        ("--issued", "the day it was issued"),
        ("--served", "the day it was served; contacts from then on are possible violations"),
        ("--expires", "its last day"),
    ):
        parser.add_argument(
            flag, metavar="DATE", help=f"{what} (e.g. 2024-03-12 or Mar 12, 2024{clear})"
        )
    parser.add_argument(
        "--hearing",
        metavar="DATETIME",
        help=f'its day and time, in the vault\'s time zone (e.g. "2024-04-02 9:30 AM"{clear})',
    )
    parser.add_argument("--terms", metavar="TEXT", help="what the order forbids")
    parser.add_argument(
        "--restrained",
        metavar="ID",
        help="the #N of the restrained person it is against (person list); "
        + (
            "default: the only one, if there is one"
            if adding
            else f"{NONE_WORD} leaves no one named"
        ),
    )
