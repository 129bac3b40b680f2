#!/usr/bin/env bash
# NormNative build driver.
#
#   ./build.sh            set up what is missing, build everything, run the demo
#   ./build.sh setup      install missing Debian packages (as root), or print the command
#   ./build.sh build      build the managed library, the NativeAOT libnormnative.so and the tests
#   ./build.sh test       build, then run every test suite (xunit, C, Python); exit non-zero on failure
#   ./build.sh demo       examples/python/compare_numpy.py: NormNative next to NumPy on generated data
#   ./build.sh bench      benchmarks (BENCH_QUICK=1 for the quick mode)
#   ./build.sh fuzz       long C ABI fuzz (FUZZ_SECONDS, default 600; FUZZ_SEED = first seed);
#                         replay a failing seed: python3 tests/fuzz/run_fuzz.py --replay SEED
#   ./build.sh install PREFIX=/usr/local   library, headers, normnative.pc, CMake package
#   ./build.sh pack       NuGet package of NormManaged into artifacts/nuget
#   ./build.sh wheel      the Python wheel (py3-none-linux_x86_64, carries libnormnative.so) into artifacts/python/
#   ./build.sh clean      remove build outputs
#   ./build.sh test-c | test-examples | test-pack    one group of the test suites
#
# Environment:
#   PYTHON            Python to use (default /usr/bin/python3, Debian's, which sees python3-numpy)
#   NORMNATIVE_ISA    NativeAOT instruction set (default: x86-64-v4 with AVX-512, else x86-64-v3, else baseline)
#   CONFIG            Release (default) or Debug
#   FUZZ_TEST_SECONDS budget of the bounded fuzz inside ./build.sh test (default 30)
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

# dotnet publish of the NativeAOT library, retried up to twice: the SDK's ILC (10.0.12) now and then crashes in its
# parallel code generation ("Code generation failed for method '[S.P.CoreLib]System.SpanHelpers.ClearWithoutReferences
# (uint8&,native uint)'", a NullReferenceException in its lazy-generics graph; seen once in ~20 builds here, and
# reported by others as transient: github.com/richlander/dotnet-inspect/issues/7787). A real compile error fails all
# three attempts the same way.
publish_native() {
    local attempt
    for attempt in 1 2 3; do
        if dotnet publish src/NormNative/NormNative.csproj "$@"; then return 0; fi
        [ "$attempt" -lt 3 ] && echo "dotnet publish failed (attempt $attempt of 3); retrying" >&2
    done
    return 1
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
        publish_native -c "$CONFIG" -r $RID -p:NORMNATIVE_ISA="$isa" -o "$NATIVE_DIR" -nologo -v:q
        echo "$isa $CONFIG" > "$stamp"
    fi
    mkdir -p "$ART/include" "$PYPKG/_lib"
    cp -f src/NormNative/include/*.h src/NormNative/include/*.hpp "$ART/include/"
    cp -f "$LIB" "$PYPKG/_lib/libnormnative.so"
    dotnet build NormNative.sln -c "$CONFIG" -nologo -v:q -p:NORMNATIVE_ISA="$isa" | grep -vE '^\s*$' | grep -vE 'warn|->' || true
    echo "artifacts: $LIB, $ART/include/normnative.h, $PYPKG/_lib/libnormnative.so"
}

cmd_demo() {
    PYTHONPATH="$ROOT/bindings/python" "$PY" examples/python/compare_numpy.py demo
}

FAILED=()
run_suite() { # name, command...
    local name=$1; shift
    banner "$name"
    if "$@"; then echo "[$name] OK"; else echo "[$name] FAILED"; FAILED+=("$name"); fi
}

cc_test() { # source, output, extra flags...: compile a C test against the built library
    local src=$1 exe=$2; shift 2
    gcc -std=c11 -Wall -Wextra -Werror -O1 -I "$ART/include" "$src" -L "$NATIVE_DIR" -lnormnative \
        -Wl,-rpath,"$NATIVE_DIR" -lm "$@" -o "$exe"
}

test_c() {
    local out="$ART/tests/c"; mkdir -p "$out"
    cc_test tests/c/test_c.c "$out/test_c" && "$out/test_c" || return 1
    cc_test tests/c/test_first_call.c "$out/test_first_call" || return 1
    local f; for f in vector matrix vector_dlpack matrix_dlpack threaded; do "$out/test_first_call" $f || return 1; done
}

test_cpp() {
    local out="$ART/tests/cpp"; mkdir -p "$out"
    g++ -std=c++20 -Wall -Wextra -Werror -O1 -I "$ART/include" tests/cpp/test_hpp.cpp -L "$NATIVE_DIR" -lnormnative \
        -Wl,-rpath,"$NATIVE_DIR" -o "$out/test_hpp" && "$out/test_hpp"
}

# pthreads stress: many threads x mixed calls, bit-identical to the serial results.
test_c_threads() {
    local out="$ART/tests/c"; mkdir -p "$out"
    cc_test tests/c/test_threads.c "$out/test_threads" -pthread && "$out/test_threads" 8 3000
}

# Leak check, part 1: RSS flat over 1e6 mixed calls (covers the managed heap, which valgrind cannot see).
test_c_rss() {
    local out="$ART/tests/c"; mkdir -p "$out"
    cc_test tests/c/test_leak.c "$out/test_leak" && "$out/test_leak" 1000000
}

# Leak check, part 2: valgrind memcheck over the C tests. Valgrind cannot decode AVX-512, so this
# uses a copy of the library published for x86-64-v3 (cached like the main build), without its
# .dbg file (valgrind 3.19 cannot read clang's DWARF 5). Fails on any memcheck error and on any
# "definitely" or "indirectly" lost block. "Possibly lost" is not an error: the NativeAOT runtime
# starts its finalizer thread once, and glibc's TLS block for it (288 bytes) stays in use.
test_c_valgrind() {
    command -v valgrind >/dev/null || { echo "valgrind is not installed (./build.sh setup)"; return 1; }
    local vdir="$ART/native-valgrind" out="$ART/tests/c-valgrind"
    mkdir -p "$vdir" "$out"
    if [ "$(detect_isa)" != x86-64-v4 ]; then
        cp -f "$LIB" "$vdir/libnormnative.so"
    elif [ ! -f "$vdir/libnormnative.so" ] || [ -n "$(find src Directory.Build.props -type f -newer "$vdir/libnormnative.so" | head -1)" ]; then
        publish_native -c "$CONFIG" -r $RID -p:NORMNATIVE_ISA=x86-64-v3 -o "$vdir/publish" -nologo -v:q >/dev/null
        cp -f "$vdir/publish/libnormnative.so" "$vdir/libnormnative.so"
    fi
    local t rc=0
    for t in "test_c" "test_threads 4 100" "test_leak 5000"; do
        set -- $t
        gcc -std=c11 -O1 -I "$ART/include" "tests/c/$1.c" -L "$vdir" -lnormnative -Wl,-rpath,"$vdir" -lm -pthread -o "$out/$1"
        valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=3 \
            --log-file="$out/$1.valgrind.txt" "$out/$@" >/dev/null || { rc=1; cat "$out/$1.valgrind.txt"; }
        grep -E "definitely lost|indirectly lost|possibly lost|ERROR SUMMARY" "$out/$1.valgrind.txt" | sed "s/^==[0-9]*==/  $1:/"
    done
    return $rc
}

cmd_test() {
    cmd_build
    export NORMNATIVE_LIBRARY="$LIB"
    run_suite "xunit NormManaged.Tests" dotnet test tests/NormManaged.Tests -c "$CONFIG" --no-build -nologo -v:q
    run_suite "xunit NormNative.Tests" dotnet test tests/NormNative.Tests -c "$CONFIG" --no-build -nologo -v:q
    run_suite "C tests" test_c
    run_suite "C++ header (normnative.hpp)" test_cpp
    run_suite "C pthreads stress" test_c_threads
    run_suite "C leak check: RSS over 1e6 calls" test_c_rss
    run_suite "C leak check: valgrind" test_c_valgrind
    run_suite "C ABI fuzz, bounded (${FUZZ_TEST_SECONDS:-30} s)" \
        "$PY" tests/fuzz/run_fuzz.py --seconds "${FUZZ_TEST_SECONDS:-30}" --examples 300
    run_suite "NuGet pack + C# sample from the package" test_pack
    run_suite "C/C++ examples (install, pkg-config, CMake)" test_examples
    run_suite "pytest tests/python" env PYTHONPATH="$ROOT/bindings/python" "$PY" -m pytest -q -p no:cacheprovider tests/python
    banner "summary"
    if ((${#FAILED[@]})); then echo "FAILED suites: ${FAILED[*]}"; exit 1; fi
    echo "all test suites passed"
}

# ---- install / pack --------------------------------------------------------------------------
lib_version() { sed -n 's/.*public const string String = "\(.*\)";/\1/p' src/NormNative/Version.cs; }

cmd_install() { # PREFIX=... (argument or environment)
    local prefix="${PREFIX:-/usr/local}" a
    for a in "$@"; do case "$a" in PREFIX=*) prefix="${a#PREFIX=}" ;; *) echo "install: unknown argument $a" >&2; exit 2 ;; esac; done
    [ -f "$LIB" ] || cmd_build
    mkdir -p "$prefix" && prefix="$(cd "$prefix" && pwd)"
    local ver; ver=$(lib_version)
    banner "install $ver into $prefix"
    install -d "$prefix/lib/pkgconfig" "$prefix/lib/cmake/NormNative" "$prefix/include"
    install -m 755 "$LIB" "$prefix/lib/libnormnative.so"
    install -m 644 src/NormNative/include/normnative.h src/NormNative/include/normnative_dlpack.h \
        src/NormNative/include/normnative.hpp "$prefix/include/"
    local subst=(-e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$ver|g" -e "s|@VERSION_MAJOR@|${ver%%.*}|g")
    local minor=${ver#*.}; minor=${minor%%.*}; subst+=(-e "s|@VERSION_MINOR@|$minor|g")
    sed "${subst[@]}" pkgconfig/normnative.pc.in > "$prefix/lib/pkgconfig/normnative.pc"
    sed "${subst[@]}" cmake/NormNativeConfig.cmake.in > "$prefix/lib/cmake/NormNative/NormNativeConfig.cmake"
    sed "${subst[@]}" cmake/NormNativeConfigVersion.cmake.in > "$prefix/lib/cmake/NormNative/NormNativeConfigVersion.cmake"
    (cd "$prefix" && ls -1 lib/libnormnative.so include/normnative*.h* lib/pkgconfig/normnative.pc lib/cmake/NormNative/*.cmake) | sed 's/^/  /'
}

cmd_pack() {
    banner "dotnet pack NormManaged -> $ART/nuget"
    dotnet pack src/NormManaged/NormManaged.csproj -c "$CONFIG" -o "$ART/nuget" -nologo -v:q | grep -v '^\s*$' || true
    ls -l "$ART/nuget"/*.nupkg
}

# Packs NormManaged, checks the package carries the assembly, its XML docs and the readme, then
# builds and runs examples/csharp (a PackageReference to NormManaged) from a copy outside the
# repository against a local source holding only the fresh package. A private packages folder
# keeps a stale NormManaged out of the user's global cache; System.Numerics.Tensors resolves from
# the global cache (fallback folder) or nuget.org.
test_pack() {
    local tmp rc; tmp=$(mktemp -d /tmp/normnative-nuget.XXXXXX)
    test_pack_in "$tmp"; rc=$?
    rm -rf "$tmp"
    return $rc
}

test_pack_in() {
    local tmp=$1
    dotnet pack src/NormManaged/NormManaged.csproj -c "$CONFIG" -o "$tmp/feed" -nologo -v:q >/dev/null || return 1
    local pkg; pkg=$(ls "$tmp"/feed/NormManaged.*.nupkg) || return 1
    "$PY" - "$pkg" <<'PYEOF' || return 1
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = {"lib/net10.0/NormManaged.dll", "lib/net10.0/NormManaged.xml", "PACKAGE.md", "NormManaged.nuspec"}
missing = need - names
print(f"{sys.argv[1].rsplit('/', 1)[-1]}: {len(names)} entries" + (f", MISSING {sorted(missing)}" if missing else ", dll + XML docs + readme present"))
sys.exit(1 if missing else 0)
PYEOF
    cp -r examples/csharp "$tmp/sample"
    cat > "$tmp/sample/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources><clear /><add key="local" value="$tmp/feed" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="NormManaged" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
  <fallbackPackageFolders><add key="global" value="$HOME/.nuget/packages" /></fallbackPackageFolders>
</configuration>
XML
    ( cd "$tmp/sample" && dotnet restore --packages "$tmp/packages" -nologo -v:q >/dev/null \
        && dotnet run --no-restore -c Release -nologo -v:q )
}

# Installs into a temporary prefix and builds the C and C++ examples from a copy outside the
# repository, once through pkg-config and once through find_package(NormNative), then runs them.
test_examples() {
    local tmp rc; tmp=$(mktemp -d /tmp/normnative-examples.XXXXXX)
    test_examples_in "$tmp"; rc=$?
    rm -rf "$tmp"
    return $rc
}

test_examples_in() {
    local tmp=$1
    cmd_install PREFIX="$tmp/prefix" >/dev/null
    cp -r examples "$tmp/src"
    (
        set -e
        cd "$tmp/src"
        export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
        echo "pkg-config: $(pkg-config --modversion normnative) $(pkg-config --cflags --libs normnative)"
        gcc -std=c11 -Wall -Wextra -Werror c/example.c $(pkg-config --cflags --libs normnative) -lm \
            -Wl,-rpath,"$tmp/prefix/lib" -o "$tmp/example_c_pc"
        g++ -std=c++20 -Wall -Wextra -Werror cpp/example.cpp $(pkg-config --cflags --libs normnative) \
            -Wl,-rpath,"$tmp/prefix/lib" -o "$tmp/example_cpp_pc"
        "$tmp/example_c_pc" && "$tmp/example_cpp_pc"
        cmake -S . -B "$tmp/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=Release \
            -DCMAKE_C_FLAGS="-Wall -Werror" -DCMAKE_CXX_FLAGS="-Wall -Werror" >/dev/null
        cmake --build "$tmp/build" >/dev/null
        echo "cmake: find_package(NormNative) -> NormNative::normnative"
        "$tmp/build/example_c" && "$tmp/build/example_cpp"
    )
}

# C ABI fuzz (tests/fuzz): hypothesis via ctypes in subprocess workers, guard pages around every buffer.
cmd_fuzz() {
    [ -f "$LIB" ] || cmd_build
    NORMNATIVE_LIBRARY="$LIB" "$PY" tests/fuzz/run_fuzz.py --seconds "${FUZZ_SECONDS:-600}" ${FUZZ_SEED:+--seed "$FUZZ_SEED"}
}

cmd_wheel() {
    cmd_build
    banner "Python wheel"
    mkdir -p "$ART/python"
    rm -f "$ART/python"/normnative-*.whl
    "$PY" -m pip wheel "$ROOT/bindings/python" --no-build-isolation --no-deps --no-index -q -w "$ART/python"
    rm -rf "$ROOT/bindings/python/build" "$ROOT/bindings/python"/*.egg-info
    ls -l "$ART/python"/normnative-*.whl
}

# Python benchmark (bench/python): NormNative vs NumPy/SciPy in one process, writes bench/results/python.md (+ sweep.md)
# and a PNG. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for this command only, so NumPy runs its
# native OpenBLAS kernel.
cmd_bench_python() {
    local out="$ART/bench"; mkdir -p "$out"
    gcc -O3 -march=native -std=c11 -pthread bench/bandwidth.c -o "$out/bandwidth"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH="$ROOT/bindings/python" NORMNATIVE_LIBRARY="$LIB" \
        "$PY" bench/python/bench_norm.py --bandwidth "$out/bandwidth" ${BENCH_QUICK:+--quick}
    # the systematic ord x dtype x layout sweep (~75 s per data kind) in full runs: bench/results/sweep.md lists every
    # cell below 1.0 over random normals, sweep_{ones,ints,repeats}.md over structured inputs (ties, exact sums, zeros)
    if [ -z "${BENCH_QUICK:-}" ]; then
        local data
        for data in random ones ints repeats; do
            env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH="$ROOT/bindings/python" NORMNATIVE_LIBRARY="$LIB" \
                "$PY" bench/python/floor_sweep.py --data "$data" \
                --out "bench/results/sweep$([ "$data" = random ] || echo "_$data").md"
        done
        # matrix orders over structured matrices (eye, diag, ones, ints, rank 2, zeros; ~3 min)
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH="$ROOT/bindings/python" NORMNATIVE_LIBRARY="$LIB" \
            "$PY" bench/python/matrix_sweep.py --out bench/results/matrix_sweep.md
        # strided and transposed 2-D views (the sweeps' layouts are contiguous; ~4 min)
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH="$ROOT/bindings/python" NORMNATIVE_LIBRARY="$LIB" \
            "$PY" bench/python/layout_scan.py --out bench/results/layout_scan.md
        # N-D views: ten dtypes, strided / transposed / Fortran views of a (60, 80, 100) array, every axis and pair (~2 min)
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH="$ROOT/bindings/python" NORMNATIVE_LIBRARY="$LIB" \
            "$PY" bench/python/layout_scan.py --nd --out bench/results/layout_scan_nd.md
        # the orders those scans skip (1.5, 2.5, 4, 5, -0.5, -2.5, 0.3) over 2-D and N-D layouts (~4 min)
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH="$ROOT/bindings/python" NORMNATIVE_LIBRARY="$LIB" \
            "$PY" bench/python/layout_scan.py --orders --out bench/results/layout_scan_orders.md
    fi
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
    wheel) cmd_setup; cmd_wheel ;;
    bench) shift; cmd_setup; cmd_build; cmd_bench_python; cmd_bench_net "$@" ;;
    install) shift; cmd_install "$@" ;;
    test-examples) test_examples ;;
    test-c) export NORMNATIVE_LIBRARY="$LIB"; for t in test_c test_cpp test_c_threads test_c_rss test_c_valgrind; do run_suite "$t" $t; done ;;
    fuzz) cmd_fuzz ;;
    pack) cmd_pack ;;
    test-pack) test_pack ;;
    -h|--help|help) sed -n '2,/^[^#]/{/^#/p}' "$0" ;;
    *) echo "unknown command: $1 (see ./build.sh help)" >&2; exit 2 ;;
esac
