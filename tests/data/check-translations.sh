#!/bin/bash
# Checks the translations in po/:
#  (a) every catalogue in po/LINGUAS passes msgfmt --check;
#  (b) every message of a freshly extracted template is translated, and not
#      fuzzy, in every language (the po is merged with the new template into a
#      temporary file, so a string added to the code without a translation
#      fails here even when po/twofold.pot was not regenerated);
#  (c) the built twofold-admin really speaks each language: its --help and
#      an error message come out translated.  It runs with LC_ALL=C.UTF-8 and
#      LANGUAGE=<lang>: glibc honours LANGUAGE for C.UTF-8 (not for plain C),
#      so no generated locale is needed.  TWOFOLD_LOCALEDIR points
#      tf_core_init () at the catalogues the build compiled into <build>/po.
#
# usage: check-translations.sh SOURCE_ROOT BUILD_ROOT TWOFOLD_ADMIN
set -u
src=${1:?usage: check-translations.sh SOURCE_ROOT BUILD_ROOT TWOFOLD_ADMIN}
build=${2:?usage: check-translations.sh SOURCE_ROOT BUILD_ROOT TWOFOLD_ADMIN}
admin=${3:?usage: check-translations.sh SOURCE_ROOT BUILD_ROOT TWOFOLD_ADMIN}
domain=twofold
status=0
fail () { echo "FAIL: $*" >&2; status=1; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

languages=$(grep -v '^#' "$src/po/LINGUAS" | tr -s ' \t' '\n' | grep -v '^$')
[ -n "$languages" ] || { echo "po/LINGUAS lists no language" >&2; exit 1; }

# (b) The template, extracted the way meson's i18n.gettext (preset: 'glib')
# does it.
if ! (cd "$src" && xgettext --package-name=$domain -D "$src" \
        -f po/POTFILES.in -o "$tmp/$domain.pot" \
        --from-code=UTF-8 --add-comments \
        --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
        --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
        --keyword=g_dpgettext2:2c,3 \
        --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format \
        --flag=NC_:2:pass-c-format --flag=g_dngettext:2:pass-c-format \
        --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
        --flag=g_string_append_printf:2:c-format \
        --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
        --flag=g_markup_printf_escaped:1:c-format --flag=g_print:1:c-format \
        --flag=g_printerr:1:c-format --flag=g_snprintf:3:c-format); then
    echo "xgettext could not extract the template" >&2
    exit 1
fi
total=$(grep -c '^msgid ' "$tmp/$domain.pot")
echo "template: $((total - 1)) messages"

for lang in $languages; do
    po=$src/po/$lang.po
    [ -f "$po" ] || { fail "po/LINGUAS lists $lang but po/$lang.po is missing"; continue; }

    # (a)
    if ! msgfmt --check --check-accelerators=_ -o /dev/null "$po"; then
        fail "po/$lang.po does not pass msgfmt --check"
    fi

    # (b)
    if ! msgmerge --quiet --previous -o "$tmp/$lang.po" "$po" "$tmp/$domain.pot"; then
        fail "po/$lang.po cannot be merged with the template"
        continue
    fi
    msgattrib --untranslated --no-obsolete --no-wrap -o "$tmp/$lang.untranslated" "$tmp/$lang.po"
    msgattrib --only-fuzzy --no-obsolete --no-wrap -o "$tmp/$lang.fuzzy" "$tmp/$lang.po"
    for kind in untranslated fuzzy; do
        if [ -s "$tmp/$lang.$kind" ] && grep -q '^msgid "..*"' "$tmp/$lang.$kind"; then
            fail "po/$lang.po has $kind messages (run 'meson compile twofold-update-po' and translate them):"
            grep '^msgid ' "$tmp/$lang.$kind" | grep -v '^msgid ""$' | sed 's/^/    /' >&2
        fi
    done
    msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1 | sed "s/^/$lang: /"

    # (c)
    mo=$build/po/$lang/LC_MESSAGES/$domain.mo
    [ -f "$mo" ] || { fail "$mo was not built"; continue; }
    translate () { TEXTDOMAINDIR=$build/po LANGUAGE=$lang LC_ALL=C.UTF-8 gettext -d $domain -- "$1"; }
    run () {
        env TWOFOLD_LOCALEDIR="$build/po" LANGUAGE="$lang" LC_ALL=C.UTF-8 \
            LANG=C.UTF-8 LC_MESSAGES=C.UTF-8 \
            GSETTINGS_BACKEND=memory \
            GSETTINGS_SCHEMA_DIR="${GSETTINGS_SCHEMA_DIR:-$build/data}" \
            "$admin" "$@" 2>&1
    }

    english="Administer a Twofold account store."
    expected=$(translate "$english")
    out=$(run --help)
    if [ "$expected" = "$english" ]; then
        fail "$lang: “$english” is not translated in $mo"
    elif ! grep -qF -- "$expected" <<<"$out"; then
        fail "$lang: twofold-admin --help does not show “$expected”:"
        sed 's/^/    /' <<<"$out" >&2
    fi

    english="Unknown command “%s”. See “twofold-admin --help”."
    # shellcheck disable=SC2059 # the format is the translation under test
    expected=$(printf "$(translate "$english")" frobnicate)
    out=$(run frobnicate)
    if [ "$expected" = "$(printf "$english" frobnicate)" ]; then
        fail "$lang: “$english” is not translated in $mo"
    elif ! grep -qF -- "$expected" <<<"$out"; then
        fail "$lang: twofold-admin frobnicate does not say “$expected”:"
        sed 's/^/    /' <<<"$out" >&2
    fi
done

[ $status = 0 ] && echo "translations are complete and in use: $(echo $languages)"
exit $status
