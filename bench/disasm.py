"""Disassembles HotSpot's -XX:+PrintAssembly output when no working hsdis library is installed: the
JVM then prints each compiled method's machine code as hex words, which this decodes with objdump,
keeping the JVM's annotations (calls, safepoint polls, oop maps) as ';;' lines where they fall.

    java -XX:+UnlockDiagnosticVMOptions \\
         -XX:CompileCommand=print,org.deepeprop.simd.VectorProduct::gemm6x2 ... > out.txt
    python3 bench/disasm.py out.txt            # every C2 method in the file, in order
    python3 bench/disasm.py out.txt --last     # only the last one (the final compile)

Needs objdump (binutils)."""
import re
import subprocess
import sys
import tempfile

CODE = re.compile(r"\s*0x([0-9a-f]+): (.*)")


def c2_methods(lines):
    """Yields (header, lines) for each C2-compiled method in the dump."""
    start = None
    for i, line in enumerate(lines):
        if line.startswith("Compiled method ("):
            if start is not None:
                yield lines[start], lines[start:i]
            start = i if line.startswith("Compiled method (c2)") else None
    if start is not None:
        yield lines[start], lines[start:]


def decode(lines):
    code, base, notes = bytearray(), None, {}
    for line in lines:
        m = CODE.match(line)
        if not m:
            continue
        addr, rest = int(m.group(1), 16), m.group(2)
        if rest.startswith(";"):
            notes.setdefault(addr, []).append(rest.strip())
            continue
        words = rest.replace("|", "").replace(" ", "")
        if not re.fullmatch(r"[0-9a-f]+", words):
            continue
        if base is None:
            base = addr
        code.extend(b"\x90" * (addr - base - len(code)))  # gaps between sections: nops
        code.extend(bytes.fromhex(words))
    if base is None:
        return []
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(code)
        f.flush()
        listing = subprocess.run(["objdump", "-D", "-b", "binary", "-mi386:x86-64", f"--adjust-vma={base:#x}",
                                  f.name], capture_output=True, text=True, check=True).stdout
    out = []
    for line in listing.splitlines():
        m = re.match(r"\s*([0-9a-f]+):", line)
        if m:
            out.extend(";; " + n for n in notes.get(int(m.group(1), 16), []))
            out.append(line)
    return out


def main(argv):
    if len(argv) not in (2, 3) or (len(argv) == 3 and argv[2] != "--last"):
        sys.exit("usage: python3 bench/disasm.py PRINT_ASSEMBLY_OUTPUT [--last]")
    methods = list(c2_methods(open(argv[1]).read().splitlines()))
    if not methods:
        sys.exit(f"disasm.py: no 'Compiled method (c2)' in {argv[1]}")
    for header, lines in methods[-1:] if len(argv) == 3 else methods:
        print(header)
        print("\n".join(decode(lines)))


if __name__ == "__main__":
    main(sys.argv)
