package org.deepeprop.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.train.Adam;
import org.deepeprop.train.Optimizer;
import org.deepeprop.train.Sgd;
import org.deepeprop.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The threading contract: a network is confined to one thread, but any number of networks may run
 * at once in one JVM, sharing the kernels (stateless) and a stateless optimiser ({@link Sgd}), and
 * each gives exactly the results it gives alone.
 */
class ConcurrencyTest {
    private static final int STEPS = 300;

    private static List<Trainer> learners() {
        Sgd shared = new Sgd(0.01f);
        List<Trainer> list = new ArrayList<>();
        for (NeuronModel model : NeuronModel.values()) {
            for (boolean factorise : new boolean[] {true, false}) {
                DeepEpropNetwork net = new DeepEpropNetwork(Learners.config(model, Path.AUTO, factorise,
                        factorise ? Feedback.SYMMETRIC : Feedback.RANDOM));
                Optimizer optimizer = factorise ? shared : new Adam(0.01f);
                list.add(new Trainer(net, optimizer, factorise ? 5 : 0));
            }
        }
        return list;
    }

    @Test
    void networksOnSeveralThreadsMatchTheSameNetworksRunAlone() throws Exception {
        List<byte[]> alone = new ArrayList<>();
        for (Trainer t : learners()) {
            Learners.run(t, 0, STEPS, 50);
            alone.add(Learners.fingerprint(t));
        }

        List<Trainer> together = learners();
        ExecutorService pool = Executors.newFixedThreadPool(together.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<byte[]>> results = new ArrayList<>();
            for (Trainer t : together) {
                results.add(pool.submit(() -> {
                    start.await();
                    Learners.run(t, 0, STEPS, 50);
                    return Learners.fingerprint(t);
                }));
            }
            start.countDown();
            for (int i = 0; i < results.size(); i++) {
                assertArrayEquals(alone.get(i), results.get(i).get(60, TimeUnit.SECONDS),
                        "learner " + i + " (" + together.get(i).network().config() + ")");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
