package org.deepeprop.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.deepeprop.net.Checkpoint.InvalidCheckpointException;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.train.Adam;
import org.deepeprop.train.Optimizer;
import org.deepeprop.train.Sgd;
import org.deepeprop.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CheckpointTest {
    private static final int EVERY = 3;
    private static final int SEQUENCE = 20;

    @TempDir
    java.nio.file.Path dir;

    static Stream<Arguments> learners() {
        List<Arguments> cases = new ArrayList<>();
        for (Path path : new Path[] {Path.SCALAR, Path.VECTOR}) {
            for (NeuronModel model : NeuronModel.values()) {
                for (boolean factorise : new boolean[] {true, false}) {
                    cases.add(Arguments.of(path, model, factorise));
                }
            }
        }
        return cases.stream();
    }

    private static Trainer trainer(NeuronModel model, Path path, boolean factorise) {
        // Random feedback on half the cases, so the explicit matrix goes through the file too.
        Feedback feedback = factorise ? Feedback.SYMMETRIC : Feedback.RANDOM;
        DeepEpropNetwork net = new DeepEpropNetwork(Learners.config(model, path, factorise, feedback));
        return new Trainer(net, new Adam(0.01f), EVERY);
    }

    /**
     * Stops mid-sequence between two online updates, then continues the original and the restored
     * copy through updates, steps without a target and sequence ends: every bit of state must agree.
     */
    @ParameterizedTest(name = "{0} {1} factorise={2}")
    @MethodSource("learners")
    void resumingIsBitIdenticalToNeverStopping(Path path, NeuronModel model, boolean factorise) throws IOException {
        assumeTrue(path != Path.VECTOR || Learners.vectorAvailable(), "Vector API not enabled in this run");
        Trainer original = trainer(model, path, factorise);
        Learners.run(original, 0, 31, SEQUENCE);
        assertEquals(2, original.sinceUpdate(), "stopped between two updates (11 steps into the second sequence)");
        java.nio.file.Path file = dir.resolve("learner.ckpt");
        Checkpoint.save(original, file);

        Checkpoint restored = Checkpoint.load(file);
        Trainer copy = restored.trainer();
        assertNotNull(copy);
        assertTrue(copy.network() == restored.network() && copy.optimizer() == restored.optimizer());
        assertEquals(path, copy.network().config().path());
        assertEquals(original.network().kernelName(), copy.network().kernelName());
        assertEquals(original.network().config().toString(), copy.network().config().toString());
        Learners.assertSameLearner(original, copy);

        Learners.run(original, 31, 40, SEQUENCE);
        Learners.run(copy, 31, 40, SEQUENCE);
        Learners.assertSameLearner(original, copy);
    }

    /** A learner saved on the vector path resumes on the scalar one, equal within float rounding. */
    @Test
    void vectorCheckpointResumesOnScalarPath() throws IOException {
        assumeTrue(Learners.vectorAvailable(), "Vector API not enabled in this run");
        Trainer original = trainer(NeuronModel.LEAKY_TANH, Path.VECTOR, true);
        Learners.run(original, 0, 25, SEQUENCE);
        java.nio.file.Path file = dir.resolve("vector.ckpt");
        Checkpoint.save(original, file);
        Trainer scalar = Checkpoint.load(file, Path.SCALAR).trainer();
        assertEquals(Path.SCALAR, scalar.network().config().path());
        assertFalse(scalar.network().vectorised());
        Learners.run(original, 25, 30, SEQUENCE);
        Learners.run(scalar, 25, 30, SEQUENCE);
        for (int l = 0; l < 3; l++) {
            assertClose(original.network().weights(l), scalar.network().weights(l), "weights " + l);
            assertClose(original.network().gradient(l), scalar.network().gradient(l), "gradient " + l);
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (double) (expected[i] - actual[i]);
            norm += expected[i] * (double) expected[i];
        }
        assertTrue(Math.sqrt(diff) <= 1e-4 * Math.sqrt(norm) + 1e-6, what + ": relative error "
                + Math.sqrt(diff / Math.max(norm, 1e-30)));
    }

    @Test
    void networkAloneOrWithOptimiser() throws IOException {
        DeepEpropNetwork net = new DeepEpropNetwork(Learners.config(NeuronModel.LIF, Path.SCALAR, true,
                Feedback.SYMMETRIC));
        net.setFeedback(new float[] {1, 2, 3, 4, 5, 6}); // an explicit B on a symmetric network survives
        Sgd sgd = new Sgd(0.05f);
        Trainer driver = new Trainer(net, sgd, 4);
        Learners.run(driver, 0, 13, 100);

        java.nio.file.Path plain = dir.resolve("plain.ckpt");
        Checkpoint.save(net, plain);
        Checkpoint a = Checkpoint.load(plain);
        assertNull(a.optimizer());
        assertNull(a.trainer());
        assertEquals(net.steps(), a.network().steps());

        java.nio.file.Path withSgd = dir.resolve("sgd.ckpt");
        Checkpoint.save(net, sgd, withSgd);
        Checkpoint b = Checkpoint.load(withSgd);
        assertNull(b.trainer());
        assertEquals(0.05f, assertInstanceOf(Sgd.class, b.optimizer()).learningRate());

        // Both continue like the original when driven by the same schedule from here.
        Trainer resumed = Trainer.restore(b.network(), b.optimizer(), 4, driver.sinceUpdate());
        Learners.run(driver, 13, 20, 100);
        Learners.run(resumed, 13, 20, 100);
        Learners.assertSameLearner(driver, resumed);
    }

    /** A network that applies every step's terms ({@code deferSteps(1)}) is restored as one. */
    @Test
    void deferStepsSurvive() throws IOException {
        NetworkConfig config = NetworkConfig.builder().inputs(3).layers(5, 4).outputs(2).model(NeuronModel.ALIF)
                .path(Path.SCALAR).deferSteps(1).build();
        DeepEpropNetwork net = new DeepEpropNetwork(config);
        java.nio.file.Path file = dir.resolve("per-step.ckpt");
        Checkpoint.save(net, file);
        assertEquals(1, Checkpoint.load(file).network().config().deferSteps());
    }

    @Test
    void randomFeedbackSwitchedToSymmetricStaysSymmetric() throws IOException {
        DeepEpropNetwork net = new DeepEpropNetwork(Learners.config(NeuronModel.LEAKY_TANH, Path.SCALAR, true,
                Feedback.RANDOM));
        net.setFeedback(null);
        java.nio.file.Path file = dir.resolve("sym.ckpt");
        Checkpoint.save(net, file);
        assertNull(Checkpoint.load(file).network().feedbackArray());
    }

    @Test
    void saveRefusesWhatItCannotPersist() {
        DeepEpropNetwork net = new DeepEpropNetwork(Learners.config(NeuronModel.LIF, Path.SCALAR, true,
                Feedback.SYMMETRIC));
        Optimizer custom = new Optimizer() {
            @Override
            public void beginUpdate() {
            }

            @Override
            public void update(int tensor, float[] param, float[] grad) {
            }
        };
        java.nio.file.Path file = dir.resolve("x.ckpt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(net, custom, file));
        assertTrue(e.getMessage().startsWith("optimizer: got "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save((Trainer) null, file));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(net, null));
        assertFalse(Files.exists(file));
        assertEquals(List.of(), listDir());
    }

    // ---------------------------------------------------------------------------------------------
    // Atomic writes

    @Test
    void failedSaveLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Trainer trainer = trainer(NeuronModel.ALIF, Path.SCALAR, true);
        Learners.run(trainer, 0, 10, SEQUENCE);
        java.nio.file.Path file = dir.resolve("learner.ckpt");
        Checkpoint.save(trainer, file);
        byte[] good = Files.readAllBytes(file);
        assertEquals(List.of("learner.ckpt"), listDir(), "a successful save leaves no temporary file");

        Learners.run(trainer, 10, 5, SEQUENCE);
        UncheckedIOException crash = new UncheckedIOException(new IOException("simulated crash before rename"));
        assertThrows(UncheckedIOException.class, () -> Checkpoint.save(trainer.network(), trainer.optimizer(),
                trainer, file, () -> {
                    throw crash;
                }));
        assertArrayEquals(good, Files.readAllBytes(file), "the target still holds the previous checkpoint");
        assertEquals(List.of("learner.ckpt"), listDir(), "the temporary file is removed");
        assertEquals(10, Checkpoint.load(file).network().steps());

        Checkpoint.save(trainer, file); // and a later save replaces it
        assertEquals(15, Checkpoint.load(file).network().steps());
        assertEquals(List.of("learner.ckpt"), listDir());
    }

    @Test
    void saveIntoMissingDirectoryFailsCleanly() {
        Trainer trainer = trainer(NeuronModel.LEAKY_TANH, Path.SCALAR, true);
        assertThrows(NoSuchFileException.class, () -> Checkpoint.save(trainer, dir.resolve("no/such/dir/x.ckpt")));
        assertEquals(List.of(), listDir());
    }

    @Test
    void saveRefusesADivergedLearnerAndKeepsTheGoodCheckpoint() throws IOException {
        DeepEpropNetwork net = new DeepEpropNetwork(NetworkConfig.builder().inputs(2).layers(4).outputs(1)
                .recurrent(true).path(Path.SCALAR).build());
        float[] ones = new float[4 * (2 + 4 + 1)];
        Arrays.fill(ones, 1f);
        net.setWeights(0, ones);
        Trainer trainer = new Trainer(net, new Sgd(0.01f), 5);
        java.nio.file.Path file = dir.resolve("good.ckpt");
        Checkpoint.save(trainer, file);
        byte[] good = Files.readAllBytes(file);
        assertThrows(DivergenceException.class, () -> trainer.step(new float[] {3e38f, 3e38f}, new float[1]));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Checkpoint.save(trainer, file));
        assertTrue(e.getMessage().contains("refusing to save a diverged learner"), e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(file));
        assertEquals(List.of("good.ckpt"), listDir());
    }

    private List<String> listDir() {
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Refused files

    private byte[] savedBytes() throws IOException {
        Trainer trainer = trainer(NeuronModel.ALIF, Path.SCALAR, false);
        Learners.run(trainer, 0, 8, SEQUENCE);
        java.nio.file.Path file = dir.resolve("source.ckpt");
        Checkpoint.save(trainer, file);
        return Files.readAllBytes(file);
    }

    private String refused(byte[] bytes, String... fragments) throws IOException {
        java.nio.file.Path file = dir.resolve("bad.ckpt");
        Files.write(file, bytes);
        InvalidCheckpointException e = assertThrows(InvalidCheckpointException.class, () -> Checkpoint.load(file));
        String m = e.getMessage();
        assertTrue(m.startsWith("checkpoint " + file + ": "), m);
        assertFalse(m.contains("\n"), "one line: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), () -> "message \"" + m + "\" lacks \"" + f + "\"");
        }
        return m;
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        byte[] good = savedBytes();
        refused(new byte[0], "truncated: 0 bytes");
        refused(Arrays.copyOf(good, 5), "truncated: 5 bytes");
        refused(Arrays.copyOf(good, 12), "truncated: 12 bytes");
        for (int cut : new int[] {24, good.length / 2, good.length - 4, good.length - 1}) {
            refused(Arrays.copyOf(good, cut), "truncated: " + cut + " bytes, expected " + good.length);
        }
        refused(Arrays.copyOf(good, good.length + 3), "length: " + (good.length + 3) + " bytes, expected "
                + good.length);
    }

    @Test
    void corruptedFilesAreRefused() throws IOException {
        byte[] good = savedBytes();
        // Every byte of the payload and the checksum, sampled: a flipped bit never loads.
        for (int i = 20; i < good.length; i += Math.max(1, good.length / 97)) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            refused(bad, "checksum: got CRC32C", "(the file is corrupted)");
        }
        byte[] lastByte = good.clone();
        lastByte[good.length - 1] ^= 1;
        refused(lastByte, "checksum");
        byte[] length = good.clone();
        length[19] ^= 1;
        refused(length, good.length + " bytes, expected " + (24 + ((good.length - 24) ^ 1)));
    }

    @Test
    void wrongMagicOrVersionIsRefused() throws IOException {
        byte[] good = savedBytes();
        byte[] magic = good.clone();
        magic[0] = '{';
        refused(magic, "magic bytes: got \"{EEPEPRP\", expected \"DEEPEPRP\" (not a deep e-prop checkpoint)");
        refused("{\"model\": \"lif\", \"inputs\": 3}\n".getBytes(StandardCharsets.UTF_8), "magic bytes");
        byte[] version = good.clone();
        ByteBuffer.wrap(version).putInt(8, Checkpoint.FORMAT_VERSION + 1);
        refused(version, "format version: got " + (Checkpoint.FORMAT_VERSION + 1) + ", expected "
                + Checkpoint.FORMAT_VERSION);
    }

    /** Files with a valid checksum but an invalid value (written by a buggy or hostile writer). */
    @Test
    void invalidValuesBehindAValidChecksumAreRefused() throws IOException {
        byte[] good = savedBytes();
        // Layout of the config: inputs, depth, 3 widths, outputs, "ALIF", recurrent, 4 floats,
        // "RANDOM", seed, "SCALAR", factorise, threads, deferSteps, then alpha[0] (length, floats).
        int model = 20 + 4 + 4 + 12 + 4;
        assertEquals("ALIF", new String(good, model + 4, 4, StandardCharsets.US_ASCII));
        int deferSteps = model + 8 + 1 + 16 + 10 + 8 + 10 + 1 + 4;
        assertEquals(NetworkConfig.DEFAULT_DEFER_STEPS, ByteBuffer.wrap(good).getInt(deferSteps));
        int alpha0 = deferSteps + 4 + 4;
        assertEquals(NetworkConfig.DEFAULT_ALPHA, ByteBuffer.wrap(good).getFloat(alpha0));

        byte[] decay = good.clone();
        ByteBuffer.wrap(decay).putFloat(alpha0, 1f);
        refused(resum(decay), "config: alphaPerNeuron[0][0]: got 1.0, expected a decay in [0, 1)");

        byte[] defer = good.clone();
        ByteBuffer.wrap(defer).putInt(deferSteps, 0);
        refused(resum(defer), "config: deferSteps: got 0, expected an integer in [1, 256]");

        byte[] unknownModel = good.clone();
        unknownModel[model + 4] = 'X';
        refused(resum(unknownModel), "model: got \"XLIF\", expected one of [LEAKY_TANH, LIF, ALIF]");

        byte[] width = good.clone();
        ByteBuffer.wrap(width).putInt(20 + 8, 0);
        refused(resum(width), "config: layers[0]: got 0, expected an integer >= 1");

        // The first weight follows the alphas (5 + 4 + 3 floats with their lengths), steps, loss, the
        // traced flag, one factor-form flag per layer, and a segment flag and its decay power per layer.
        int flags = alpha0 + 5 * 4 + (4 + 4 * 4) + (4 + 3 * 4) + 8 + 8;
        int segments = flags + 1 + 3;
        int weight0 = segments + 3 * (1 + 8) + 4;
        byte[] factor = good.clone();
        factor[flags + 1 + 1] = 1;
        refused(resum(factor), "factor form of layer 1: got true, expected false");

        byte[] segment = good.clone();
        segment[segments + 2 * 9] = 1;
        refused(resum(segment), "segment form of layer 2: got true, expected false");

        byte[] power = good.clone();
        ByteBuffer.wrap(power).putDouble(segments + 1, 2.0);
        refused(resum(power), "segment decay power of layer 0: got 2.0, expected a number in [0, 1]");

        byte[] lower = good.clone();
        lower[segments + 9] = 1;
        refused(resum(lower), "segment form of layer 1: got true, expected false");

        byte[] lowerPower = good.clone();
        ByteBuffer.wrap(lowerPower).putDouble(segments + 9 + 1, -0.5);
        refused(resum(lowerPower), "segment decay power of layer 1: got -0.5, expected a number in [0, 1]");

        byte[] nan = good.clone();
        ByteBuffer.wrap(nan).putFloat(weight0, Float.NaN);
        refused(resum(nan), "layer 0 weights[0]: got NaN, expected a finite number");

        byte[] steps = good.clone();
        ByteBuffer.wrap(steps).putLong(flags - 16, -1);
        refused(resum(steps), "step counter: got -1, expected >= 0");

        byte[] length = good.clone();
        ByteBuffer.wrap(length).putInt(weight0 - 4, 7);
        refused(resum(length), "layer 0 weights: got length 7, expected 45");
    }

    /** Recomputes the checksum of a file whose payload was edited. */
    private static byte[] resum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 20, bytes.length - 24);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }

    @Test
    void missingFileIsAnIoError() {
        assertThrows(NoSuchFileException.class, () -> Checkpoint.load(dir.resolve("absent.ckpt")));
    }
}
