/*
 * Issue 4's streaming reference on the host at hand: e = d e + k x in C, one core, over the
 * total footprints of LimitsBench.stream (two arrays of footprint / 2 floats). Each footprint
 * runs 9 timed passes of at least 0.1 s; the median is printed, as GB/s (12 bytes per element:
 * read e and x, write e). "aligned" starts both arrays on a 64-byte line; "offset16" 16 bytes
 * past one, as the first element of a Java float[] often is.
 *
 * Built (gcc -O3 -march=native) and run by bench/targets.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

__attribute__((noinline)) static void update(float *restrict e, const float *restrict x, float d, float k, long n) {
    for (long i = 0; i < n; i++) {
        e[i] = d * e[i] + k * x[i];
    }
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static double median_gbs(float *e, const float *x, long n) {
    double rate[9];
    long reps = 1;
    for (;;) { /* calibrate: enough repetitions for 0.1 s */
        double t0 = now();
        for (long r = 0; r < reps; r++) update(e, x, 0.9f, 0.1f, n);
        if (now() - t0 > 0.1) break;
        reps *= 2;
    }
    for (int i = 0; i < 9; i++) {
        double t0 = now();
        for (long r = 0; r < reps; r++) update(e, x, 0.9f, 0.1f, n);
        rate[i] = 12.0 * n * reps / (now() - t0) / 1e9;
    }
    qsort(rate, 9, sizeof rate[0], ascending);
    return rate[4];
}

int main(void) {
    const long footprints[] = {2048, 65536, 1048576, 33554432};
    const char *levels[] = {"L1", "L2", "L3", "DRAM"};
    printf("footprint_floats,level,alignment,gbs\n");
    for (int f = 0; f < 4; f++) {
        long n = footprints[f] / 2;
        float *e = aligned_alloc(64, n * 4 + 64), *x = aligned_alloc(64, n * 4 + 64);
        for (long i = 0; i < n + 16; i++) {
            e[i] = (i % 7) * 0.1f;
            x[i] = (i % 5) * 0.1f;
        }
        printf("%ld,%s,aligned,%.1f\n", footprints[f], levels[f], median_gbs(e, x, n));
        printf("%ld,%s,offset16,%.1f\n", footprints[f], levels[f], median_gbs(e + 4, x + 4, n));
        fflush(stdout);
        free(e);
        free(x);
    }
    return 0;
}
