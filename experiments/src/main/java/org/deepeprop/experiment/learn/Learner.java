package org.deepeprop.experiment.learn;

import java.util.List;
import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;
import org.deepeprop.experiment.task.Sequence;

/** Something that trains a network on batches of sequences. Not thread-safe. */
public interface Learner {

    /** One update: the summed gradients of {@code batch}, then one Adam step. */
    void train(List<Sequence> batch);

    /** A copy of the current weights. */
    Params params();

    /**
     * A learner for {@code method} starting from {@code init} (copied).
     *
     * @param feedbackSeed seed of the fixed random feedback matrices, for the rules that use them
     */
    static Learner create(Method method, NetSpec spec, Params init, float learningRate, long feedbackSeed) {
        return method.kernel()
                ? new KernelLearner(spec, init, learningRate, method == Method.DEEP_EPROP_RANDOM ? feedbackSeed : null)
                : new DoubleLearner(method, spec, init, learningRate, feedbackSeed);
    }
}
