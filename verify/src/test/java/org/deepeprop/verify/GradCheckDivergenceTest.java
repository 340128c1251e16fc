package org.deepeprop.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Well-formed cases the kernel refuses to run (issue 6): state that overflows float range, and an
 * ALIF adaptation that cannot decay. Both exit 1 with one line and no stack trace, and write nothing.
 */
class GradCheckDivergenceTest {
    @TempDir
    Path dir;

    private List<String> refused(String json, String... fragments) throws IOException {
        Path in = Files.writeString(dir.resolve("case.json"), json);
        Path out = dir.resolve("out.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GradCheck.run(new String[] {"--case", in.toString(), "--method", "eprop", "--path", "scalar",
            "--out", out.toString()}, new PrintStream(err, true, StandardCharsets.UTF_8));
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, code, lines.toString());
        assertEquals(1, lines.size(), lines.toString());
        for (String f : fragments) {
            assertTrue(lines.get(0).contains(f), lines.get(0));
        }
        assertFalse(Files.exists(out));
        return lines;
    }

    @Test
    void overflowingStateIsReportedWithLayerAndStep() throws IOException {
        refused("""
                {"model": "leaky_tanh", "inputs": 1, "layers": [2], "outputs": 1, "T": 3,
                 "recurrent": true, "alpha": 0.9,
                 "W": [[0.5, 3e38, 3e38, 1.0, 0.5, 3e38, 3e38, 1.0]],
                 "W_out": [1, 1], "b_out": [0], "x": [1, 1, 1], "y": [0, 0, 0]}
                """, "gradcheck: divergence: layer 0 neuron ", " at step ");
    }

    @Test
    void alifAdaptationThatCannotDecayIsRefused() throws IOException {
        refused("""
                {"model": "alif", "inputs": 1, "layers": [2], "outputs": 1, "T": 2,
                 "recurrent": false, "alpha": 0.9, "beta": 10,
                 "W": [[0.5, 0.1, 0.5, 0.1]],
                 "W_out": [1, 1], "b_out": [0], "x": [1, 1], "y": [0, 0]}
                """, "gradcheck: beta: got 10.0, expected beta * gamma / v_th < 1 + rho");
    }
}
