#!/bin/bash
# Core dumps are off in the programs that handle secrets: each sets
# RLIMIT_CORE to 0 first thing, so a crash never writes passwords or keys
# to disk, whatever `ulimit -c` the caller had.
#
#   test-core-limit.sh TWOFOLD_ADMIN [TWOFOLD]     (prints TAP)
#
# With TWOFOLD given, the GUI is checked too; it needs a display, so run it
# under tests/tf-test-session --display.
set -uo pipefail

admin=$(readlink -f "$1")
gui=${2:+$(readlink -f "$2")}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twofold-core-limit.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; [ -n "${2:-}" ] && sed 's/^/#   /' <<<"$2"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# Inherited from here: a limit the programs must lower themselves.
ulimit -c unlimited 2>/dev/null || ulimit -c "$(ulimit -H -c)"

core_limit() { awk '/^Max core file size/ { print $5 " " $6 }' "/proc/$1/limits" 2>/dev/null; }

store=$tmp/store/twofold.db
key=$tmp/key
if ! out=$("$admin" --store "$store" --key-file "$key" init 2>&1); then
    echo "Bail out! twofold-admin init failed: $out"
    exit 1
fi

# A verify waiting for its password on a FIFO that stays open.
mkfifo "$tmp/stdin"
exec 3<>"$tmp/stdin"
mkdir "$tmp/admin-cwd" "$tmp/control-cwd"
(cd "$tmp/admin-cwd" && exec "$admin" --store "$store" --key-file "$key" verify ada <"$tmp/stdin" >/dev/null 2>"$tmp/verify.err") &
pid=$!
pids+=("$pid")
# Once it holds the store open it is past main ()'s first lines and waiting.
for _ in $(seq 1 200); do
    ls -l "/proc/$pid/fd" 2>/dev/null | grep -q -- "$store" && break
    sleep 0.05
done
limit=$(core_limit "$pid")
if [ "$limit" = "0 0" ]; then
    ok "twofold-admin runs with core dumps off (Max core file size 0 0)"
else
    not_ok "twofold-admin runs with core dumps off" "limits: ${limit:-process gone}"
fi

# And the kernel writes none when it crashes; a control process shows that
# this machine would otherwise write one in the same folder.
pattern=$(cat /proc/sys/kernel/core_pattern)
if [[ "$pattern" == \|* ]]; then
    skip "a crashing twofold-admin leaves no core file" "core_pattern pipes to a handler ($pattern)"
else
    (cd "$tmp/control-cwd" && exec sleep 60) &
    control=$!
    pids+=("$control")
    sleep 0.2
    kill -SEGV "$control" "$pid"
    wait "$control" 2>/dev/null
    wait "$pid" 2>/dev/null
    status=$?
    sleep 0.5
    if ! compgen -G "$tmp/control-cwd/core*" >/dev/null; then
        skip "a crashing twofold-admin leaves no core file" \
             "the control process left none either (core_pattern $pattern)"
    elif compgen -G "$tmp/admin-cwd/core*" >/dev/null; then
        not_ok "a crashing twofold-admin leaves no core file" "$(ls -l "$tmp/admin-cwd")"
    elif [ "$status" -lt 128 ]; then
        not_ok "a crashing twofold-admin leaves no core file" "it did not die of the signal: exit $status"
    else
        ok "a crashing twofold-admin leaves no core file (the control process left one)"
    fi
fi
exec 3>&-

if [ -z "$gui" ]; then
    skip "twofold (GUI) runs with core dumps off" "no GUI program given"
elif [ -z "${DISPLAY:-}" ]; then
    skip "twofold (GUI) runs with core dumps off" "no display (run under tf-test-session --display)"
else
    (cd "$tmp" && exec "$gui" >"$tmp/gui.log" 2>&1) &
    gpid=$!
    pids+=("$gpid")
    limit=""
    # The limit is set first thing in main (); give the program time to get there.
    for _ in $(seq 1 100); do
        limit=$(core_limit "$gpid")
        [ "$limit" = "0 0" ] && break
        [ -z "$limit" ] && break
        sleep 0.1
    done
    if [ "$limit" = "0 0" ]; then
        ok "twofold (GUI) runs with core dumps off (Max core file size 0 0)"
    else
        not_ok "twofold (GUI) runs with core dumps off" \
               "limits after 10 s: ${limit:-process gone}; src/app/main.c must call setrlimit (RLIMIT_CORE, {0, 0}) like src/admin/main.c
$(tail -5 "$tmp/gui.log")"
    fi
    kill -TERM "$gpid" 2>/dev/null
    wait "$gpid" 2>/dev/null
fi

echo "1..$n"
exit $failed
