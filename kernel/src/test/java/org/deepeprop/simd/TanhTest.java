package org.deepeprop.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The tanh approximation both paths share, against {@link Math#tanh} over the whole float range. */
class TanhTest {

    @Test
    void withinFourUlpOfMathTanhOddAndBounded() {
        double worst = 0;
        float worstAt = 0;
        // Every 1009th positive float, and its negative: about 4 million values across all binades.
        for (int bits = 0; bits < 0x7f800000; bits += 1009) {
            float v = Float.intBitsToFloat(bits);
            float r = ScalarTraceOps.tanh(v);
            float expected = (float) Math.tanh(v);
            double ulps = Math.abs(r - expected) / Math.ulp(expected);
            if (ulps > worst) {
                worst = ulps;
                worstAt = v;
            }
            assertTrue(r >= 0f && r <= 1f, "tanh(" + v + ") = " + r + ", outside [0, 1]");
            assertEquals(Float.floatToIntBits(-r), Float.floatToIntBits(ScalarTraceOps.tanh(-v)), "odd at " + v);
        }
        assertTrue(worst <= 4, "worst error " + worst + " ulp at " + worstAt);
        assertEquals(1f, ScalarTraceOps.tanh(Float.MAX_VALUE));
        assertEquals(1f, ScalarTraceOps.tanh(Float.POSITIVE_INFINITY));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(ScalarTraceOps.tanh(-0f)));
    }
}
