#!/bin/sh
# Build the Linux bundle: `make bundle` runs this.
#
#   1. a build venv of its own (build/bundle/venv; never the developer's .venv) with
#      PyInstaller and the program installed as a normal package (from a copy of the
#      checkout's tracked and new files, so nothing stale in build/ gets in);
#   2. PyInstaller: a one-folder bundle in build/bundle/dist/nco-desktop;
#   3. dist/nco-desktop-<version>-linux-x86_64.tar.gz and, where dpkg-deb exists,
#      dist/nco-desktop_<version>_amd64.deb (packaging/pack.py).
#
# Environment:
#   NEUTRAL=1            the neutral presence ("Notes", a notepad icon, resources/presence)
#   SOURCE_DATE_EPOCH    every timestamp in the archives (default: the last commit's time)
#   PYTHON               the interpreter for the build venv (default: scripts/find-python)
#   NCO_BUNDLE_NO_DEB=1  skip the .deb
#   NCO_MAINTAINER       the .deb's Maintainer field
# Needs: Python 3.12 with its shared library (PyInstaller), binutils (strip), and the
# Debian packages tesseract-ocr-eng tesseract-ocr-spa (bundled language data),
# libseccomp2 (bundled), dpkg (dpkg-deb) and the xcb libraries listed in .ci/run.
set -eu
cd "$(dirname "$0")/.."
root="$(pwd -P)"
work="$root/build/bundle"
venv="$work/venv"
started=$(date +%s)

SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --pretty=%ct 2>/dev/null || echo 0)}"
export SOURCE_DATE_EPOCH
export PYTHONHASHSEED=0 LC_ALL=C.UTF-8 TZ=UTC
umask 022
neutral=""
case "${NEUTRAL:-}" in "" | 0) ;; *) neutral="--neutral" ;; esac

# 1. The build venv; its requirements are refreshed when pyproject.toml or this file change.
stamp_want="$(cat pyproject.toml packaging/build_bundle.sh | sha256sum | cut -c1-16)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.stamp" 2>/dev/null)" != "$stamp_want" ]; then
    rm -rf "$venv"
    "${PYTHON:-$(scripts/find-python)}" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet "pyinstaller>=6.10,<7"
    fresh=1
else
    fresh=0
fi
src="$work/src"
rm -rf "$src"
mkdir -p "$src"
git ls-files -co --exclude-standard -- nco_desktop pyproject.toml README.md |
    tar -cf - -T - | tar -xf - -C "$src"
if [ "$fresh" = 1 ]; then
    "$venv/bin/python" -m pip install --quiet "$src"
    echo "$stamp_want" >"$venv/.stamp"
else
    "$venv/bin/python" -m pip install --quiet --no-deps --force-reinstall "$src"
fi
version="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("nco-desktop"))')"

# 2. PyInstaller, from a clean work folder every time.
rm -rf "$work/pyinstaller" "$work/dist"
NCO_SOURCE_ROOT="$root" NEUTRAL="${NEUTRAL:-}" "$venv/bin/pyinstaller" --noconfirm --clean \
    --log-level WARN --distpath "$work/dist" --workpath "$work/pyinstaller" \
    packaging/pyinstaller/nco_desktop.spec
bundle="$work/dist/nco-desktop"
built=$(date +%s)

# 3. The archives.
mkdir -p dist
"$venv/bin/python" packaging/pack.py --bundle "$bundle" --dist dist --work "$work" \
    --version "$version" $neutral ${NCO_BUNDLE_NO_DEB:+--no-deb}

echo "bundle: $bundle ($(du -sh "$bundle" | cut -f1)); PyInstaller $((built - started)) s, packing $(($(date +%s) - built)) s"
echo "smoke test: NCO_BUNDLE=$bundle .venv/bin/python -m pytest -m bundle tests/bundle"
