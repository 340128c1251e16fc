package org.deepeprop.jmh.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latency files and the PyTorch CSV. */
class OtherInputsTest {
    @TempDir
    Path dir;

    /** The layout of HdrHistogram's outputPercentileDistribution (values scaled to microseconds). */
    private static final String HGRM = """
                   Value     Percentile TotalCount 1/(1-Percentile)

                  15.311 0.000000000000          2           1.00
                  15.735 0.500000000000      10435           2.00
                  21.119 0.900000000000      18002          10.00
                  58.000 0.989062500000      19781          91.43
                  59.007 0.990625000000      19813         106.67
                 102.015 0.999023437500      19981        1024.00
                8183.807 1.000000000000      20000
            #[Mean    =       18.771, StdDeviation   =       72.337]
            #[Max     =     8183.807, Total count    =        20000]
            #[Buckets =           27, SubBuckets     =         2048]
            """;

    @Test
    void hgrmPercentilesAndWhichAreExact() throws IOException {
        Path file = dir.resolve("latency-leaky_tanh-rec-d2-w32-vector.hgrm");
        Files.writeString(file, HGRM);
        Hgrm h = Hgrm.read(file);
        assertEquals("leaky_tanh rec d=2 w=32", h.config());
        assertEquals("vector", h.path());
        assertEquals(20000, h.count());
        assertArrayEquals(new double[] {15.735, 21.119, 59.007, 102.015, 8183.807}, h.percentiles());
        // p99 and p99.9 fall between rows: the next row up is an upper bound.
        assertArrayEquals(new boolean[] {true, true, false, false, true}, h.exact());
    }

    @Test
    void hgrmWithAnotherNameKeepsTheFileName() throws IOException {
        Path file = dir.resolve("run.hgrm");
        Files.writeString(file, HGRM);
        assertEquals("run.hgrm", Hgrm.read(file).label());
    }

    @Test
    void hgrmWithoutRowsIsRefused() throws IOException {
        Path file = dir.resolve("empty.hgrm");
        Files.writeString(file, "nothing here\n");
        assertThrows(IOException.class, () -> Hgrm.read(file));
    }

    @Test
    void torchCsvSkipsHeadersCommentsAndStrayLines() throws IOException {
        Path file = dir.resolve("torch_step.csv");
        Files.writeString(file, """
                # torch 1.13.0a0, BLAS: OpenBLAS Cooperlake, OPENBLAS_CORETYPE=(unset)
                model,depth,width,recurrent,threads,us_per_step
                leaky_tanh,2,64,true,1,168.00
                UserWarning: something torch says on stderr
                model,depth,width,recurrent,threads,us_per_step
                leaky_tanh,2,64,true,2,516.29
                leaky_tanh,2,64,true,1,160.00
                """);
        TorchCsv t = TorchCsv.read(file);
        assertEquals(List.of("torch 1.13.0a0, BLAS: OpenBLAS Cooperlake, OPENBLAS_CORETYPE=(unset)"), t.comments());
        assertEquals(2, t.points().size());
        TorchCsv.Point one = t.points().get(0);
        assertEquals(new Dataset.Config("leaky_tanh", true, 2, 64), one.config());
        assertEquals(1, one.threads());
        assertEquals(160.0, one.micros(), "a later line for the same configuration replaces the earlier one");
    }
}
