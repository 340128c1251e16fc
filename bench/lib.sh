# Shared by bench/targets.sh and bench/ratios.sh (sourced, not run).

# Exits with a message naming the script unless the number of rounds is a positive integer.
need_rounds() {
    [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "$1: ROUNDS must be a positive integer, got '$2'" >&2; exit 2; }
}

# Exits with a message naming the script unless /usr/bin/python3 has torch (the PyTorch peer).
need_torch() {
    /usr/bin/python3 -c 'import torch' 2>/dev/null || {
        echo "$1: needs torch for /usr/bin/python3 (bench/peers/README.md)" >&2; exit 1; }
}

# Creates results/NAME-<UTC time>/ with cpu.txt (the CPU's name, then avx512f or not) and prints its path.
run_dir() {
    local out
    out="results/$1-$(date -u +%Y%m%d-%H%M%S)"
    mkdir -p "$out"
    grep -m1 "model name" /proc/cpuinfo | sed 's/^[^:]*: //' > "$out/cpu.txt"
    grep -qw avx512f /proc/cpuinfo && echo "avx512f" >> "$out/cpu.txt" || echo "no avx512f" >> "$out/cpu.txt"
    echo "$out"
}
