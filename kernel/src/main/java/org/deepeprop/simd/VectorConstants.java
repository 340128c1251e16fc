package org.deepeprop.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API species, in a class of its own so that {@link TraceOpsProvider} never links
 * against {@code jdk.incubator.vector} (Lucene keeps its constants apart for the same reason).
 *
 * <p>The species is a {@code static final} constant because C2 only turns Vector API calls into
 * single instructions when the species is a compile-time constant: an instance field would make
 * every operation box. So one JVM runs one width; {@code -Ddeepeprop.vectorBits=128|256|512}
 * chooses it: narrower than the machine's, to test 128- and 256-bit code on a 512-bit machine;
 * wider, to test the 512-bit code on an AVX2 machine, where the Vector API emulates it in plain
 * Java (correct, and many times slower: never for measurements).
 */
final class VectorConstants {
    static final int PREFERRED_BITS = FloatVector.SPECIES_PREFERRED.vectorBitSize();
    static final int REQUESTED_BITS = Integer.getInteger(TraceOpsProvider.BITS_PROPERTY, PREFERRED_BITS);
    static final VectorSpecies<Float> SPECIES = REQUESTED_BITS == PREFERRED_BITS
            ? FloatVector.SPECIES_PREFERRED
            : VectorSpecies.of(float.class, VectorShape.forBitSize(REQUESTED_BITS));

    private VectorConstants() {
    }
}
