#!/bin/bash
# Both programs, started where the org.twofold.Twofold schema cannot be
# found, must print a clear one-line error and exit non-zero — never abort.
set -u
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
status=0
for prog in "$@"; do
    out=$(env GSETTINGS_SCHEMA_DIR="$empty" XDG_DATA_DIRS="$empty" G_DEBUG= \
          DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent DISPLAY= "$prog" $( [ "$(basename "$prog")" = twofold-admin ] && echo list ) 2>&1 </dev/null)
    rc=$?
    name=$(basename "$prog")
    if [ $rc -eq 0 ] || [ $rc -ge 128 ]; then
        echo "$name: expected a clean failure, got exit $rc" >&2; status=1
    fi
    if ! grep -q 'org.twofold.Twofold' <<<"$out"; then
        echo "$name: the error does not name the schema: $out" >&2; status=1
    fi
    echo "$name: exit $rc: $out"
done
exit $status
