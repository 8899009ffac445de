#!/bin/bash
# flatpak-builder parses the manifest. It only warns (exit 0) on an unknown
# key, so any output on stderr fails the test. It writes .flatpak-builder/
# into the current directory: run it in a throw-away one.
set -u
manifest=$(realpath "${1:?usage: check-flatpak-manifest.sh MANIFEST}") || exit 1
flatpak_builder=${FLATPAK_BUILDER:-flatpak-builder}

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

"$flatpak_builder" --show-manifest "$manifest" >out.json 2>err.txt
status=$?
if [ $status != 0 ] || [ -s err.txt ]; then
    cat err.txt >&2
    echo "flatpak-builder --show-manifest $manifest: exit $status, stderr above" >&2
    exit 1
fi
# What it prints is the manifest it understood.
if ! grep -q '"id" : "org.twofold.Twofold"' out.json; then
    echo "flatpak-builder did not print the manifest back" >&2
    exit 1
fi
echo "flatpak-builder parses $manifest without a warning"
