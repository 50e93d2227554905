"""Chunked, content-addressed storage: dedup, streaming, and nothing left behind on failure."""

import hashlib
import io
import json
import subprocess
import sys
import textwrap

import pytest

from nco_desktop.evidence.store import add_original
from nco_desktop.vault.blobs import BlobHashMismatch, hash_stored, open_blob, put_bytes, put_stream


def _counts(vault):
    return tuple(
        vault.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("blobs", "blob_chunks", "originals")
    )


def test_identical_bytes_are_stored_once(vault):
    data = b"x" * 700_000
    with vault.change() as change:
        first, created = add_original(
            change, io.BytesIO(data), name="a.png", media_type="image/png", import_source="file"
        )
        again, created_again = add_original(
            change,
            io.BytesIO(data),
            name="copy of a.png",
            media_type="image/png",
            import_source="file",
        )
    assert created and not created_again
    assert again.id == first.id and again.original_name == "a.png"
    assert _counts(vault) == (1, 3, 1)
    assert first.sha256 == hashlib.sha256(data).hexdigest()


def test_round_trip_through_reader(vault):
    data = bytes(range(256)) * 5000
    with vault.change() as change:
        blob = put_bytes(change.conn, data)
        change.audit("test.blob")
    with open_blob(vault.conn, blob.id) as reader:
        assert reader.read(10) == data[:10]
        assert reader.read() == data[10:]
    assert hash_stored(vault.conn, blob.id) == (hashlib.sha256(data).hexdigest(), len(data))


def test_empty_blob(vault):
    with vault.change() as change:
        blob = put_bytes(change.conn, b"")
        change.audit("test.blob")
    assert blob.size == 0
    assert hash_stored(vault.conn, blob.id) == (hashlib.sha256(b"").hexdigest(), 0)


def test_hash_mismatch_writes_nothing(vault):
    with pytest.raises(BlobHashMismatch), vault.change() as change:
        put_stream(change.conn, io.BytesIO(b"changed"), expected_sha256="0" * 64)
    assert _counts(vault) == (0, 0, 0)


def test_failure_in_the_middle_of_a_stream_leaves_nothing(vault):
    class Breaks(io.RawIOBase):
        def __init__(self):
            self.calls = 0

        def readable(self):
            return True

        def read(self, n=-1):
            self.calls += 1
            if self.calls > 3:
                raise OSError(5, "Input/output error")
            return b"y" * n

    with pytest.raises(OSError), vault.change() as change:
        put_stream(change.conn, Breaks())
    assert _counts(vault) == (0, 0, 0)


def test_change_without_audit_row_is_rolled_back(vault):
    from nco_desktop.vault.errors import AuditMissing

    with pytest.raises(AuditMissing), vault.change() as change:
        put_bytes(change.conn, b"unaudited")
    assert _counts(vault) == (0, 0, 0)


BIG_ROUND_TRIP = textwrap.dedent(
    """
    import hashlib, json, resource, sys
    from pathlib import Path
    from nco_desktop.vault import TEST_KDF, Vault
    from nco_desktop.vault.blobs import iter_chunks, put_stream

    SIZE = 300 * 1024 * 1024

    class Pattern:
        '''300 MB of distinct bytes made on the fly: never held whole, never on disk.'''
        def __init__(self):
            self.left = SIZE
            self.block = hashlib.sha256(b"seed").digest() * 2048  # 64 KiB
            self.n = 0
        def read(self, n=-1):
            n = self.left if n < 0 else min(n, self.left)
            out = bytearray()
            while len(out) < n:
                self.n += 1
                out += self.n.to_bytes(8, "little") + self.block[8:]
            out = bytes(out[:n])
            self.left -= n
            return out

    def rss_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    vault = Vault.create(Path(sys.argv[1]), "correct horse battery", kdf=TEST_KDF)
    baseline = rss_mb()
    source = Pattern()
    expected = hashlib.sha256()
    real_read = source.read
    def read(n=-1):
        data = real_read(n)
        expected.update(data)
        return data
    source.read = read
    with vault.change() as change:
        blob = put_stream(change.conn, source)
        change.audit("test.big")
    digest = hashlib.sha256()
    size = 0
    for chunk in iter_chunks(vault.conn, blob.id):
        digest.update(chunk)
        size += len(chunk)
    vault.close()
    print(json.dumps({
        "size": size, "stored": blob.sha256, "read": digest.hexdigest(),
        "expected": expected.hexdigest(), "baseline_mb": baseline, "peak_mb": rss_mb(),
    }))
    """
)


def test_300_mb_blob_round_trips_with_bounded_memory(tmp_path):
    """In a fresh process so the peak RSS belongs to this round trip alone."""
    result = subprocess.run(
        [sys.executable, "-c", BIG_ROUND_TRIP, str(tmp_path / "big.ncovault")],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    figures = json.loads(result.stdout)
    assert figures["size"] == 300 * 1024 * 1024
    assert figures["stored"] == figures["read"] == figures["expected"]
    growth = figures["peak_mb"] - figures["baseline_mb"]
    assert growth < 64, f"peak grew by {growth:.0f} MB while moving 300 MB"
