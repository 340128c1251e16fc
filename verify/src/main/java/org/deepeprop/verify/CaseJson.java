package org.deepeprop.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.deepeprop.net.NetworkConfig;
import org.deepeprop.neuron.NeuronModel;

/**
 * Reads a gradient-check case (SPEC.md section 6) from JSON into a {@link Case}, strictly.
 *
 * <p>Every problem is reported as an {@link InvalidCaseException} whose message is one line of the
 * form {@code KEY: got VALUE, expected WHAT}, where {@code KEY} is the key path (e.g.
 * {@code W[1][5]}, {@code layers[0]}). Rejected: malformed, truncated or trailing JSON, duplicate or
 * unknown keys (a typo must not fall back to a default), missing required keys, {@code null},
 * values of the wrong type, non-integer or non-positive sizes, arrays of the wrong length, numbers
 * that are NaN, infinite or outside the float32 range (the kernel computes in float32), and
 * parameters outside their domain. Optional keys take the kernel's defaults
 * ({@link NetworkConfig#DEFAULT_V_TH} and friends); an absent {@code B} becomes {@code null}.
 */
public final class CaseJson {
    /** Every accepted key, in the order of SPEC.md section 6. */
    private static final List<String> KEYS = List.of("model", "inputs", "layers", "outputs", "T", "recurrent",
            "alpha", "v_th", "gamma", "beta", "rho", "W", "W_out", "b_out", "B", "x", "y");

    // Big decimals keep the number as written (1e400 stays 1E+400 in a message instead of Infinity);
    // NaN and Infinity tokens are allowed so they are reported at their key, not as a parse error.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CaseJson() {
    }

    /** A case that cannot be read; the message is one line naming the key, the value and what was expected. */
    public static final class InvalidCaseException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidCaseException(String message) {
            super(message);
        }
    }

    /**
     * Reads and validates the case in {@code file}.
     *
     * @throws InvalidCaseException if the file cannot be read or the case is invalid
     */
    public static Case read(Path file) throws InvalidCaseException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidCaseException("--case: got " + file + ", expected an existing file");
        } catch (IOException e) {
            throw new InvalidCaseException("--case: cannot read " + file + " (" + e.getMessage() + ")");
        }
        return parse(text, "--case " + file);
    }

    /**
     * Parses and validates one case from JSON text.
     *
     * @throws InvalidCaseException if the text is not a valid case
     */
    public static Case parse(String json) throws InvalidCaseException {
        return parse(json, "case");
    }

    /** Parses {@code json}; {@code source} names it in messages about the document as a whole. */
    private static Case parse(String json, String source) throws InvalidCaseException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            throw new InvalidCaseException(source + ": malformed JSON" + at + ": " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidCaseException(source + ": got an empty document, expected a JSON object");
        }
        if (!root.isObject()) {
            throw bad(source, root, "a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                // Quoted, so a key holding a line break still gives a one-line message.
                throw new InvalidCaseException(TextNode.valueOf(key) + ": unknown key, expected only "
                        + String.join(", ", KEYS));
            }
        }
        return new Reader(root).read();
    }

    /** Reads the keys of one validated root object, in dependency order (sizes before arrays). */
    private static final class Reader {
        private final JsonNode root;

        Reader(JsonNode root) {
            this.root = root;
        }

        Case read() throws InvalidCaseException {
            String model = model();
            int inputs = size("inputs", required("inputs"));
            int[] layers = layers();
            int outputs = size("outputs", required("outputs"));
            int steps = size("T", required("T"));
            boolean recurrent = bool("recurrent");
            double alpha = decay("alpha", required("alpha"));
            double vTh = root.has("v_th") ? positive("v_th", root.get("v_th")) : NetworkConfig.DEFAULT_V_TH;
            double gamma = root.has("gamma") ? nonNegative("gamma", root.get("gamma")) : NetworkConfig.DEFAULT_GAMMA;
            double beta = root.has("beta") ? nonNegative("beta", root.get("beta")) : NetworkConfig.DEFAULT_BETA;
            double rho = root.has("rho") ? decay("rho", root.get("rho")) : NetworkConfig.DEFAULT_RHO;

            int depth = layers.length;
            JsonNode w = required("W");
            if (!w.isArray()) {
                throw bad("W", w, "an array of " + depth + " arrays (one per layer)");
            }
            if (w.size() != depth) {
                throw new InvalidCaseException("W: got " + w.size() + " arrays, expected " + depth + " (one per layer)");
            }
            double[][] weights = new double[depth][];
            for (int l = 0; l < depth; l++) {
                long pre = (l == 0 ? inputs : layers[l - 1]) + (recurrent ? layers[l] : 0) + 1L;
                weights[l] = numbers("W[" + l + "]", w.get(l), (long) layers[l] * pre,
                        "layers[" + l + "] x P_" + l + " = " + layers[l] + " x " + pre);
            }
            int top = layers[depth - 1];
            double[] wOut = numbers("W_out", required("W_out"), (long) outputs * top,
                    "outputs x layers[" + (depth - 1) + "] = " + outputs + " x " + top);
            double[] bOut = numbers("b_out", required("b_out"), outputs, "outputs");
            double[] b = root.has("B")
                    ? numbers("B", root.get("B"), (long) top * outputs,
                            "layers[" + (depth - 1) + "] x outputs = " + top + " x " + outputs)
                    : null;
            double[] x = numbers("x", required("x"), (long) steps * inputs, "T x inputs = " + steps + " x " + inputs);
            double[] y = numbers("y", required("y"), (long) steps * outputs, "T x outputs = " + steps + " x " + outputs);
            return new Case(model, inputs, layers, outputs, steps, recurrent, alpha, vTh, gamma, beta, rho,
                    weights, wOut, bOut, b, x, y);
        }

        private JsonNode required(String key) throws InvalidCaseException {
            JsonNode node = root.get(key);
            if (node == null) {
                throw new InvalidCaseException(key + ": missing, expected " + describe(key));
            }
            return node;
        }

        private String model() throws InvalidCaseException {
            JsonNode node = required("model");
            if (!node.isTextual()) {
                throw bad("model", node, describe("model"));
            }
            try {
                // Canonical lower-case name, the form SPEC.md uses and the references switch on.
                return NeuronModel.parse(node.textValue()).name().toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw bad("model", node, describe("model")); // our message escapes the value to one line
            }
        }

        private int[] layers() throws InvalidCaseException {
            JsonNode node = required("layers");
            if (!node.isArray() || node.isEmpty()) {
                throw bad("layers", node, describe("layers"));
            }
            int[] widths = new int[node.size()];
            for (int l = 0; l < widths.length; l++) {
                widths[l] = size("layers[" + l + "]", node.get(l));
            }
            return widths;
        }

        private boolean bool(String key) throws InvalidCaseException {
            JsonNode node = required(key);
            if (!node.isBoolean()) {
                throw bad(key, node, describe(key));
            }
            return node.booleanValue();
        }

        private static int size(String key, JsonNode node) throws InvalidCaseException {
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
                throw bad(key, node, "an integer >= 1");
            }
            return node.intValue();
        }

        private static double decay(String key, JsonNode node) throws InvalidCaseException {
            double v = number(key, node);
            if (!(v >= 0 && (float) v < 1)) { // 0.999999999 rounds to 1 in the float32 kernel
                throw bad(key, node, "a decay in [0, 1)");
            }
            return v;
        }

        private static double positive(String key, JsonNode node) throws InvalidCaseException {
            double v = number(key, node);
            if (!((float) v > 0)) { // a tiny threshold must not round to 0 in the float32 kernel
                throw bad(key, node, "a number > 0");
            }
            return v;
        }

        private static double nonNegative(String key, JsonNode node) throws InvalidCaseException {
            double v = number(key, node);
            if (!(v >= 0)) {
                throw bad(key, node, "a number >= 0");
            }
            return v;
        }

        private static double[] numbers(String key, JsonNode node, long length, String shape)
                throws InvalidCaseException {
            String expected = "an array of " + length + " numbers (" + shape + ")";
            if (!node.isArray()) {
                throw bad(key, node, expected);
            }
            if (node.size() != length) {
                throw new InvalidCaseException(key + ": got an array of " + node.size() + " elements, expected " + length
                        + " (" + shape + ")");
            }
            double[] values = new double[node.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = number(key + "[" + i + "]", node.get(i));
            }
            return values;
        }

        /** A number the float32 kernel can hold: finite and at most {@link Float#MAX_VALUE} in magnitude. */
        private static double number(String key, JsonNode node) throws InvalidCaseException {
            if (!node.isNumber()) {
                throw bad(key, node, "a number");
            }
            double v = node.doubleValue();
            if (!(Math.abs(v) <= Float.MAX_VALUE)) {
                throw bad(key, node, "a finite number within the float32 range (|v| <= " + Float.MAX_VALUE + ")");
            }
            return v;
        }
    }

    /** What a required top-level key must hold, for the "missing" and wrong-type messages. */
    private static String describe(String key) {
        return switch (key) {
            case "model" -> "one of \"leaky_tanh\", \"lif\", \"alif\"";
            case "inputs", "outputs", "T" -> "an integer >= 1";
            case "layers" -> "a non-empty array of layer widths (integers >= 1)";
            case "recurrent" -> "true or false";
            case "alpha" -> "a decay in [0, 1)";
            case "W" -> "an array with one weight array per layer";
            default -> "an array of numbers";
        };
    }

    private static InvalidCaseException bad(String key, JsonNode value, String expected) {
        return new InvalidCaseException(key + ": got " + show(value) + ", expected " + expected);
    }

    /** The value as written, shortened so the message stays one readable line. */
    private static String show(JsonNode value) {
        if (value == null) {
            return "nothing";
        }
        String kind = value.isTextual() ? "string " : value.isArray() ? "array " : value.isObject() ? "object " : "";
        // numberValue() rather than toString(): Jackson would print NaN as the string "NaN".
        String text = value.isNumber() ? value.numberValue().toString() : value.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return kind + text;
    }

    private static String firstLine(String message) {
        String m = message == null ? "unreadable" : message.strip();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }
}
