#!/bin/sh
# Render the two app icons (resources/icons/app*.svg) into the hicolor sizes desktops ask
# for, under packaging/linux/icons/{named,neutral}/hicolor/. Run after editing an SVG;
# the PNGs are kept in the repository so a build needs no SVG renderer.
# Needs rsvg-convert (Debian: librsvg2-bin), which works offline.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
icons="$here/../../resources/icons"
id="org.ncodesktop.NcoDesktop"
command -v rsvg-convert >/dev/null || { echo "rsvg-convert missing: apt-get install librsvg2-bin" >&2; exit 1; }
for variant in named neutral; do
    svg="$icons/app.svg"
    [ "$variant" = neutral ] && svg="$icons/app-neutral.svg"
    root="$here/icons/$variant/hicolor"
    rm -rf "$root"
    mkdir -p "$root/scalable/apps"
    cp "$svg" "$root/scalable/apps/$id.svg"
    for size in 16 24 32 48 64 128 256 512; do
        mkdir -p "$root/${size}x${size}/apps"
        rsvg-convert --width "$size" --height "$size" --format png \
            --output "$root/${size}x${size}/apps/$id.png" "$svg"
    done
done
echo "rendered into $here/icons"
