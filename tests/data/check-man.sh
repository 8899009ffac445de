#!/bin/bash
# The man pages render without a warning, and they document what the
# programs offer: every twofold-admin command, every twofold option and every
# GSettings key.
set -u
root=${1:?usage: check-man.sh SOURCE_ROOT}
cd "$root" || exit 1
status=0
pages=(data/twofold.1 data/twofold-admin.1)

fail () {
    echo "$*" >&2
    status=1
}

for page in "${pages[@]}"; do
    # man-db's own check (it runs groff with warnings on), then groff's
    # strictest, then mandoc's linter when it is installed.
    out=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    [ -z "$out" ] || fail "$page: man --warnings: $out"
    out=$(groff -ww -z -man "$page" 2>&1)
    [ -z "$out" ] || fail "$page: groff -ww: $out"
    if command -v mandoc >/dev/null; then
        out=$(mandoc -T lint -W warning "$page" 2>&1)
        [ -z "$out" ] || fail "$page: mandoc lint: $out"
    fi
done

# Rendered text, one entry per line, tags at the start of a line.
render () {
    MANWIDTH=200 man -l "$1" 2>/dev/null | col -b
}

admin_text=$(render data/twofold-admin.1)
# The entries of tf_admin_commands[]: { "name", args, N_("summary"), func }.
commands=$(sed -n '/tf_admin_commands\[\] *=/,/^};/s/^ *{ *"\([a-z0-9-]*\)",.*/\1/p' src/admin/main.c)
[ -n "$commands" ] || fail "found no commands in src/admin/main.c"
for command in $commands; do
    grep -qE "^ {7}$command( |\$)" <<<"$admin_text" ||
        fail "data/twofold-admin.1 does not describe the command \"$command\""
done

# Every long option of every command, wherever it is described.
admin_options=$(grep -ho '{ *"[a-z0-9-]*", *0, *[A-Z_|0-9]*, *G_OPTION_ARG' src/admin/*.c |
                sed 's/{ *"\([a-z0-9-]*\)".*/\1/' | sort -u)
for option in $admin_options; do
    grep -qE -- "--$option\b" <<<"$admin_text" ||
        fail "data/twofold-admin.1 does not describe the option --$option"
done

app_text=$(render data/twofold.1)
options=$(grep -ho 'add_main_option *([^,]*, *"[a-z0-9-]*"' src/ui/*.c src/app/*.c |
          sed 's/.*"\([a-z0-9-]*\)"$/\1/')
for option in $options; do
    grep -qE "^ {7}--$option( |,|\$)" <<<"$app_text" ||
        fail "data/twofold.1 does not describe the option --$option"
done

keys=$(sed -n 's/.*<key name="\([a-z0-9-]*\)".*/\1/p' data/org.twofold.Twofold.gschema.xml)
for key in $keys; do
    grep -qE "^ {7}$key( |\$)" <<<"$app_text" ||
        fail "data/twofold.1 does not describe the setting \"$key\""
done

[ $status = 0 ] &&
    echo "man pages lint clean; $(wc -w <<<"$commands") commands and $(wc -w <<<"$admin_options") options of twofold-admin, $(wc -w <<<"$options") of twofold, $(wc -w <<<"$keys") settings documented"
exit $status
