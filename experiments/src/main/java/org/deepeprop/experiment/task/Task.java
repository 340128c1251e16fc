package org.deepeprop.experiment.task;

import java.util.SplittableRandom;
import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;

/**
 * A small temporal task: the network it is learned with, how that network is initialised, how
 * sequences are drawn and how it is trained. Classification tasks are scored by accuracy of the
 * readout averaged over the steps that have a target; regression tasks by normalised mean squared
 * error (NMSE: squared error over the variance of the target, so 1 is "predicts the mean").
 */
public interface Task {

    /** Short name used in CSV files and plots. */
    String name();

    /** The network of the given depth this task is learned with. */
    NetSpec spec(int depth);

    /** Initial weight distribution. */
    Params.Init init();

    /** Draws one sequence. */
    Sequence sample(SplittableRandom rng);

    /** Whether sequences carry a class label (scored by accuracy) rather than a regression target (NMSE). */
    boolean classification();

    /** Training schedule for a full run, or a shortened one for {@code --quick}. */
    Schedule schedule(boolean quick);

    /**
     * How a task is trained: {@code iterations} updates of {@code batch} sequences each with Adam at
     * {@code learningRate}, evaluated on {@code testSize} held-out sequences every {@code evalEvery}
     * updates.
     */
    record Schedule(int iterations, int batch, float learningRate, int evalEvery, int testSize) {
    }

    /** The three tasks of the learning experiment. */
    static Task[] all() {
        return new Task[] {new DelayedXor(), new EvidenceAccumulation(), new PatternGeneration()};
    }
}
