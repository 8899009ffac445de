#!/bin/bash
# Builds every fuzz target with clang's libFuzzer (plus ASan and UBSan) into
# BUILD_DIR/fuzz and runs each for SECONDS on a scratch copy of its seed
# corpus; the committed corpus under tests/fuzz/corpus is never written to.
# Fails, naming the target, on any crash, leak, timeout or broken invariant;
# reproducers land in BUILD_DIR/fuzz/artifacts. Exits 77 (skipped) when clang
# or its libFuzzer runtime is missing.
#
#   tests/fuzz/run-fuzz.sh BUILD_DIR SECONDS [TARGET…]
#
# BUILD_DIR is a meson build directory (its config.h is used) or any other
# directory. Reproduce a finding with BUILD_DIR/fuzz/fuzz-NAME ARTIFACT.
set -uo pipefail

if [ $# -lt 2 ]; then
    echo "Usage: $0 BUILD_DIR SECONDS [TARGET…]" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
core="$srcdir/src/core"
mkdir -p "$1" || exit 1
build=$(cd "$1" && pwd)
seconds=$2
shift 2
out="$build/fuzz"

# Each target and the core sources it links (tf-core.c for tf_core_init).
# A new target: tests/fuzz/fuzz-NAME.c, corpus/NAME/, its line here, in
# all_targets below and in fuzz_targets in tests/fuzz/meson.build.
declare -A sources=(
    [base32]="tf-base32.c tf-secure-buffer.c tf-core.c"
    [otpauth]="tf-otpauth.c tf-base32.c tf-otp.c tf-secure-buffer.c tf-core.c"
    [code]="tf-validate.c tf-secure-buffer.c tf-core.c"
    [validate]="tf-validate.c tf-secure-buffer.c tf-core.c"
    [mail-header]="tf-mail-header.c tf-secure-buffer.c tf-core.c"
)
all_targets=(base32 otpauth code validate mail-header)
pkg_modules="gio-2.0 libsodium libcurl"

if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=("${all_targets[@]}")
fi
for name in "${targets[@]}"; do
    if [ -z "${sources[$name]:-}" ]; then
        echo "run-fuzz: unknown target '$name' (known: ${all_targets[*]})" >&2
        exit 2
    fi
done

cc=${FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null; then
    echo "run-fuzz: $cc not found (Debian: apt-get install clang libclang-rt-14-dev); skipping"
    exit 77
fi
mkdir -p "$out/artifacts" "$out/logs" "$out/corpus" || exit 1
printf 'int LLVMFuzzerTestOneInput (const char *d, unsigned long n) { return 0; }\n' \
    > "$out/probe.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$out/probe.c" -o "$out/probe" \
        >"$out/logs/probe.log" 2>&1; then
    echo "run-fuzz: $cc cannot link -fsanitize=fuzzer (Debian: apt-get install libclang-rt-14-dev); skipping"
    cat "$out/logs/probe.log"
    exit 77
fi

# The meson build's config.h when there is one, else the few macros the
# core sources read.
if [ -f "$build/config.h" ]; then
    config_dir=$build
else
    config_dir="$out/include"
    mkdir -p "$config_dir"
    cat > "$config_dir/config.h" <<'CONFIG'
#define GETTEXT_PACKAGE "twofold"
#define LOCALEDIR "/usr/local/share/locale"
#define PACKAGE_NAME "Twofold"
#define PACKAGE_VERSION "fuzz"
CONFIG
fi

# shellcheck disable=SC2086
pkg_cflags=$(pkg-config --cflags $pkg_modules) || exit 1
# shellcheck disable=SC2086
pkg_libs=$(pkg-config --libs $pkg_modules) || exit 1
# shellcheck disable=SC2054 # the commas belong to the option
cflags=(
    -g -O1 -fno-omit-frame-pointer
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
    -std=gnu11 -Wall -Wno-unused-parameter
    -D_GNU_SOURCE -DG_LOG_USE_STRUCTURED
    -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74
    -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74
    -I"$config_dir" -I"$core" -I"$here"
)

status=0
failed=()
start=$(date +%s)
for name in "${targets[@]}"; do
    srcs=("$here/fuzz-$name.c" "$here/tf-fuzz.c")
    for s in ${sources[$name]}; do
        srcs+=("$core/$s")
    done
    echo "run-fuzz: building fuzz-$name"
    # shellcheck disable=SC2086
    if ! "$cc" "${cflags[@]}" $pkg_cflags "${srcs[@]}" -o "$out/fuzz-$name" $pkg_libs -lm \
            >"$out/logs/build-$name.log" 2>&1; then
        cat "$out/logs/build-$name.log"
        echo "run-fuzz: FAILED to build fuzz-$name"
        failed+=("$name (build)")
        status=1
    fi
done
echo "run-fuzz: built in $(( $(date +%s) - start )) s"

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1"
# The slice allocator would hide use-after-free from ASan.
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly,fatal-warnings,fatal-criticals
if command -v llvm-symbolizer >/dev/null; then
    export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer)}
fi

for name in "${targets[@]}"; do
    [ -x "$out/fuzz-$name" ] || continue
    # A scratch copy: libFuzzer adds what it finds to its first corpus
    # directory, and the committed seeds must stay as they are.
    work="$out/corpus/$name"
    rm -rf "$work"
    mkdir -p "$work"
    if [ -d "$here/corpus/$name" ]; then
        cp -R "$here/corpus/$name"/. "$work"/
    fi
    log="$out/logs/$name.log"
    dict=()
    if [ -f "$here/$name.dict" ]; then
        dict=(-dict="$here/$name.dict")
    fi
    echo "run-fuzz: fuzzing fuzz-$name for $seconds s"
    "$out/fuzz-$name" \
        -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$out/artifacts/$name-" \
        "${dict[@]}" "$work" >"$log" 2>&1
    rc=$?
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+[[:space:]]+DONE)' "$log" \
        | sed "s/^/run-fuzz: fuzz-$name: /"
    if [ $rc -ne 0 ]; then
        echo "run-fuzz: FAILED: fuzz-$name exited $rc; the end of $log:"
        tail -n 60 "$log"
        artifact=$(grep -o "Test unit written to .*" "$log" | tail -n 1 | sed 's/Test unit written to //')
        if [ -n "$artifact" ]; then
            echo "run-fuzz: reproduce with: $out/fuzz-$name $artifact"
        fi
        failed+=("$name")
        status=1
    fi
done

if [ $status -ne 0 ]; then
    echo "run-fuzz: FAILED targets: ${failed[*]}"
else
    echo "run-fuzz: all ${#targets[@]} targets ran ${seconds} s each without a finding"
fi
exit $status
