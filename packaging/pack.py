"""Pack the one-folder bundle as a .tar.gz (always) and a .deb (when dpkg-deb exists).

Called by ``packaging/build_bundle.sh`` after PyInstaller. Both archives are made to be
reproducible: names in sorted order, owner root:root (0:0), every timestamp set to
``SOURCE_DATE_EPOCH``, modes reduced to 0755/0644, and gzip without a name or time
(``gzip -n``). What PyInstaller itself writes may still differ between builds; the
build script's report says what did.

The neutral presence (``--neutral``) changes what a person looking at the computer can
see: the menu entry says "Notes" with a notepad icon, the start script and the folder
are called "notes", and no AppStream file (which describes the program in software
centres) is installed.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import stat
import subprocess
import tarfile
from pathlib import Path

APP_ID = "org.ncodesktop.NcoDesktop"
HERE = Path(__file__).resolve().parent
LINUX = HERE / "linux"
#: A placeholder (.invalid is reserved): set NCO_MAINTAINER to the real name and address.
MAINTAINER = "NCO Desktop developers <packaging@ncodesktop.invalid>"
SYSTEM_DEPENDS = (
    # What the bundle does not carry (PyInstaller leaves out the C library, OpenGL/EGL
    # and the Wayland/xcb client libraries, which must match the machine's own).
    "libc6 (>= 2.36), libegl1, libgl1, libxcb1, "
    "libwayland-client0, libwayland-cursor0, libwayland-egl1"
)


def normalise(root: Path, epoch: int) -> None:
    """Modes 0755 (folders, executables) or 0644, and every mtime set to *epoch*."""
    paths = sorted(root.rglob("*"), reverse=True)  # children before their folder
    for path in [*paths, root]:
        if path.is_symlink():
            os.utime(path, (epoch, epoch), follow_symlinks=False)
            continue
        mode = path.stat().st_mode
        executable = stat.S_ISDIR(mode) or mode & stat.S_IXUSR
        path.chmod(0o755 if executable else 0o644)
        os.utime(path, (epoch, epoch))


def stage_share(share: Path, neutral: bool) -> None:
    """Desktop entry, icons and (named build only) metainfo under *share*."""
    variant = "neutral" if neutral else "named"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    entry = LINUX / (f"{APP_ID}.neutral.desktop" if neutral else f"{APP_ID}.desktop")
    shutil.copyfile(entry, share / "applications" / f"{APP_ID}.desktop")
    shutil.copytree(LINUX / "icons" / variant / "hicolor", share / "icons" / "hicolor")
    if not neutral:
        (share / "metainfo").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(
            LINUX / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml"
        )


def write_tar_gz(source: Path, out: Path, epoch: int) -> None:
    """*source* (a folder) as *out*, its name the archive's top folder, byte-for-byte stable."""

    def add(tar: tarfile.TarFile, path: Path) -> None:
        info = tar.gettarinfo(str(path), arcname=str(path.relative_to(source.parent)))
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        info.mtime = epoch
        if info.isfile():
            with path.open("rb") as handle:
                tar.addfile(info, handle)
        else:
            tar.addfile(info)
        if path.is_dir() and not path.is_symlink():
            for child in sorted(path.iterdir(), key=lambda p: p.name):
                add(tar, child)

    with (
        out.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar,
    ):
        add(tar, source)


def build_tar(
    bundle: Path, dist: Path, work: Path, version: str, neutral: bool, epoch: int
) -> Path:
    """The portable archive: ``app/`` (the bundle), a start script, ``share/``, a README."""
    name = "notes" if neutral else "nco-desktop"
    stage = work / "tar" / f"{name}-{version}"
    shutil.rmtree(stage.parent, ignore_errors=True)
    stage.mkdir(parents=True)
    shutil.copytree(bundle, stage / "app", symlinks=True)
    start = stage / f"start-{name}"
    for source, dest in (
        (LINUX / "start-nco-desktop.sh", start),
        (LINUX / "README-portable.txt", stage / "README.txt"),
    ):
        text = source.read_text(encoding="utf-8")
        if neutral:  # the neutral build's own file names only
            text = text.replace('"start-nco-desktop" (or "start-notes")', '"start-notes"')
            text = text.replace("start-nco-desktop", "start-notes")
        dest.write_text(text, encoding="utf-8")
    start.chmod(0o755)
    stage_share(stage / "share", neutral)
    normalise(stage, epoch)
    out = dist / f"{name}-{version}-linux-x86_64.tar.gz"
    write_tar_gz(stage, out, epoch)
    return out


def build_deb(
    bundle: Path, dist: Path, work: Path, version: str, neutral: bool, epoch: int
) -> Path | None:
    """/opt/nco-desktop, /usr/bin/nco-desktop, desktop entry, icons, metainfo; or None."""
    dpkg_deb = shutil.which("dpkg-deb")
    if dpkg_deb is None:
        return None
    root = work / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / "nco-desktop", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "nco-desktop").symlink_to("/opt/nco-desktop/nco-desktop")
    stage_share(root / "usr" / "share", neutral)
    doc = root / "usr" / "share" / "doc" / "nco-desktop"
    doc.mkdir(parents=True)
    shutil.copyfile(LINUX / "copyright", doc / "copyright")
    installed_kb = sum(
        (p.lstat().st_size + 1023) // 1024 for p in root.rglob("*") if not p.is_dir()
    )
    summary = "Notes" if neutral else "Keep harassment evidence safe and print it for court"
    body = (
        " Notes."
        if neutral
        else " Keeps screenshots, messages, call logs, e-mails, recordings and your own\n"
        " notes in one encrypted vault, offline, and prints an exhibit binder for a\n"
        " no-contact or protection-order hearing."
    )
    control = root / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        "Package: nco-desktop\n"
        f"Version: {version}\n"
        "Architecture: amd64\n"
        f"Maintainer: {os.environ.get('NCO_MAINTAINER', MAINTAINER)}\n"
        f"Installed-Size: {installed_kb}\n"
        f"Depends: {SYSTEM_DEPENDS}\n"
        "Section: utils\n"
        "Priority: optional\n"
        f"Description: {summary}\n"
        f"{body}\n",
        encoding="utf-8",
    )
    normalise(root, epoch)
    out = dist / f"nco-desktop{'-neutral' if neutral else ''}_{version}_amd64.deb"
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    subprocess.run(  # noqa: S603 (dpkg-deb found on PATH, fixed arguments)
        [dpkg_deb, "--root-owner-group", "-Zxz", "-z6", "--build", str(root), str(out)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, required=True, help="PyInstaller's one folder")
    parser.add_argument("--dist", type=Path, required=True, help="where the archives go")
    parser.add_argument("--work", type=Path, required=True, help="a scratch folder")
    parser.add_argument("--version", required=True)
    parser.add_argument("--neutral", action="store_true")
    parser.add_argument("--no-deb", action="store_true")
    args = parser.parse_args()
    epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    args.dist.mkdir(parents=True, exist_ok=True)
    made = [build_tar(args.bundle, args.dist, args.work, args.version, args.neutral, epoch)]
    if not args.no_deb:
        deb = build_deb(args.bundle, args.dist, args.work, args.version, args.neutral, epoch)
        if deb is None:
            print("dpkg-deb not found: no .deb made")
        else:
            made.append(deb)
    for path in made:
        print(f"{path}  {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
