"""Suite-wide setup: offscreen Qt, no network, and no writes to the real home folder.

Sockets are disabled for the whole run by pytest-socket (see pyproject addopts).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
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


class TemplateVaults:
    """Vaults that take seconds to make, made once per test run and copied per test.

    A vault file is closed (its WAL folded in) before it is copied, so each copy is
    a whole, independent vault that opens with the same passphrase.
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._made: dict[str, Path] = {}

    def copy(self, name: str, dest: Path) -> Path:
        template = self._made.get(name) or self._make(name)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, dest)
        return dest

    def _make(self, name: str) -> Path:
        path = self._folder / f"{name}.ncovault"
        makers: dict[str, Callable[[Path], None]] = {
            "demo": _make_demo,
            "hundred_thousand": _make_hundred_thousand,
        }
        makers[name](path)
        self._made[name] = path
        return path


def _make_demo(path: Path) -> None:
    from nco_desktop.demo.case import create_demo_vault

    create_demo_vault(path, kdf=TEST_KDF).close()


def _make_hundred_thousand(path: Path) -> None:
    from tests.support.factories import seed_large_timeline

    with Vault.create(
        path, PASSPHRASE, time_zone="America/Chicago", case_title="Doe v. Roe", kdf=TEST_KDF
    ) as vault:
        seed_large_timeline(vault)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> TemplateVaults:
    return TemplateVaults(tmp_path_factory.mktemp("templates"))


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
