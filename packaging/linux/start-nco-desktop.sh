#!/bin/sh
# Start the program from this folder; nothing needs to be installed.
#
#   ./start-nco-desktop                      open the window
#   ./start-nco-desktop --add-to-menu        add it to your desktop's menu (for you only)
#   ./start-nco-desktop --remove-from-menu   take it out of the menu again
#   ./start-nco-desktop --help               the command line (import, binder, …)
#
# In the "notes" build this script is called start-notes and the menu entry says Notes.
set -eu
here="$(cd "$(dirname "$0")" && pwd -P)"
id="org.ncodesktop.NcoDesktop"
data="${XDG_DATA_HOME:-$HOME/.local/share}"

case "${1:-}" in
--add-to-menu)
    mkdir -p "$data/applications"
    # The program's full path, quoted as desktop entries want it.
    exe=$(printf '%s' "$here/app/nco-desktop" | sed 's/[\\"`$]/\\\\&/g')
    sed "s|^Exec=.*|Exec=\"$exe\"|" "$here/share/applications/$id.desktop" \
        >"$data/applications/$id.desktop"
    for dir in "$here"/share/icons/hicolor/*/apps; do
        size=$(basename "$(dirname "$dir")")
        mkdir -p "$data/icons/hicolor/$size/apps"
        cp "$dir"/* "$data/icons/hicolor/$size/apps/"
    done
    echo "Added to the menu. It may take a moment to appear."
    ;;
--remove-from-menu)
    rm -f "$data/applications/$id.desktop" "$data"/icons/hicolor/*/apps/"$id".png \
        "$data"/icons/hicolor/*/apps/"$id".svg
    echo "Taken out of the menu."
    ;;
*)
    exec "$here/app/nco-desktop" "$@"
    ;;
esac
