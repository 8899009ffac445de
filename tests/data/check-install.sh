#!/bin/bash
# `meson install` puts everything where a desktop finds it: both programs,
# the desktop file, AppStream metainfo, GSettings schema, icons and man
# pages, all under the prefix; and the installed programs run.
set -u
build=$(realpath "${1:?usage: check-install.sh BUILD_ROOT [MESON]}") || exit 1
meson=${2:-meson}
app_id=org.twofold.Twofold
status=0

fail () {
    echo "$*" >&2
    status=1
}

dest=$(mktemp -d) || exit 1
trap 'rm -rf "$dest"' EXIT

# The directories this build installs to, from meson itself.
dirs=$("$meson" introspect --buildoptions "$build" | /usr/bin/python3 -c '
import json, os.path, shlex, sys
options = {o["name"]: o["value"] for o in json.load(sys.stdin)}
for name in ("prefix", "bindir", "datadir", "mandir"):
    print(name + "=" + shlex.quote(os.path.join(options["prefix"], options[name])))
') || { echo "meson introspect --buildoptions $build failed" >&2; exit 1; }
eval "$dirs"

# --no-rebuild: meson test has built everything, and a ninja run here would
# race the other tests.
if ! "$meson" install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$dest.log" 2>&1; then
    cat "$dest.log" >&2
    rm -f "$dest.log"
    echo "meson install failed" >&2
    exit 1
fi
rm -f "$dest.log"

expected=(
    "$bindir/twofold"
    "$bindir/twofold-admin"
    "$datadir/applications/$app_id.desktop"
    "$datadir/metainfo/$app_id.metainfo.xml"
    "$datadir/glib-2.0/schemas/$app_id.gschema.xml"
    "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
    "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
    "$mandir/man1/twofold.1"
    "$mandir/man1/twofold-admin.1"
)
for file in "${expected[@]}"; do
    [ -f "$dest$file" ] || fail "not installed: $file"
done
for program in twofold twofold-admin; do
    [ -x "$dest$bindir/$program" ] || fail "not executable: $bindir/$program"
done

# Nothing outside the prefix, and every installed program has its man page.
outside=$(cd "$dest" && find . -type f ! -path ".$prefix/*")
[ -z "$outside" ] || fail "installed outside $prefix: $outside"
for program in "$dest$bindir"/*; do
    name=$(basename "$program")
    [ -f "$dest$mandir/man1/$name.1" ] || fail "$bindir/$name has no man page in $mandir/man1"
done

# The installed files agree with each other.
desktop="$dest$datadir/applications/$app_id.desktop"
metainfo="$dest$datadir/metainfo/$app_id.metainfo.xml"
if [ -f "$desktop" ] && [ -f "$metainfo" ]; then
    grep -qx "Icon=$app_id" "$desktop" || fail "the desktop file's Icon= is not $app_id"
    exec_name=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
    [ -x "$dest$bindir/$exec_name" ] || fail "Exec=$exec_name is not an installed program"
    grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" ||
        fail "the metainfo's launchable is not $app_id.desktop"
    for binary in $(sed -n 's|.*<binary>\(.*\)</binary>.*|\1|p' "$metainfo"); do
        [ -x "$dest$bindir/$binary" ] || fail "the metainfo provides $binary, which is not installed"
    done
fi

# The installed schema compiles, and the installed programs run with it
# (nothing from the build tree: the libraries are static).
schemas="$dest$datadir/glib-2.0/schemas"
if glib-compile-schemas --strict "$schemas"; then
    for program in twofold twofold-admin; do
        out=$(GSETTINGS_SCHEMA_DIR=$schemas "$dest$bindir/$program" --help 2>&1) ||
            fail "installed $program --help failed: $out"
    done
    grep -q 'doctor' <<<"$out" || fail "installed twofold-admin --help lists no commands"
else
    fail "the installed schema does not compile"
fi

[ $status = 0 ] && echo "meson install: ${#expected[@]} files in place under $prefix"
exit $status
