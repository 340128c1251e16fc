package org.deepeprop.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deepeprop.net.NetworkConfig;
import org.junit.jupiter.api.Test;

/** The cost model's counts, worked out by hand for networks small enough to add up. */
class CostModelTest {

    @Test
    void factorFormCountsTheFactor() {
        // theta_0 = 3 x 6 = 18, theta_1 = 4 x 8 = 32. Layer 0: forward 18, pbar 6, Q 18, its
        // contraction 18. Layer 1: forward 32, pbar 8, gradient 32.
        NetworkConfig c = NetworkConfig.builder().inputs(2).layers(3, 4).outputs(1).recurrent(true).build();
        assertEquals(18 + 6 + 18 + 18 + 32 + 8 + 32, CostModel.of(c).fmas());
        // Without factor forms: T^{1<-0} is 4 x 18 = 72 and its contraction 4 x 18.
        NetworkConfig dense = NetworkConfig.builder().inputs(2).layers(3, 4).outputs(1).recurrent(true)
                .factorise(false).build();
        assertEquals(18 + 18 + 72 + 72 + 32 + 32 + 32, CostModel.of(dense).fmas());
    }

    @Test
    void depthThreeFeedsTheFactorThroughItsCoefficients() {
        // No recurrence, width 2 everywhere: P = 3, theta = 6. Layer 0: forward 6, pbar 3, Q (for
        // T^{1<-0}) 6, T^{2<-0} 2 x 6 plus A W^1 2 x 2 x 2 = 20, gradient 2 x 6 = 12. Layer 1: 6, 3,
        // Q 6, contraction 6. Layer 2: 6, 3, gradient 6.
        NetworkConfig c = NetworkConfig.builder().inputs(2).layers(2, 2, 2).outputs(1).build();
        assertEquals((6 + 3 + 6 + 20 + 12) + (6 + 3 + 6 + 6) + (6 + 3 + 6), CostModel.of(c).fmas());
    }
}
