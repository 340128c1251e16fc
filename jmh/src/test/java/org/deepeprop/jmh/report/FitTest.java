package org.deepeprop.jmh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FitTest {

    private static List<Fit.Point> powerLaw(double c, double k, double... xs) {
        List<Fit.Point> pts = new ArrayList<>();
        for (double x : xs) {
            pts.add(new Fit.Point(x, c * Math.pow(x, k)));
        }
        return pts;
    }

    @Test
    void exactPowerLawIsRecovered() {
        Fit fit = Fit.of(powerLaw(3.5, 2.75, 16, 32, 64, 128));
        assertEquals(2.75, fit.exponent(), 1e-12);
        assertEquals(3.5, fit.prefactor(), 1e-9);
        assertEquals(1.0, fit.r2(), 1e-12);
        assertEquals(4, fit.n());
        assertEquals(16, fit.xMin());
        assertEquals(128, fit.xMax());
        assertEquals(3.5 * Math.pow(50, 2.75), fit.at(50), 1e-6 * fit.at(50));
    }

    @Test
    void fewerThanThreeDistinctPointsIsNoFit() {
        assertNull(Fit.of(List.of()));
        assertNull(Fit.of(powerLaw(1, 2, 32, 64)));
        // Repeating an x adds no information about the slope.
        assertNull(Fit.of(powerLaw(1, 2, 32, 64, 64)));
        assertEquals("n/a", Fit.exponent(null));
        assertEquals("n/a", Fit.r2(null));
    }

    @Test
    void unusablePointsAreDroppedBeforeCounting() {
        List<Fit.Point> pts = new ArrayList<>(powerLaw(2, 1, 10, 100));
        pts.add(new Fit.Point(1000, 0)); // log of zero
        pts.add(new Fit.Point(1000, Double.NaN));
        assertNull(Fit.of(pts));
        pts.add(new Fit.Point(1000, 2000));
        assertEquals(1.0, Fit.of(pts).exponent(), 1e-12);
    }

    @Test
    void noisyPointsGiveTheLeastSquaresSlope() {
        // Symmetric multiplicative noise around x^4 on a symmetric log grid leaves the slope exact.
        List<Fit.Point> pts = List.of(new Fit.Point(16, Math.pow(16, 4) * 1.1), new Fit.Point(32, Math.pow(32, 4) / 1.1),
                new Fit.Point(64, Math.pow(64, 4) / 1.1), new Fit.Point(128, Math.pow(128, 4) * 1.1));
        Fit fit = Fit.of(pts);
        assertEquals(4.0, fit.exponent(), 1e-12);
        assertTrue(fit.r2() > 0.99 && fit.r2() < 1, "R² " + fit.r2());
        assertEquals("4.00", Fit.exponent(fit));
    }

    @Test
    void slopeMatchesTheClosedFormOnRandomData() {
        SplittableRandom rng = new SplittableRandom(7);
        List<Fit.Point> pts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pts.add(new Fit.Point(rng.nextDouble(1, 1000), rng.nextDouble(1, 1000)));
        }
        double n = pts.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Fit.Point p : pts) {
            double x = Math.log(p.x());
            double y = Math.log(p.y());
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        assertEquals(slope, Fit.of(pts).exponent(), 1e-9);
    }
}
