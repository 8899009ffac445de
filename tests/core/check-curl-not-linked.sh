#!/bin/bash
# libcurl is loaded when mail is first sent (src/core/tf-curl.c), not
# linked: no program may list it (or anything of its own) as needed, or
# every start maps its ~25 libraries again (BENCHMARKS.md). The name the
# build will load it by must be one the dynamic loader finds.
#   check-curl-not-linked.sh SONAME PROGRAM…
set -u
soname=${1:?usage: check-curl-not-linked.sh SONAME PROGRAM...}
shift
status=0
for program in "$@"; do
    needed=$(LC_ALL=C readelf -d "$program" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    if [ -z "$needed" ]; then
        echo "$program: no NEEDED entries read" >&2
        status=1
    elif grep -q '^libcurl' <<<"$needed"; then
        echo "$program links libcurl:" $(grep '^libcurl' <<<"$needed") >&2
        status=1
    else
        echo "$program: $(wc -l <<<"$needed") libraries needed, no libcurl"
    fi
done
if ! LC_ALL=C ldconfig -p | grep -q "^[[:space:]]*$soname "; then
    echo "the dynamic loader does not know $soname" >&2
    status=1
fi
exit $status
