"""The vault schema as ordered migrations.

``PRAGMA user_version`` holds the schema version. Each :class:`Migration` runs in one
transaction together with the version bump, so a crash leaves the vault at the old or
the new version, never between. Steps are never edited once released: a change is a
new step. Tests build a vault at every earlier version and open it with this code.
"""

from __future__ import annotations

from dataclasses import dataclass

# Time columns named *_ms hold UTC milliseconds since the Unix epoch; *_at columns hold
# ISO 8601 UTC text ("2024-03-12T22:15:30.123456Z") for bookkeeping times.

_V1 = """
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value_json  TEXT NOT NULL
);

-- Content-addressed storage: one row per distinct SHA-256, bytes split into chunks so
-- that a 300 MB video never has to sit in memory whole.
CREATE TABLE blobs (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,      -- 'pending:…' only inside the writing transaction
    size        INTEGER NOT NULL CHECK (size >= 0),
    chunk_size  INTEGER NOT NULL CHECK (chunk_size > 0),
    chunk_count INTEGER NOT NULL CHECK (chunk_count >= 0)
);
CREATE TABLE blob_chunks (
    id          INTEGER PRIMARY KEY,
    blob_id     INTEGER NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL CHECK (seq >= 0),
    data        BLOB NOT NULL,
    UNIQUE (blob_id, seq)
);
-- Stored bytes never change. Tamper tests drop these triggers on purpose.
CREATE TRIGGER blob_chunks_immutable BEFORE UPDATE ON blob_chunks
BEGIN SELECT RAISE(ABORT, 'stored bytes are immutable'); END;
CREATE TRIGGER blobs_hash_immutable BEFORE UPDATE OF sha256, size ON blobs
WHEN OLD.sha256 NOT LIKE 'pending:%'
BEGIN SELECT RAISE(ABORT, 'stored bytes are immutable'); END;

-- The files the user imported, byte for byte. container_id points at the original a
-- file came out of (an e-mail's attachment, a zip's member).
CREATE TABLE originals (
    id              INTEGER PRIMARY KEY,
    blob_id         INTEGER NOT NULL REFERENCES blobs(id),
    sha256          TEXT NOT NULL UNIQUE,
    size            INTEGER NOT NULL,
    original_name   TEXT NOT NULL,
    media_type      TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    import_source   TEXT NOT NULL,
    source_mtime_ms INTEGER,
    container_id    INTEGER REFERENCES originals(id)
);
CREATE TRIGGER originals_identity_immutable
BEFORE UPDATE OF blob_id, sha256, size ON originals
BEGIN SELECT RAISE(ABORT, 'originals are immutable'); END;

-- Rebuildable data made from an original: thumbnails, extracted text, rendered pages.
CREATE TABLE derivatives (
    id          INTEGER PRIMARY KEY,
    original_id INTEGER NOT NULL REFERENCES originals(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    blob_id     INTEGER NOT NULL REFERENCES blobs(id),
    meta_json   TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL,
    UNIQUE (original_id, kind)
);

-- One timeline: every message, call, e-mail, picture, document, recording, note and
-- incident. occurred_ms is NULL when the time is unknown (never invented).
CREATE TABLE entries (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN
                    ('message','call','email','image','document','audio','note','incident')),
    occurred_ms     INTEGER,
    utc_offset_min  INTEGER CHECK (utc_offset_min BETWEEN -1080 AND 1080),
    time_source     TEXT NOT NULL,
    time_precision  TEXT NOT NULL DEFAULT 'second'
                    CHECK (time_precision IN ('millisecond','second','minute','day','unknown')),
    direction       TEXT CHECK (direction IN ('incoming','outgoing')),
    party           TEXT,
    text            TEXT,
    original_id     INTEGER REFERENCES originals(id),
    call_type       TEXT CHECK (call_type IN
                    ('incoming','outgoing','missed','voicemail','rejected','blocked')),
    duration_s      INTEGER CHECK (duration_s >= 0),
    thread_key      TEXT,
    source_key      TEXT UNIQUE,   -- identity in an export: overlapping backups do not double
    meta_json       TEXT NOT NULL DEFAULT '{}',
    created_at      TEXT NOT NULL
);
CREATE INDEX entries_by_time ON entries (occurred_ms, id);
CREATE INDEX entries_by_kind_time ON entries (kind, occurred_ms);
CREATE INDEX entries_by_party ON entries (party);
CREATE INDEX entries_by_original ON entries (original_id);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('restrained','witness','petitioner','other')),
    name        TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE TABLE person_identifiers (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('phone','email','handle','address','other')),
    value       TEXT NOT NULL,
    normalized  TEXT NOT NULL,
    UNIQUE (person_id, kind, normalized)
);
CREATE INDEX person_identifiers_lookup ON person_identifiers (kind, normalized);

-- The user's own log. Court-facing fields and private_notes are separate: private
-- notes never go into a binder.
CREATE TABLE incidents (
    entry_id            INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    location            TEXT NOT NULL DEFAULT '',
    summary             TEXT NOT NULL DEFAULT '',
    what_happened       TEXT NOT NULL DEFAULT '',
    witnesses           TEXT NOT NULL DEFAULT '',
    reported_to_police  INTEGER NOT NULL DEFAULT 0 CHECK (reported_to_police IN (0, 1)),
    agency              TEXT NOT NULL DEFAULT '',
    officer             TEXT NOT NULL DEFAULT '',
    report_number       TEXT NOT NULL DEFAULT '',
    impact              TEXT NOT NULL DEFAULT '',
    private_notes       TEXT NOT NULL DEFAULT ''
);
CREATE TABLE incident_evidence (
    incident_entry_id   INTEGER NOT NULL REFERENCES incidents(entry_id) ON DELETE CASCADE,
    entry_id            INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    PRIMARY KEY (incident_entry_id, entry_id)
);

CREATE TABLE orders (
    id                      INTEGER PRIMARY KEY,
    kind                    TEXT NOT NULL CHECK (kind IN
                            ('criminal-no-contact','civil-protection','restraining','other')),
    court                   TEXT NOT NULL DEFAULT '',
    case_number             TEXT NOT NULL DEFAULT '',
    issued_on               TEXT,       -- ISO date in the vault time zone
    hearing_at              TEXT,       -- ISO date-time in the vault time zone
    expires_on              TEXT,
    terms                   TEXT NOT NULL DEFAULT '',
    restrained_person_id    INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at              TEXT NOT NULL
);

CREATE TABLE exhibits (
    id          INTEGER PRIMARY KEY,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE TABLE exhibit_items (
    exhibit_id  INTEGER NOT NULL REFERENCES exhibits(id) ON DELETE CASCADE,
    entry_id    INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (exhibit_id, entry_id)
);

-- Hash chain: hash = sha256(seq, at, action, details_json, prev_hash). Append-only.
CREATE TABLE audit_log (
    seq             INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    action          TEXT NOT NULL,
    details_json    TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


_V2 = """
-- One key per person across exports (E.164 for numbers), and the contact name an export
-- gave, so one person's calls and texts group together.
ALTER TABLE entries ADD COLUMN party_key TEXT;
ALTER TABLE entries ADD COLUMN party_name TEXT;
CREATE INDEX entries_by_party_key ON entries (party_key, occurred_ms);

-- Originals that belong to an entry besides its own: an MMS's pictures, an e-mail's
-- attachments, the media of a WhatsApp message.
CREATE TABLE entry_attachments (
    entry_id    INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    original_id INTEGER NOT NULL REFERENCES originals(id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (entry_id, original_id)
);
CREATE INDEX entry_attachments_by_original ON entry_attachments (original_id);

-- How each imported file was read: the format found, and what went wrong in words the
-- user can act on. A file that could not be read is still kept as an original.
CREATE TABLE original_parses (
    original_id     INTEGER PRIMARY KEY REFERENCES originals(id) ON DELETE CASCADE,
    format          TEXT,
    status          TEXT NOT NULL CHECK (status IN ('ok','partial','failed','unsupported')),
    entries_added   INTEGER NOT NULL DEFAULT 0,
    duplicates      INTEGER NOT NULL DEFAULT 0,
    messages_json   TEXT NOT NULL DEFAULT '[]',
    parsed_at       TEXT NOT NULL
);
"""


_V3 = """
-- The user's own note on any entry ("this is the night he parked outside"). Kept apart
-- from the entry itself, which is what the export said and is covered by the import's
-- fingerprint; a note can be edited without touching the evidence.
CREATE TABLE entry_notes (
    entry_id    INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Incidents: a category a judge can scan, and an end when the user only knows a range.
ALTER TABLE incidents ADD COLUMN category TEXT NOT NULL DEFAULT 'other';
ALTER TABLE incidents ADD COLUMN ends_ms INTEGER;
-- The detail pane shows a message among its neighbours in the same conversation.
CREATE INDEX entries_by_thread ON entries (thread_key, occurred_ms, id);
-- Orders: the day the restrained person was served (violations count from there).
ALTER TABLE orders ADD COLUMN served_on TEXT;
"""


_V4 = """
-- The user's transcript of a recording: their words, printed on the recording's page in
-- the binder (a judge may not play audio). Apart from the entry, like notes, so typing
-- it never touches what the import wrote.
CREATE TABLE entry_transcripts (
    entry_id    INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Areas of a picture the user marked to be painted over in the copy for the other side
-- (a street sign, their own number in a screenshot). Fractions of the upright picture,
-- so they hold at any size. The court's copy and the original are never changed.
CREATE TABLE picture_redactions (
    id          INTEGER PRIMARY KEY,
    original_id INTEGER NOT NULL REFERENCES originals(id) ON DELETE CASCADE,
    left_f      REAL NOT NULL CHECK (left_f >= 0 AND left_f < 1),
    top_f       REAL NOT NULL CHECK (top_f >= 0 AND top_f < 1),
    right_f     REAL NOT NULL CHECK (right_f > left_f AND right_f <= 1),
    bottom_f    REAL NOT NULL CHECK (bottom_f > top_f AND bottom_f <= 1),
    created_at  TEXT NOT NULL
);
CREATE INDEX picture_redactions_by_original ON picture_redactions (original_id);
"""


_V5 = """
-- The name the user gave a person, for each party key their numbers, addresses and
-- handles stand for: every view shows it instead of the name a phone export saved.
-- Derived from people and person_identifiers, rebuilt in the same transaction as any
-- change to them (nco_desktop.case.people.refresh_party_names); never evidence.
CREATE TABLE party_names (
    party_key   TEXT PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    name        TEXT NOT NULL
);
INSERT OR IGNORE INTO party_names (party_key, person_id, name)
SELECT CASE i.kind WHEN 'phone' THEN 'tel:' WHEN 'email' THEN 'mailto:' ELSE 'id:' END
       || i.normalized, p.id, p.name
FROM person_identifiers i JOIN people p ON p.id = i.person_id
WHERE i.kind IN ('phone', 'email', 'handle', 'other')
ORDER BY p.role <> 'restrained', p.id, i.id;
INSERT OR IGNORE INTO party_names (party_key, person_id, name)
SELECT 'id:@' || i.normalized, p.id, p.name
FROM person_identifiers i JOIN people p ON p.id = i.person_id
WHERE i.kind = 'handle'
ORDER BY p.role <> 'restrained', p.id, i.id;

-- A time the user set or corrected: the entry holds the new time (so every list sorts
-- by it); this row keeps the time as the import wrote it and the user's reason.
CREATE TABLE entry_time_corrections (
    entry_id            INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    was_occurred_ms     INTEGER,
    was_utc_offset_min  INTEGER,
    was_time_source     TEXT NOT NULL,
    was_time_precision  TEXT NOT NULL,
    reason              TEXT NOT NULL,
    corrected_at        TEXT NOT NULL
);

-- Entries the user put out of sight (imported by mistake). They stay in the vault,
-- with their original, until the user chooses to delete them for good.
CREATE TABLE hidden_entries (
    entry_id    INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    hidden_at   TEXT NOT NULL
);
"""


_V6 = """
-- Text the computer read in a picture, or in a PDF page with no text of its own (OCR):
-- derived data, rebuilt when deleted or when the reader changes (engine), never
-- evidence and never a file. A row per page read (0 for a picture): its words with
-- their boxes in the upright picture's pixels (width x height) and confidence, and
-- the lines as text for search. 'failed' rows say why and are not retried with the
-- same engine; 'none' marks a PDF page that has text of its own. pages: how many
-- pages the original has (1 for a picture), so the queue knows what is left of a PDF.
CREATE TABLE ocr_pages (
    original_id INTEGER NOT NULL REFERENCES originals(id) ON DELETE CASCADE,
    page        INTEGER NOT NULL CHECK (page >= 0),
    pages       INTEGER NOT NULL DEFAULT 1 CHECK (pages > page),
    engine      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'none')),
    width       INTEGER NOT NULL DEFAULT 0,
    height      INTEGER NOT NULL DEFAULT 0,
    text        TEXT NOT NULL DEFAULT '',
    words_json  TEXT NOT NULL DEFAULT '[]',
    message     TEXT,
    read_at     TEXT NOT NULL,
    PRIMARY KEY (original_id, page)
);

-- Who a picture is with, named by the user where the import found no one (a chat's
-- screenshot shows the contact in its header, which the computer may suggest). The
-- entry holds the name, so every list shows it; this row says it is the user's, and why.
CREATE TABLE entry_party_choices (
    entry_id    INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    chosen_at   TEXT NOT NULL
);
"""


_V7 = """
-- The vault's identity: a random id made once, copied into its backups, never shown.
-- The program remembers, outside the vault and per id, only the newest audit head it
-- has seen (a count and a hash), to notice a vault replaced by an older copy.
INSERT OR IGNORE INTO settings (key, value_json)
    VALUES ('vault_id', '"' || lower(hex(randomblob(16))) || '"');
"""

_V8 = """
-- A salvaged vault starts an audit log of its own; the rows of the damaged vault's log
-- that could still be read are kept here as they were (each row's hash still checks).
CREATE TABLE audit_log_before_salvage (
    seq             INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    action          TEXT NOT NULL,
    details_json    TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE TRIGGER audit_log_before_salvage_no_update BEFORE UPDATE ON audit_log_before_salvage
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_before_salvage_no_delete BEFORE DELETE ON audit_log_before_salvage
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""

_V9 = """
-- The English translation of an entry in another language (a text in Spanish): the
-- user's or a translator's words, printed after the exhibit's own pages with a
-- translator's declaration. Apart from the entry, like notes, so typing it never
-- touches what the import wrote. language: the original's ("Spanish"); translator: who
-- translated it ('' when the user did).
CREATE TABLE entry_translations (
    entry_id    INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    language    TEXT NOT NULL,
    text        TEXT NOT NULL,
    translator  TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Migration:
    """One schema step: the SQL that takes the vault from ``version - 1`` to ``version``."""

    version: int
    description: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _V1),
    Migration(2, "party keys, attachments, parse results", _V2),
    Migration(3, "entry notes, incident category and range, order service date", _V3),
    Migration(4, "recording transcripts, picture areas hidden from the service copy", _V4),
    Migration(5, "people's names on their entries, corrected times, hidden entries", _V5),
    Migration(6, "text read in pictures and scanned pages (OCR), who a picture is with", _V6),
    Migration(7, "the vault's identity", _V7),
    Migration(8, "the log of a salvaged vault's past", _V8),
    Migration(9, "English translations of entries in another language", _V9),
)

LATEST_VERSION = MIGRATIONS[-1].version


def split_statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole.

    ``executescript`` would commit the surrounding transaction, so statements are run
    one by one inside ours; ``sqlite3.complete_statement`` decides where each ends.
    """
    import sqlcipher3

    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlcipher3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError("migration SQL ends in an incomplete statement")
    return statements
