#!/bin/bash
# src/core must stay free of GTK and libadwaita: no header of theirs included,
# and no GTK or Adw symbol referenced. Fails naming every offending line.
set -u
dir=${1:?usage: check-no-gtk.sh SRC_CORE_DIR}
hits=$(grep -nE '#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|gsk/|adwaita|gtk\.h|gdk\.h)|\b(gtk|gdk|adw)_[a-z_]+[[:space:]]*\(|\b(Gtk|Gdk|Adw)[A-Z][A-Za-z]+\b' \
        "$dir"/*.c "$dir"/*.h)
if [ -n "$hits" ]; then
    echo "src/core must not use GTK or libadwaita:" >&2
    echo "$hits" >&2
    exit 1
fi
count=$(ls "$dir"/*.c "$dir"/*.h | wc -l)
echo "checked $count files in $dir: no GTK"
