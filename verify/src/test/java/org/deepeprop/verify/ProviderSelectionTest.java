package org.deepeprop.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.deepeprop.net.DeepEpropNetwork;
import org.deepeprop.net.NetworkConfig;
import org.deepeprop.net.Path;
import org.deepeprop.simd.TraceOpsProvider;
import org.junit.jupiter.api.Test;

/**
 * The build runs this suite twice (see the parent pom): with {@code --add-modules
 * jdk.incubator.vector} and {@code -Ddeepeprop.expect=vector}, and without the module and with
 * {@code -Ddeepeprop.expect=scalar}. This test asserts that each run got the path it claims.
 */
class ProviderSelectionTest {

    @Test
    void chosenPathMatchesTheRun() {
        String expect = System.getProperty("deepeprop.expect");
        assumeTrue(expect != null, "not started by the build's surefire executions");
        NetworkConfig auto = NetworkConfig.builder().inputs(2).layers(3).outputs(1).build();
        DeepEpropNetwork net = new DeepEpropNetwork(auto);
        if (expect.equals("vector")) {
            assertTrue(TraceOpsProvider.vector().isPresent(), TraceOpsProvider.vectorUnavailableReason());
            assertTrue(net.vectorised());
            assertTrue(TraceOpsProvider.get().name().startsWith("vector-"));
            String bits = System.getProperty(TraceOpsProvider.BITS_PROPERTY);
            if (bits != null) {
                assertEquals("vector-" + bits, TraceOpsProvider.get().name());
            }
        } else {
            assertEquals("scalar", expect);
            assertFalse(TraceOpsProvider.vector().isPresent());
            assertFalse(net.vectorised());
            String reason = TraceOpsProvider.vectorUnavailableReason();
            assertNotNull(reason);
            assertTrue(reason.contains("--add-modules jdk.incubator.vector"), reason);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new DeepEpropNetwork(
                    NetworkConfig.builder().inputs(2).layers(3).outputs(1).path(Path.VECTOR).build()));
            assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
        }
    }
}
