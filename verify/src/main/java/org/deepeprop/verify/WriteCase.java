package org.deepeprop.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Writes seeded {@link Cases#randomWellConditioned} cases as gradcheck JSON (SPEC.md section 6), for
 * the cross-checks against other frameworks in {@code bench/peers/}.
 *
 * <pre>
 * java -cp KERNEL_JAR:VERIFY_JAR:verify/target/lib/* org.deepeprop.verify.WriteCase \
 *     OUT.json MODEL INPUTS L1,L2,.. OUTPUTS T RECURRENT REC_SCALE SEED [B_SEED]
 * ... WriteCase --batch     (the same argument lists, one per line on stdin; # starts a comment)
 * </pre>
 *
 * <p>With {@code B_SEED} the case gets an explicit random feedback matrix {@code B}
 * ({@code n_L x n_out}, entries {@code N(0, 1) / sqrt(n_out)} rounded to float32). For every case
 * written it prints one line: the file, the threshold margin and the smallest active fraction of a
 * layer (see {@link Cases#thresholdMargin}, {@link Cases#activeFraction}). Exit 2 on a bad
 * argument list, 1 if no well-conditioned seed exists or the file cannot be written.
 */
public final class WriteCase {
    private static final String USAGE = "usage: WriteCase OUT.json MODEL INPUTS L1,L2,.. OUTPUTS T RECURRENT"
            + " REC_SCALE SEED [B_SEED]   |   WriteCase --batch < lines";

    private WriteCase() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("--batch")) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            int status = 0;
            for (String line; (line = in.readLine()) != null; ) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                status = Math.max(status, one(s.split("\\s+")));
            }
            System.exit(status);
        }
        System.exit(one(args));
    }

    private static int one(String[] a) {
        if (a.length != 9 && a.length != 10) {
            System.err.println("WriteCase: got " + Arrays.toString(a) + "; " + USAGE);
            return 2;
        }
        Case c;
        try {
            int[] layers = Arrays.stream(a[3].split(",")).mapToInt(Integer::parseInt).toArray();
            c = Cases.randomWellConditioned(a[1], Integer.parseInt(a[2]), layers, Integer.parseInt(a[4]),
                    Integer.parseInt(a[5]), Boolean.parseBoolean(a[6]), Double.parseDouble(a[7]),
                    Long.parseLong(a[8]));
            if (a.length == 10) {
                c = Cases.withB(c, feedback(c, Long.parseLong(a[9])));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("WriteCase: " + String.join(" ", a) + ": " + e.getMessage() + "; " + USAGE);
            return 2;
        } catch (IllegalStateException e) {
            System.err.println("WriteCase: " + String.join(" ", a) + ": " + e.getMessage());
            return 1;
        }
        try {
            Files.writeString(Path.of(a[0]), toJson(c) + "\n");
        } catch (IOException e) {
            System.err.println("WriteCase: cannot write " + a[0] + " (" + e + ")");
            return 1;
        }
        System.out.printf(Locale.ROOT, "%s margin=%.3g active=%.3f%n", a[0], Cases.thresholdMargin(c),
                Cases.activeFraction(c));
        return 0;
    }

    /** A random feedback matrix, {@code n_L x n_out} row-major, float32-representable. */
    private static double[] feedback(Case c, long seed) {
        Random rng = new Random(seed);
        double[] b = new double[c.layers()[c.depth() - 1] * c.outputs()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (rng.nextGaussian() / Math.sqrt(c.outputs()));
        }
        return b;
    }

    /** The case as gradcheck JSON; every number is written exactly (shortest round-trip double). */
    static String toJson(Case c) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("model", c.model());
        root.put("inputs", c.inputs());
        ArrayNode layers = root.putArray("layers");
        for (int n : c.layers()) {
            layers.add(n);
        }
        root.put("outputs", c.outputs());
        root.put("T", c.T());
        root.put("recurrent", c.recurrent());
        root.put("alpha", c.alpha());
        root.put("v_th", c.vTh());
        root.put("gamma", c.gamma());
        root.put("beta", c.beta());
        root.put("rho", c.rho());
        ArrayNode w = root.putArray("W");
        for (double[] wl : c.W()) {
            numbers(w.addArray(), wl);
        }
        numbers(root.putArray("W_out"), c.Wout());
        numbers(root.putArray("b_out"), c.bout());
        if (c.B() != null) {
            numbers(root.putArray("B"), c.B());
        }
        numbers(root.putArray("x"), c.x());
        numbers(root.putArray("y"), c.y());
        return root.toString();
    }

    private static void numbers(ArrayNode node, double[] values) {
        for (double v : values) {
            node.add(v);
        }
    }
}
