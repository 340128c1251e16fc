package org.deepeprop.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deepeprop.net.DivergenceException;
import org.deepeprop.net.Path;
import org.deepeprop.simd.TraceOpsProvider;
import org.deepeprop.verify.CaseJson.InvalidCaseException;

/**
 * The gradient-check command of SPEC.md section 6: reads one case as JSON, computes its loss and
 * gradients with deep e-prop (the float32 kernel) or exact BPTT (double precision) and writes them
 * as JSON.
 *
 * <pre>./eprop gradcheck --case CASE.json --method eprop|bptt --path scalar|vector --out OUT.json</pre>
 *
 * <p>Exit codes: 0 on success; 2 for a usage error or an invalid case (one line on stderr naming the
 * flag or key, the value and what was expected); 1 if the computation or the write fails. The output
 * file appears only on success: it is written to a temporary file beside it and renamed atomically.
 * For {@code bptt} the path is echoed but changes nothing (and needs no Vector API).
 */
public final class GradCheck {
    static final String USAGE =
            "usage: ./eprop gradcheck --case CASE.json --method eprop|bptt --path scalar|vector --out OUT.json";
    private static final List<String> FLAGS = List.of("--case", "--method", "--path", "--out");
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private GradCheck() {
    }

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /**
     * Runs the command without exiting, so tests can call it in-process.
     *
     * @param err where the one-line diagnosis goes
     * @return the exit code: 0, 1 or 2 as described on the class
     */
    static int run(String[] args, PrintStream err) {
        try {
            Options options = Options.parse(args);
            if (options == null) {
                err.println(USAGE);
                return 0;
            }
            Case c = CaseJson.read(options.casePath());
            Gradients g = compute(c, options);
            write(g, options);
            return 0;
        } catch (UsageException | InvalidCaseException e) {
            err.println("gradcheck: " + e.getMessage());
            return 2;
        } catch (FailedException e) {
            err.println("gradcheck: " + e.getMessage());
            return 1;
        }
    }

    /** The four flags, checked: every one given exactly once, with an accepted value. */
    private record Options(java.nio.file.Path casePath, String method, Path path, java.nio.file.Path out) {

        /** Parses {@code args}; returns {@code null} for {@code --help}. */
        static Options parse(String[] args) throws UsageException {
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help") || flag.equals("-h")) {
                    return null;
                }
                if (!FLAGS.contains(flag)) {
                    throw new UsageException(flag + ": unknown argument, expected one of " + String.join(", ", FLAGS));
                }
                if (i + 1 == args.length) {
                    throw new UsageException(flag + ": got no value");
                }
                if (given.put(flag, args[++i]) != null) {
                    throw new UsageException(flag + ": given twice, expected once");
                }
            }
            for (String flag : FLAGS) {
                if (!given.containsKey(flag)) {
                    throw new UsageException(flag + ": missing");
                }
            }
            String method = given.get("--method");
            if (!method.equals("eprop") && !method.equals("bptt")) {
                throw new UsageException("--method: got \"" + method + "\", expected eprop or bptt");
            }
            Path path = switch (given.get("--path")) {
                case "scalar" -> Path.SCALAR;
                case "vector" -> Path.VECTOR;
                default -> throw new UsageException(
                        "--path: got \"" + given.get("--path") + "\", expected scalar or vector");
            };
            java.nio.file.Path out = file("--out", given.get("--out")).toAbsolutePath();
            // Checked before the (possibly long) computation, so a typo in --out costs nothing.
            if (Files.isDirectory(out)) {
                throw new UsageException("--out: got " + out + ", expected a file name, not a directory");
            }
            if (!Files.isDirectory(out.getParent())) {
                throw new UsageException("--out: got " + out + ", expected a file in an existing directory");
            }
            return new Options(file("--case", given.get("--case")), method, path, out);
        }

        private static java.nio.file.Path file(String flag, String name) throws UsageException {
            try {
                return java.nio.file.Path.of(name);
            } catch (InvalidPathException e) {
                throw new UsageException(flag + ": got \"" + name + "\", expected a file name (" + e.getReason() + ")");
            }
        }

        /** The path name as given on the command line, for the output's {@code path} key. */
        String pathName() {
            return path.name().toLowerCase(Locale.ROOT);
        }
    }

    private static Gradients compute(Case c, Options options) throws UsageException, FailedException {
        if (options.method().equals("bptt")) {
            return Bptt.run(c);
        }
        if (options.path() == Path.VECTOR) {
            // The module layer first: asking the kernel's provider would log a warning of its own.
            if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
                throw new UsageException("--path: got vector, but the Vector API is not enabled: run java with "
                        + "--add-modules " + VECTOR_MODULE + " (./eprop does)");
            }
            if (TraceOpsProvider.vector().isEmpty()) {
                throw new UsageException("--path: got vector, but " + TraceOpsProvider.vectorUnavailableReason());
            }
        }
        try {
            return KernelRunner.run(c, options.path());
        } catch (IllegalArgumentException | DivergenceException e) {
            // The case is valid, but the kernel cannot hold it (e.g. not enough heap) or its state
            // overflows float range (the divergence names the layer and step).
            throw new FailedException(e.getMessage());
        }
    }

    private static void write(Gradients g, Options options) throws FailedException {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("method", options.method());
        root.put("path", options.pathName());
        root.put("loss", finite("loss", g.loss()));
        ArrayNode gradW = root.putArray("grad_W");
        for (int l = 0; l < g.gradW().length; l++) {
            array(gradW.addArray(), "grad_W[" + l + "]", g.gradW()[l]);
        }
        array(root.putArray("grad_W_out"), "grad_W_out", g.gradWout());
        array(root.putArray("grad_b_out"), "grad_b_out", g.gradBout());

        java.nio.file.Path out = options.out();
        java.nio.file.Path tmp = null;
        try {
            tmp = Files.createTempFile(out.getParent(), "." + out.getFileName() + ".", ".tmp");
            Files.writeString(tmp, root.toString() + "\n");
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new FailedException("--out: cannot write " + out + " (" + e + ")");
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void array(ArrayNode node, String key, double[] values) throws FailedException {
        for (int i = 0; i < values.length; i++) {
            node.add(finite(key + "[" + i + "]", values[i]));
        }
    }

    /** JSON has no NaN or infinity: a non-finite result fails the run rather than write a string. */
    private static double finite(String key, double value) throws FailedException {
        if (!Double.isFinite(value)) {
            throw new FailedException(key + ": computed " + value + ", expected a finite number; nothing written");
        }
        return value;
    }

    private static void deleteQuietly(java.nio.file.Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // Only a leftover hidden temp file; the exit code already tells what happened.
        }
    }

    /** A bad command line (exit 2). */
    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message + " (" + USAGE + ")");
        }
    }

    /** A valid request that could not be completed (exit 1). */
    private static final class FailedException extends Exception {
        private static final long serialVersionUID = 1L;

        FailedException(String message) {
            super(message);
        }
    }
}
