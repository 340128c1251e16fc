package org.deepeprop.experiment.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deepeprop.experiment.task.PatternGeneration;
import org.junit.jupiter.api.Test;

/** The drift probes of the online experiment. */
class OnlineRunTest {

    @Test
    void withUpdatesAtTheEndTheRunningEngineIsTheFrozenOneAndWithOnlineUpdatesItDrifts() {
        OnlineRun.Result end = OnlineRun.run(new PatternGeneration(), 2, 1, 0, 3, 0.01f, 3, 1, new int[] {3});
        OnlineRun.Result online = OnlineRun.run(new PatternGeneration(), 2, 1, 1, 3, 0.05f, 3, 1, new int[] {3});
        assertEquals(OnlineRun.PROBE_STEPS, end.probes().size());
        for (DriftProbe p : end.probes()) {
            for (double c : p.engineVsFrozen()) {
                assertEquals(1.0, c, 1e-4, "step " + p.step());
            }
        }
        double worst = online.probes().stream().mapToDouble(p -> p.engineVsFrozen()[2]).min().orElseThrow();
        assertTrue(worst < 0.9999, "online updates change what the traces hold: " + worst);
    }
}
