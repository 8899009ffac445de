#!/bin/bash
# Every source file holding a translatable string is listed in po/POTFILES.in,
# and every listed file exists.
set -u
root=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$root" || exit 1
status=0
listed=$(grep -v '^#' po/POTFILES.in | grep -v '^[[:space:]]*$' | sort -u)

for f in $listed; do
    if [ ! -f "$f" ]; then
        echo "po/POTFILES.in lists $f, which does not exist" >&2
        status=1
    fi
done

found=$( { grep -lE '\b(N?_|C_|NC_|g_dngettext|ngettext)[[:space:]]*\(' src/*/*.c 2>/dev/null
           grep -l 'translatable="yes"' data/ui/*.ui 2>/dev/null
           ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null; } | sort -u)
for f in $found; do
    if ! grep -qxF "$f" <<<"$listed"; then
        echo "$f has translatable strings but is not in po/POTFILES.in" >&2
        status=1
    fi
done
[ $status = 0 ] && echo "po/POTFILES.in is complete ($(wc -w <<<"$listed") files)"
exit $status
