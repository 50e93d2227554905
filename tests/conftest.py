"""Suite-wide setup: offscreen Qt, no network, and no writes to the real home folder.

Sockets are disabled for the whole run by pytest-socket (see pyproject addopts).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything can load Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("NCO_PASSPHRASE", None)

from nco_desktop.vault import TEST_KDF, Vault

PASSPHRASE = "correct horse battery staple"
# ../shared/samples beside the repository (see its README); NCO_SAMPLES points elsewhere.
SAMPLES = Path(
    os.environ.get("NCO_SAMPLES")
    or Path(__file__).resolve().parents[1].parent / "shared" / "samples"
)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point HOME and every XDG folder at a throwaway place so nothing touches the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("NCO_PASSPHRASE", raising=False)
    return home


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "case.ncovault"


@pytest.fixture
def vault(vault_path: Path) -> Iterator[Vault]:
    """A fresh vault with the fast test KDF (the file records it, so open() uses it too)."""
    with Vault.create(
        vault_path, PASSPHRASE, time_zone="America/Chicago", case_title="Doe v. Roe", kdf=TEST_KDF
    ) as v:
        yield v


def write_file(path: Path, data: bytes | str, mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path
