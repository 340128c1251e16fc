#!/usr/bin/env bash
# Paired A/B of the whole step between two revisions of the kernel, in one JVM (see AB.java):
#   ./eprop ab REV_A REV_B [DEPTH:WIDTH:THREADS[:MODEL[:UPDATE_EVERY]] ...] [--seconds S]
# REV is anything git rev-parse accepts, or "." for the working tree. Each revision's kernel jar is
# built in a temporary checkout (tests skipped); the default configurations are the sweep's large
# ones, where kernel changes show: 3:64:1 4:64:1 3:128:1 4:128:1. MODEL is leaky_tanh (default),
# lif or alif; UPDATE_EVERY K applies the gradients (Adam) every K steps, as online learning does.
# SECONDS is per jar and per way round. Needs JAVA_HOME (./eprop sets it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ $# -ge 2 ]] || { echo "usage: ./eprop ab REV_A REV_B [DEPTH:WIDTH:THREADS[:MODEL[:UPDATE_EVERY]] ...] [--seconds S]" >&2; exit 2; }
rev_a="$1"; rev_b="$2"; shift 2
seconds=20
configs=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
        *:*:*) configs+=("$1"); shift ;;
        *) echo "ab: expected DEPTH:WIDTH:THREADS[:MODEL[:UPDATE_EVERY]] or --seconds S, got '$1'" >&2; exit 2 ;;
    esac
done
[[ ${#configs[@]} -gt 0 ]] || configs=(3:64:1 4:64:1 3:128:1 4:128:1)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Builds the kernel jar of revision $1 and copies it to $2.
kernel_jar() {
    local rev="$1" out="$2" src
    if [[ "$rev" == "." ]]; then
        src="$ROOT"
    else
        src="$work/src-$(basename "$out" .jar)"
        mkdir -p "$src"
        git -C "$ROOT" archive "$(git -C "$ROOT" rev-parse --verify "$rev^{commit}")" | tar -x -C "$src"
    fi
    echo "ab: building the kernel of $rev ..." >&2
    (cd "$src" && sh ./mvnw -q -B -ntp -DskipTests package -pl kernel >&2)
    local version
    version="$(sed -n 's:.*<version>\([^<]*\)</version>.*:\1:p' "$src/pom.xml" | head -n 1)"
    cp "$src/kernel/target/deep-eprop-kernel-$version.jar" "$out"
}

kernel_jar "$rev_a" "$work/a.jar"
kernel_jar "$rev_b" "$work/b.jar"
mkdir -p "$work/classes"
if ! "$JAVA_HOME/bin/javac" -d "$work/classes" --add-modules jdk.incubator.vector -cp "$work/a.jar" \
        "$ROOT/bench/ab/AB.java" "$ROOT/bench/ab/Runner.java" >"$work/javac.log" 2>&1; then
    cat "$work/javac.log" >&2
    echo "ab: the harness does not compile against $rev_a's kernel" >&2
    exit 1
fi
# Each configuration runs twice, in two JVMs, with the jars in swapped slots: the slot itself biases
# a one-JVM ratio by a few per cent (the first slot ran ~5% faster holding either revision), so the
# quoted ratio is the geometric mean of both ways round, sqrt(r1 / r2), and the bias sqrt(r1 r2).
run_ab() {
    "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx8g -cp "$work/classes" AB \
        "$depth" "$width" "$threads" "$seconds" "$1" "$2" "${model:-leaky_tanh}" ${every:+"$every"} 2>&1 \
        | grep -v -x -F 'WARNING: Using incubator modules: jdk.incubator.vector'
}
ratio_of() { sed -n 's:.* / [AB] = \([0-9.]*\) \[.*:\1:p' <<<"$1"; }
for cfg in "${configs[@]}"; do
    IFS=: read -r depth width threads model every <<<"$cfg"
    first="$(run_ab "A=$work/a.jar" "B=$work/b.jar")"
    echo "$first"
    second="$(run_ab "B=$work/b.jar" "A=$work/a.jar")"
    echo "$second"
    r1="$(ratio_of "$first")"; r2="$(ratio_of "$second")"
    if [[ -n "$r1" && -n "$r2" ]]; then
        awk -v a="$r1" -v b="$r2" -v c="$cfg" 'BEGIN { printf "%s both ways round: A / B = %.3f (slot bias %.3f)\n", c, sqrt(a / b), sqrt(a * b) }'
    fi
done
# Which CPU: the same VM has run on an AVX-512 Zen 5 and an AVX2-only Zen 3, and ratios differ between them.
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
family="$(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
cpu_model="$(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
avx512=no; grep -qw avx512f /proc/cpuinfo 2>/dev/null && avx512=yes
echo "ab: A = $rev_a, B = $rev_b (HEAD is $(git -C "$ROOT" rev-parse --short HEAD)); JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1); CPU ${cpu:-unknown} (family ${family:-?} model ${cpu_model:-?}, AVX-512 $avx512); $(date -u +%FT%TZ)"
