#!/bin/bash
# Kiosk mode in a real compositor: headless weston (desktop shell, so a
# window that is not full screen would show its panel and background), the
# real `twofold --kiosk` over a store made by twofold-admin, with settings
# from GSettings' keyfile backend. A screenshot proves the window fills the
# output and has no window controls, with the form clamped in the middle.
# The screenshot is kept (OUTPUT.png). Prints TAP.
#
#   test-kiosk.sh PATH/TO/twofold PATH/TO/twofold-admin OUTPUT.png
set -u
app=$(readlink -f "$1")
admin=$(readlink -f "$2")
out=$(readlink -m "$3")
width=1920
height=1080
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3 (got $1, expected $2)"; fi; }

for tool in weston weston-screenshooter convert identify; do
    command -v $tool >/dev/null || { echo "Bail out! $tool is not installed"; exit 1; }
done

tmp=$(mktemp -d)
weston_pid=
app_pid=
cleanup() {
    for pid in $app_pid $weston_pid; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/runtime" "$tmp/config/glib-2.0/settings" "$tmp/data" "$tmp/shots" "$tmp/var"
chmod 0700 "$tmp/runtime" "$tmp/var"
export XDG_RUNTIME_DIR="$tmp/runtime" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
socket="twofold-kiosk-$$"

# --debug exposes the screenshooter protocol.
weston --backend=headless-backend.so --use-pixman --shell=desktop-shell.so \
    --socket="$socket" --no-config --debug --width=$width --height=$height \
    >"$tmp/weston.log" 2>&1 &
weston_pid=$!
for _ in $(seq 100); do
    [ -S "$XDG_RUNTIME_DIR/$socket" ] && break
    sleep 0.1
done
if [ ! -S "$XDG_RUNTIME_DIR/$socket" ]; then
    echo "Bail out! weston did not start:"
    sed 's/^/# /' "$tmp/weston.log"
    exit 1
fi
ok "headless weston runs on $socket"

# System mode, as README's Kiosk section sets it up.
store="$tmp/var/twofold.db"
key="$tmp/var/key"
GSETTINGS_BACKEND=memory "$admin" --store "$store" --key-file "$key" init >/dev/null
check $? 0 "twofold-admin init made the store and key file"

# kiosk itself stays false here: --kiosk is what turns it on.
cat >"$XDG_CONFIG_HOME/glib-2.0/settings/keyfile" <<KEYFILE
[org/twofold/Twofold]
store-path='$store'
key-file='$key'
allow-registration=false
idle-timeout=uint32 120
KEYFILE

GSETTINGS_BACKEND=keyfile GDK_BACKEND=wayland WAYLAND_DISPLAY="$socket" \
    "$app" --kiosk >"$tmp/app.log" 2>&1 &
app_pid=$!

pixel() { convert "$1" -format "%[hex:p{$2,$3}]" info:; }
deviation() { convert "$1" -crop "$2" +repage -format '%[fx:standard_deviation]' info:; }
shoot() {
    rm -f "$tmp"/shots/*.png
    (cd "$tmp/shots" && WAYLAND_DISPLAY="$socket" weston-screenshooter >/dev/null 2>&1)
    ls "$tmp"/shots/*.png 2>/dev/null | head -n 1
}
# Ready when the four corners are one colour and the middle holds something.
ready() {
    local shot=$1 c
    c=$(pixel "$shot" 0 0)
    [ "$(pixel "$shot" $((width - 1)) 0)" = "$c" ] &&
        [ "$(pixel "$shot" 0 $((height - 1)))" = "$c" ] &&
        [ "$(pixel "$shot" $((width - 1)) $((height - 1)))" = "$c" ] &&
        [ "$(deviation "$shot" 400x400+760+340)" != 0 ]
}

shot=
for _ in $(seq 60); do
    kill -0 $app_pid 2>/dev/null || break
    shot=$(shoot)
    [ -n "$shot" ] && ready "$shot" && break
    sleep 0.5
done
# Let the page's crossfade settle before the picture that counts.
sleep 1
shot=$(shoot)
if [ -z "$shot" ]; then
    echo "Bail out! weston-screenshooter saved nothing"
    sed 's/^/# /' "$tmp/weston.log" "$tmp/app.log"
    exit 1
fi
mkdir -p "$(dirname "$out")"
cp "$shot" "$out"
echo "# screenshot: $out"

kill -0 $app_pid 2>/dev/null
check $? 0 "twofold --kiosk is running"

check "$(identify -format '%w×%h' "$out")" "${width}×${height}" "the screenshot is the whole output"

# Window background, from the bottom middle (below the clamped form).
background=$(pixel "$out" $((width / 2)) $((height - 2)))
for corner in "0 0" "$((width - 1)) 0" "0 $((height - 1))" "$((width - 1)) $((height - 1))"; do
    # shellcheck disable=SC2086
    check "$(pixel "$out" $corner)" "$background" "corner ($corner) is the window's background, not the desktop's"
done

# A header bar's window controls and menu sit in its ends.
check "$(deviation "$out" 300x80+$((width - 300))+0)" 0 "no window controls or menu top right"
check "$(deviation "$out" 300x80+0+0)" 0 "nothing top left"

# The form is clamped in the middle of a wide screen: empty bands either side.
check "$(deviation "$out" 500x${height}+0+0)" 0 "the left of the screen is empty"
check "$(deviation "$out" 500x${height}+$((width - 500))+0)" 0 "the right of the screen is empty"
middle=$(deviation "$out" 600x600+$((width / 2 - 300))+$((height / 2 - 300)))
if [ "$middle" != 0 ]; then ok "the log-in form is in the middle"; else not_ok "the middle is empty"; fi

kill -0 $app_pid 2>/dev/null
check $? 0 "twofold is still running after the screenshot"
if [ $failed != 0 ]; then
    sed 's/^/# app: /' "$tmp/app.log"
fi

echo "1..$n"
exit $failed
