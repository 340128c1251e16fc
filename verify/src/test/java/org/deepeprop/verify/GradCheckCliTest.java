package org.deepeprop.verify;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.deepeprop.net.NetworkConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gradcheck command in-process: every kind of malformed case and bad flag exits 2 with one
 * line naming the key and writes nothing; a good case round-trips with the documented keys and
 * shapes.
 */
class GradCheckCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Two layers without recurrence: inputs 2, layers [3, 2] (P = 3, 4), outputs 1, T = 3. */
    private static final String BASE = """
            {"model": "leaky_tanh", "inputs": 2, "layers": [3, 2], "outputs": 1, "T": 3,
             "recurrent": false, "alpha": 0.9,
             "W": [[0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8, -0.9],
                   [0.2, 0.1, -0.3, 0.05, -0.4, 0.3, 0.2, 0.1]],
             "W_out": [0.5, -0.7], "b_out": [0.1],
             "x": [1, 0.5, -0.3, 0.2, 0.8, -1], "y": [0.3, -0.2, 0.5]}
            """;
    private static final List<String> REQUIRED =
            List.of("model", "inputs", "layers", "outputs", "T", "recurrent", "alpha", "W", "W_out", "b_out", "x", "y");

    @TempDir
    Path dir;

    private record Result(int code, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = GradCheck.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Result(code, bytes.toString(StandardCharsets.UTF_8));
    }

    private Path caseFile(String json) throws IOException {
        return Files.writeString(dir.resolve("case.json"), json);
    }

    private Result gradcheck(Path caseFile, String method, String path, Path out) {
        return run("--case", caseFile.toString(), "--method", method, "--path", path, "--out", out.toString());
    }

    /** Exit 2, exactly one line on stderr that contains {@code key}, no output file. */
    private static void assertRejected(Result r, String key, Path out) {
        List<String> lines = r.err().lines().toList();
        assertAll(
                () -> assertEquals(2, r.code(), "exit code; stderr: " + r.err()),
                () -> assertEquals(1, lines.size(), "stderr lines: " + r.err()),
                () -> assertTrue(r.err().contains(key), "stderr should name " + key + ": " + r.err()),
                () -> assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err()),
                () -> assertFalse(Files.exists(out), "no output file may be written"));
    }

    private static ObjectNode base() {
        try {
            return (ObjectNode) JSON.readTree(BASE);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The base case with one change, as JSON text. */
    private static String with(Consumer<ObjectNode> change) {
        ObjectNode c = base();
        change.accept(c);
        return c.toString();
    }

    /** The base case with one compact-JSON fragment replaced, for what a tree cannot hold (NaN, 1e400). */
    private static String replacing(String fragment, String replacement) {
        String text = base().toString();
        assertTrue(text.contains(fragment), "fixture: " + fragment + " not in " + text);
        return text.replace(fragment, replacement);
    }

    static Stream<Arguments> malformedCases() {
        List<Arguments> cases = new ArrayList<>();
        for (String key : REQUIRED) {
            cases.add(Arguments.of("missing " + key, with(c -> c.remove(key)), key));
        }
        cases.addAll(List.of(
                // wrong types
                Arguments.of("string where number", with(c -> c.put("inputs", "2")), "inputs"),
                Arguments.of("string alpha", with(c -> c.put("alpha", "0.9")), "alpha"),
                Arguments.of("number where array", with(c -> c.put("W_out", 0.5)), "W_out"),
                Arguments.of("string boolean", with(c -> c.put("recurrent", "false")), "recurrent"),
                Arguments.of("number model", with(c -> c.put("model", 3)), "model"),
                Arguments.of("number layers", with(c -> c.put("layers", 3)), "layers"),
                Arguments.of("non-integer layer width", with(c -> ((ArrayNode) c.get("layers")).set(1, 2.5)), "layers[1]"),
                Arguments.of("non-integer T", with(c -> c.put("T", 3.5)), "T"),
                Arguments.of("string in W", with(c -> ((ArrayNode) c.get("W").get(1)).set(5, "x")), "W[1][5]"),
                Arguments.of("number where W[0] array", with(c -> ((ArrayNode) c.get("W")).set(0, 1.0)), "W[0]"),
                Arguments.of("null in x", with(c -> ((ArrayNode) c.get("x")).setNull(2)), "x[2]"),
                Arguments.of("null B", with(c -> c.putNull("B")), "B"),
                Arguments.of("object root", "[1, 2]", "--case"),
                // wrong lengths
                Arguments.of("W with one layer", with(c -> ((ArrayNode) c.get("W")).remove(1)), "W"),
                Arguments.of("short W[0]", with(c -> ((ArrayNode) c.get("W").get(0)).remove(0)), "W[0]"),
                Arguments.of("W without recurrent block", with(c -> c.put("recurrent", true)), "W[0]"),
                Arguments.of("long W_out", with(c -> ((ArrayNode) c.get("W_out")).add(1)), "W_out"),
                Arguments.of("long b_out", with(c -> ((ArrayNode) c.get("b_out")).add(1)), "b_out"),
                Arguments.of("short B", with(c -> c.putArray("B").add(1)), "B"),
                Arguments.of("short x", with(c -> ((ArrayNode) c.get("x")).remove(0)), "x"),
                Arguments.of("long y", with(c -> ((ArrayNode) c.get("y")).add(0)), "y"),
                // numbers a float32 kernel cannot take
                Arguments.of("NaN as string", replacing("\"b_out\":[0.1]", "\"b_out\":[\"NaN\"]"), "b_out[0]"),
                Arguments.of("NaN literal", replacing("\"b_out\":[0.1]", "\"b_out\":[NaN]"), "b_out[0]"),
                Arguments.of("Infinity literal", replacing("\"y\":[0.3", "\"y\":[-Infinity"), "y[0]"),
                Arguments.of("1e400", replacing("-0.4,0.3,0.2,0.1]]", "-0.4,1e400,0.2,0.1]]"), "W[1][5]"),
                Arguments.of("beyond float32", replacing("\"x\":[1,", "\"x\":[-1e39,"), "x[0]"),
                // non-positive sizes
                Arguments.of("zero inputs", with(c -> c.put("inputs", 0)), "inputs"),
                Arguments.of("zero layer width", with(c -> ((ArrayNode) c.get("layers")).set(1, 0)), "layers[1]"),
                Arguments.of("no layers", with(c -> c.putArray("layers")), "layers"),
                Arguments.of("negative outputs", with(c -> c.put("outputs", -1)), "outputs"),
                Arguments.of("zero T", with(c -> c.put("T", 0)), "T"),
                // parameters outside their domain
                Arguments.of("alpha 1.0", with(c -> c.put("alpha", 1.0)), "alpha"),
                Arguments.of("alpha rounding to 1f", with(c -> c.put("alpha", 0.99999999999)), "alpha"),
                Arguments.of("negative alpha", with(c -> c.put("alpha", -0.1)), "alpha"),
                Arguments.of("rho 1.0", with(c -> c.put("rho", 1.0)), "rho"),
                Arguments.of("zero v_th", with(c -> c.put("v_th", 0)), "v_th"),
                Arguments.of("negative gamma", with(c -> c.put("gamma", -1)), "gamma"),
                Arguments.of("negative beta", with(c -> c.put("beta", -0.5)), "beta"),
                Arguments.of("unknown model", with(c -> c.put("model", "gru")), "model"),
                // the document itself
                Arguments.of("unknown key", with(c -> c.put("aplha", 0.5)), "aplha"),
                Arguments.of("duplicate key", BASE.replace("\"T\": 3,", "\"T\": 3, \"T\": 4,"), "T"),
                Arguments.of("truncated JSON", BASE.substring(0, BASE.length() / 2), "--case"),
                Arguments.of("trailing garbage", BASE + "}", "--case"),
                Arguments.of("empty file", "", "--case")));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedCases")
    void malformedCaseIsRejected(String label, String json, String key) throws IOException {
        Path out = dir.resolve("out.json");
        assertRejected(gradcheck(caseFile(json), "bptt", "scalar", out), key, out);
    }

    static Stream<Arguments> badFlags() {
        return Stream.of(
                Arguments.of(new String[] {"--case", "C", "--method", "bptt", "--path", "scalar"}, "--out"),
                Arguments.of(new String[] {}, "--case"),
                Arguments.of(new String[] {"--case", "C", "--method", "sgd", "--path", "scalar", "--out", "O"}, "--method"),
                Arguments.of(new String[] {"--case", "C", "--method", "bptt", "--path", "gpu", "--out", "O"}, "--path"),
                Arguments.of(new String[] {"--case", "C", "--method", "bptt", "--path", "scalar", "--out", "O", "--seed", "1"},
                        "--seed"),
                Arguments.of(new String[] {"--case", "C", "--method", "bptt", "--path", "scalar", "--out"}, "--out"),
                Arguments.of(new String[] {"--case", "C", "--case", "C", "--method", "bptt", "--path", "scalar", "--out", "O"},
                        "--case"),
                Arguments.of(new String[] {"--case", "missing.json", "--method", "bptt", "--path", "scalar", "--out", "O"},
                        "--case"),
                Arguments.of(new String[] {"--case", "C", "--method", "bptt", "--path", "scalar", "--out", "no/such/dir/o.json"},
                        "--out"),
                Arguments.of(new String[] {"--case", "C", "--method", "bptt", "--path", "scalar", "--out", "."}, "--out"),
                Arguments.of(new String[] {"--case", "C", "--method", "bptt", "--path", "scalar", "--out", "o\0.json"},
                        "--out"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badFlags")
    void badFlagsAreRejected(String[] template, String key) throws IOException {
        Path caseFile = caseFile(BASE);
        Path out = dir.resolve("O");
        String[] args = template.clone();
        for (int i = 0; i < args.length; i++) {
            args[i] = switch (args[i]) {
                case "C" -> caseFile.toString();
                case "O" -> out.toString();
                case "missing.json", "no/such/dir/o.json", "." -> dir.resolve(args[i]).toString();
                default -> args[i];
            };
        }
        assertRejected(run(args), key, out);
    }

    @Test
    void vectorPathWithoutTheModuleNamesTheFlag() throws IOException {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty(),
                "only the scalar-fallback run lacks the module");
        Path out = dir.resolve("out.json");
        assertRejected(gradcheck(caseFile(BASE), "eprop", "vector", out), "--add-modules jdk.incubator.vector", out);
    }

    @Test
    void bpttRoundTrip() throws Exception {
        Path out = dir.resolve("out.json");
        Files.writeString(out, "stale"); // replaced atomically on success
        Result r = gradcheck(caseFile(BASE), "bptt", "scalar", out);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());

        JsonNode json = JSON.readTree(out.toFile());
        assertEquals(Set.of("loss", "grad_W", "grad_W_out", "grad_b_out", "method", "path"), keys(json));
        assertEquals("bptt", json.get("method").textValue());
        assertEquals("scalar", json.get("path").textValue());
        assertTrue(json.get("loss").isNumber() && json.get("loss").doubleValue() > 0, "loss: " + json.get("loss"));
        assertEquals(2, json.get("grad_W").size());
        assertEquals(3 * 3, json.get("grad_W").get(0).size());
        assertEquals(2 * 4, json.get("grad_W").get(1).size());
        assertEquals(2, json.get("grad_W_out").size());
        assertEquals(1, json.get("grad_b_out").size());

        Gradients expected = Bptt.run(CaseJson.parse(BASE));
        assertEquals(expected.loss(), json.get("loss").doubleValue());
        assertArrayEquals(expected.gradW()[1], doubles(json.get("grad_W").get(1)));
        assertArrayEquals(expected.gradBout(), doubles(json.get("grad_b_out")));
        assertEquals(Set.of("case.json", "out.json"), files(), "no temporary file may be left behind");
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void epropRoundTripAgreesWithBptt(String path) throws Exception {
        assumeTrue(path.equals("scalar") || ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the vector path needs the module");
        Path out = dir.resolve("out.json");
        Result r = gradcheck(caseFile(BASE), "eprop", path, out);
        assertEquals(0, r.code(), r.err());

        JsonNode json = JSON.readTree(out.toFile());
        assertEquals("eprop", json.get("method").textValue());
        assertEquals(path, json.get("path").textValue());
        // No recurrence and B = W_out^T: deep e-prop is exact (SPEC.md section 4).
        Gradients bptt = Bptt.run(CaseJson.parse(BASE));
        for (int l = 0; l < 2; l++) {
            double err = Metrics.relativeError(doubles(json.get("grad_W").get(l)), bptt.gradW()[l]);
            assertTrue(err <= 1e-4, "grad_W[" + l + "] relative error " + err);
        }
    }

    @Test
    void optionalKeysTakeTheKernelDefaults() throws Exception {
        Case c = CaseJson.parse(BASE.replace("\"leaky_tanh\"", "\"LIF\""));
        assertEquals("lif", c.model());
        assertEquals(NetworkConfig.DEFAULT_V_TH, c.vTh());
        assertEquals(NetworkConfig.DEFAULT_GAMMA, c.gamma());
        assertEquals(NetworkConfig.DEFAULT_BETA, c.beta());
        assertEquals(NetworkConfig.DEFAULT_RHO, c.rho());
        assertNull(c.B());
        assertArrayEquals(new int[] {3, 2}, c.layers());
    }

    private Set<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).doubleValue();
        }
        return values;
    }
}
