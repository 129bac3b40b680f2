#!/usr/bin/env bash
# NormNative build driver.
#
#   ./build.sh            set up what is missing, build everything, run the demo
#   ./build.sh setup      install missing Debian packages (as root), or print the command
#   ./build.sh build      build the managed library, the NativeAOT libnormnative.so and the tests
#   ./build.sh test       build, then run every test suite (xunit, C, Python); exit non-zero on failure
#   ./build.sh demo       python3 -m normnative: NormNative next to NumPy on generated data
#   ./build.sh bench      benchmarks (BENCH_QUICK=1 for the quick mode)
#   ./build.sh fuzz       long C ABI fuzz (FUZZ_SECONDS, default 600)
#   ./build.sh clean      remove build outputs
#
# Environment:
#   PYTHON            Python to use (default /usr/bin/python3, Debian's, which sees python3-numpy)
#   NORMNATIVE_ISA    NativeAOT instruction set (default: x86-64-v4 with AVX-512, else x86-64-v3, else baseline)
#   CONFIG            Release (default) or Debug
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
PY="${PYTHON:-/usr/bin/python3}"
CONFIG="${CONFIG:-Release}"
RID=linux-x64
ART="$ROOT/artifacts"
NATIVE_DIR="$ART/native/$RID"
LIB="$NATIVE_DIR/libnormnative.so"
PYPKG="$ROOT/bindings/python/normnative"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

banner() { printf '\n==== %s ====\n' "$*"; }

# Debian packages the build and the tests need.
DEB_PACKAGES=(clang zlib1g-dev python3-numpy python3-pytest python3-hypothesis python3-mpmath
              python3-scipy python3-matplotlib libopenblas0-pthread pkg-config cmake
              python3-pip python3-setuptools python3-wheel python3-venv valgrind)

cmd_setup() {
    local missing=()
    for p in "${DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    if ((${#missing[@]})); then
        if [ "$(id -u)" = 0 ]; then
            banner "installing ${missing[*]}"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        else
            echo "Missing Debian packages: ${missing[*]}" >&2
            echo "Run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
            exit 1
        fi
    fi
    command -v dotnet >/dev/null || { echo "The .NET SDK (dotnet) is required: https://dot.net" >&2; exit 1; }
}

detect_isa() {
    if [ -n "${NORMNATIVE_ISA:-}" ]; then echo "$NORMNATIVE_ISA"; return; fi
    local f; f=$(grep -m1 '^flags' /proc/cpuinfo || true)
    local has=1
    for x in avx512f avx512bw avx512cd avx512dq avx512vl; do [[ " $f " == *" $x "* ]] || has=0; done
    if ((has)); then echo x86-64-v4; return; fi
    has=1
    for x in avx2 fma bmi2; do [[ " $f " == *" $x "* ]] || has=0; done
    if ((has)); then echo x86-64-v3; else echo x86-64-v2; fi
}

cmd_build() {
    local isa; isa=$(detect_isa)
    banner "build ($CONFIG, ISA $isa) with $(dotnet --version) / $($PY --version 2>&1)"
    # Publish the NativeAOT library only when a source changed (publishing always relinks).
    local stamp="$NATIVE_DIR/.stamp"
    if [ -f "$LIB" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$isa $CONFIG" ] \
        && [ -z "$(find src Directory.Build.props -type f -newer "$stamp" | head -1)" ]; then
        echo "libnormnative.so is up to date"
    else
        dotnet publish src/NormNative/NormNative.csproj -c "$CONFIG" -r $RID -p:NORMNATIVE_ISA="$isa" -o "$NATIVE_DIR" -nologo -v:q
        echo "$isa $CONFIG" > "$stamp"
    fi
    mkdir -p "$ART/include" "$PYPKG/_lib"
    cp -f src/NormNative/include/normnative.h "$ART/include/"
    cp -f "$LIB" "$PYPKG/_lib/libnormnative.so"
    dotnet build NormNative.sln -c "$CONFIG" -nologo -v:q -p:NORMNATIVE_ISA="$isa" | grep -vE '^\s*$' | grep -vE 'warn|->' || true
    echo "artifacts: $LIB, $ART/include/normnative.h, $PYPKG/_lib/libnormnative.so"
}

cmd_demo() {
    PYTHONPATH="$ROOT/bindings/python" "$PY" -m normnative demo
}

FAILED=()
run_suite() { # name, command...
    local name=$1; shift
    banner "$name"
    if "$@"; then echo "[$name] OK"; else echo "[$name] FAILED"; FAILED+=("$name"); fi
}

test_c() {
    local out="$ART/tests/c"; mkdir -p "$out"
    gcc -std=c11 -Wall -Wextra -Werror -O1 -I "$ART/include" tests/c/test_c.c -L "$NATIVE_DIR" -lnormnative \
        -Wl,-rpath,"$NATIVE_DIR" -lm -o "$out/test_c" && "$out/test_c"
}

cmd_test() {
    cmd_build
    export NORMNATIVE_LIBRARY="$LIB"
    run_suite "xunit NormManaged.Tests" dotnet test tests/NormManaged.Tests -c "$CONFIG" --no-build -nologo -v:q
    run_suite "xunit NormNative.Tests" dotnet test tests/NormNative.Tests -c "$CONFIG" --no-build -nologo -v:q
    run_suite "C tests" test_c
    run_suite "pytest tests/python" env PYTHONPATH="$ROOT/bindings/python" "$PY" -m pytest -q -p no:cacheprovider tests/python
    banner "summary"
    if ((${#FAILED[@]})); then echo "FAILED suites: ${FAILED[*]}"; exit 1; fi
    echo "all test suites passed"
}

# BenchmarkDotNet suite for the managed kernels (bench/NormBench); BENCH_QUICK=1 for a short in-process run.
# Extra arguments go to BenchmarkDotNet (e.g. ./build.sh bench --filter '*Ords*').
cmd_bench_net() {
    local quick=()
    [ "${BENCH_QUICK:-0}" = 1 ] && quick=(--quick)
    banner "BenchmarkDotNet (bench/NormBench)"
    dotnet run --project bench/NormBench -c Release -- "${quick[@]}" "$@"
}

cmd_clean() {
    rm -rf "$ART" "$PYPKG/_lib"
    find . -type d \( -name bin -o -name obj -o -name __pycache__ \) -prune -exec rm -rf {} +
}

case "${1:-all}" in
    all) cmd_setup; cmd_build; cmd_demo ;;
    setup) cmd_setup ;;
    build) cmd_build ;;
    test) cmd_setup; cmd_test ;;
    demo) cmd_demo ;;
    clean) cmd_clean ;;
    bench) shift; cmd_bench_net "$@" ;;
    fuzz|install) echo "./build.sh $1: not implemented yet" >&2; exit 2 ;;
    -h|--help|help) sed -n '2,20p' "$0" ;;
    *) echo "unknown command: $1 (see ./build.sh help)" >&2; exit 2 ;;
esac
