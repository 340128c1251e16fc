package org.deepeprop.experiment.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tasks generate what their documentation claims. */
class TasksTest {

    @Test
    void delayedXorAnswersTheXorOfItsTwoCuesOnlyInTheAnswerWindow() {
        DelayedXor task = new DelayedXor();
        SplittableRandom rng = new SplittableRandom(1);
        int[] seen = new int[2];
        int agree = 0;
        int samples = 300;
        for (int n = 0; n < samples; n++) {
            Sequence s = task.sample(rng);
            assertEquals(DelayedXor.STEPS, s.steps());
            double a = window(s, 0, 0);
            double b = 0;
            for (int onset = DelayedXor.EARLIEST_B; onset <= DelayedXor.LATEST_B; onset++) {
                double w = window(s, 1, onset); // the cue is the window that stands out of the noise
                b = Math.abs(w) > Math.abs(b) ? w : b;
            }
            double[] go = new double[2];
            for (int t = 0; t < s.steps(); t++) {
                boolean answer = t >= DelayedXor.STEPS - DelayedXor.ANSWER;
                assertEquals(answer, s.target()[t] != null, "target only in the answer window, t=" + t);
                go[answer ? 1 : 0] += s.x()[t][2];
            }
            assertEquals(1, go[1] / DelayedXor.ANSWER, 0.5, "go signal in the answer window");
            assertEquals(0, go[0] / (DelayedXor.STEPS - DelayedXor.ANSWER), 0.2, "no go signal before it");
            int xor = Math.signum(a) != Math.signum(b) ? 1 : 0;
            agree += xor == s.label() ? 1 : 0;
            assertEquals(s.label() == 1 ? 1.0 : -1.0, s.target()[s.steps() - 1][0]);
            seen[s.label()]++;
        }
        // A 2-step cue in noise of sd 0.3 can hide among 20 candidate windows: rarely, not often.
        assertTrue(agree > 0.95 * samples, agree + " of " + samples + " agree with the cues read off the input");
        assertTrue(seen[0] > 100 && seen[1] > 100, "both answers occur: " + seen[0] + "/" + seen[1]);
    }

    private static double window(Sequence s, int channel, int onset) {
        double sum = 0;
        for (int t = onset; t < onset + DelayedXor.CUE; t++) {
            sum += s.x()[t][channel];
        }
        return sum;
    }

    @Test
    void evidenceLabelIsTheSideWithMoreCueSpikesAndTheTargetIsOneHotAtTheEnd() {
        EvidenceAccumulation task = new EvidenceAccumulation();
        SplittableRandom rng = new SplittableRandom(2);
        int agree = 0;
        int samples = 300;
        for (int n = 0; n < samples; n++) {
            Sequence s = task.sample(rng);
            assertEquals(EvidenceAccumulation.STEPS, s.steps());
            int[] spikes = new int[2];
            for (int t = 0; t < s.steps(); t++) {
                for (int i = 0; i < 2 * EvidenceAccumulation.GROUP; i++) {
                    double v = s.x()[t][i];
                    assertTrue(v == 0 || v == 1, "inputs are spikes");
                    spikes[i / EvidenceAccumulation.GROUP] += (int) v;
                }
                if (t < s.steps() - EvidenceAccumulation.ANSWER) {
                    assertNull(s.target()[t]);
                } else {
                    assertNotNull(s.target()[t]);
                    assertArrayEquals(s.label() == 1 ? new double[] {0, 1} : new double[] {1, 0}, s.target()[t]);
                }
            }
            agree += (spikes[1] > spikes[0] ? 1 : 0) == s.label() ? 1 : 0;
        }
        // Cue spikes are random, so a 3-2 split can be outvoted by chance; most sequences agree.
        assertTrue(agree > 0.85 * samples, agree + " of " + samples + " agree with the spike count");
    }

    @Test
    void patternGenerationIsOneFrozenSequenceWithATargetAtEveryStep() {
        PatternGeneration task = new PatternGeneration();
        Sequence a = task.sample(new SplittableRandom(1));
        Sequence b = task.sample(new SplittableRandom(2));
        assertSame(a, b);
        double sum = 0;
        double sumSq = 0;
        for (double[] row : a.target()) {
            assertNotNull(row);
            sum += row[0];
            sumSq += row[0] * row[0];
        }
        double mean = sum / a.steps();
        assertTrue(sumSq / a.steps() - mean * mean > 0.5, "the target varies");
        assertTrue(Math.abs(mean) < 1e-9, "whole periods of sines average to zero");
    }
}
