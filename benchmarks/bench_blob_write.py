"""Writing originals into the vault, beside hashing the same bytes.

Goal (issue 2): ≥ 120 MB/s on this machine class. Prints MB/s for several page and
chunk sizes, each as a ratio to SHA-256 over the same bytes measured in this process.
Run: .venv/bin/python benchmarks/bench_blob_write.py [--mb 400]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import peak_rss_mb, scratch
from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import KdfParams, Vault
from nco_desktop.vault.blobs import put_stream

FAST_KDF = KdfParams(log2_memory_kib=10, time_cost=1, parallelism=1)
FILE_MB = 50


class Synthetic:
    """Incompressible-looking bytes made on the fly, distinct per file."""

    def __init__(self, size: int, seed: int) -> None:
        self.left = size
        self.block = hashlib.sha512(seed.to_bytes(8, "little")).digest() * 16384  # 1 MiB
        self.counter = seed << 32

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        parts = []
        while n > 0:
            take = min(n, len(self.block))
            self.counter += 1
            parts.append(self.counter.to_bytes(8, "little") + self.block[8:take])
            n -= take
        return b"".join(parts)


def hash_rate(total: int) -> float:
    digest = hashlib.sha256()
    source = Synthetic(total, 1)
    start = time.perf_counter()
    while chunk := source.read(1 << 20):
        digest.update(chunk)
    return total / (time.perf_counter() - start) / 1e6


def write_rate(folder: Path, log2_page: int, chunk: int, total: int) -> float:
    params = KdfParams(FAST_KDF.log2_memory_kib, 1, 1, log2_page_size=log2_page)
    path = folder / f"p{log2_page}-c{chunk}.ncovault"
    vault = Vault.create(path, "benchmark passphrase", kdf=params)
    start = time.perf_counter()
    for index in range(total // (FILE_MB << 20)):
        with vault.change() as change:  # one transaction per file, as the importer does
            put_stream(change.conn, Synthetic(FILE_MB << 20, index + 10), chunk_size=chunk)
            change.audit("bench.file")
    vault.close()  # includes the final checkpoint
    elapsed = time.perf_counter() - start
    for leftover in folder.glob(path.name + "*"):
        leftover.unlink()
    return total / elapsed / 1e6


def import_rate(folder: Path, total: int) -> float:
    """The real importer on real files (hash pass + write pass), default settings."""
    source = folder / "files"
    source.mkdir()
    for index in range(total // (FILE_MB << 20)):
        data = Synthetic(FILE_MB << 20, index + 1000).read()
        (source / f"video{index}.bin").write_bytes(data)
    vault = Vault.create(folder / "import.ncovault", "benchmark passphrase", kdf=FAST_KDF)
    start = time.perf_counter()
    summary = import_paths(vault, [source])
    vault.close()
    elapsed = time.perf_counter() - start
    assert summary.all_ok
    return total / elapsed / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=400, help="megabytes per configuration")
    total = parser.parse_args().mb << 20
    with scratch() as folder:
        sha = hash_rate(total)
        print(f"SHA-256 of the same bytes (reference): {sha:7.0f} MB/s")
        for log2_page, chunk in ((12, 1 << 20), (14, 256 << 10), (14, 1 << 20), (16, 1 << 20)):
            rate = write_rate(folder, log2_page, chunk, total)
            print(
                f"vault write, {1 << log2_page >> 10:2d} KiB pages, {chunk >> 10:4d} KiB chunks: "
                f"{rate:5.0f} MB/s ({rate / sha:4.2f}× SHA-256)"
            )
        rate = import_rate(folder, total)
        print(
            f"import_paths on files (defaults, hash + write): {rate:5.0f} MB/s "
            f"({rate / sha:4.2f}× SHA-256; goal ≥ 120 MB/s)"
        )
        print(f"peak RSS: {peak_rss_mb():.0f} MB (files are {FILE_MB} MB each)")


if __name__ == "__main__":
    main()
