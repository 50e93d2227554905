"""Run the ordered schema steps of :mod:`nco_desktop.vault.schema`."""

from __future__ import annotations

from nco_desktop.vault import audit
from nco_desktop.vault.connection import Connection
from nco_desktop.vault.errors import VaultTooNew
from nco_desktop.vault.schema import LATEST_VERSION, MIGRATIONS, split_statements


def schema_version(conn: Connection) -> int:
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    return int(version)


def pending_steps(conn: Connection, target: int | None = None) -> list[int]:
    target = LATEST_VERSION if target is None else target
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise VaultTooNew(
            f"This vault was saved by a newer version of NCO Desktop (schema {current}; this "
            f"version understands up to {LATEST_VERSION}). Install the newer version to open it."
        )
    return [m.version for m in MIGRATIONS if current < m.version <= target]


def migrate(conn: Connection, now_iso: str, target: int | None = None) -> list[int]:
    """Apply each pending step in its own transaction, audited; return the versions run."""
    target = LATEST_VERSION if target is None else target
    done: list[int] = []
    for step in MIGRATIONS:
        if step.version not in pending_steps(conn, target):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in split_statements(step.sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step.version:d}")
            audit.append(
                conn,
                now_iso,
                "vault.schema_migrated",
                {"to_version": step.version, "step": step.description},
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        done.append(step.version)
    return done
