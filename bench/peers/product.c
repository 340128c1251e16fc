/* The deep update's product in C: a twin of the Java kernel's path below 512 bits
 * (VectorTraceOps.decayGemm -> VectorProduct.gemm -> gemmRows), t = diag(d) t + a b, at
 * ProductBench's shapes (N x N x N(2N+1), and its in-cache span of 256 columns), one thread. It
 * separates what the JIT's code costs from what the algorithm costs:
 *
 *   panels           the Java kernel's order for these shapes: rows in chunks of
 *                    32768 / cols / 12 * 12 when that is 48 or more (120 rows at 256 columns),
 *                    else all at once; in each chunk every panel of 32 columns of b packed, then
 *                    every 6-row block as two 6 x 2 tiles (12 accumulators of 8 floats) and the
 *                    rows left over as 2 x 4 tiles
 *   panels+prefetch  the same, prefetching the next row block's lines of t, which Java cannot do
 *   chunks           4 panels packed at once and row blocks outermost inside them, so each row
 *                    of t is read in order across 128 columns, a pattern hardware prefetchers follow
 *
 * The last two run on the full shapes only. The arrays start 16 bytes into a cache line, as the
 * data of a large Java float[] does (after its header), so rows and panels straddle lines as
 * they do in the JVM. Compiled by bench/targets.sh with gcc -O3 -march=native; needs AVX2 and
 * FMA. On a machine with AVX-512 the Java kernel runs a 4 x 4 tile of 16 floats instead, which
 * this does not copy. Prints CSV: the median of 9 timed runs of about 0.1 s each. */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if !defined(__AVX2__) || !defined(__FMA__)
#error "product.c needs AVX2 and FMA (-march=native on such a machine)"
#endif

#define L 8
#define PANEL (4 * L)
#define CHUNK_PANELS 4
/* A Java float[]'s data starts 16 bytes after the array's (8-byte aligned) start. */
#define JAVA_HEADER_FLOATS 4

static double now(void) {
    struct timespec s;
    clock_gettime(CLOCK_MONOTONIC, &s);
    return s.tv_sec + 1e-9 * s.tv_nsec;
}

/* Rows m..m+5, columns c..c+15, from the packed panel p (rows PANEL floats apart). */
static void tile6x2(float *t, int ld, const float *d, const float *a, int inner, const float *p, int m, int c) {
    float *r = t + (size_t) m * ld + c;
    __m256 acc[6][2];
#pragma GCC unroll 6
    for (int i = 0; i < 6; i++) {
        __m256 di = _mm256_set1_ps(d[m + i]);
        acc[i][0] = _mm256_mul_ps(_mm256_loadu_ps(r + (size_t) i * ld), di);
        acc[i][1] = _mm256_mul_ps(_mm256_loadu_ps(r + (size_t) i * ld + L), di);
    }
    const float *a0 = a + (size_t) m * inner;
    for (int n = 0; n < inner; n++) {
        __m256 b0 = _mm256_loadu_ps(p + n * PANEL);
        __m256 b1 = _mm256_loadu_ps(p + n * PANEL + L);
#pragma GCC unroll 6
        for (int i = 0; i < 6; i++) {
            __m256 x = _mm256_broadcast_ss(a0 + i * inner + n);
            acc[i][0] = _mm256_fmadd_ps(x, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(x, b1, acc[i][1]);
        }
    }
#pragma GCC unroll 6
    for (int i = 0; i < 6; i++) {
        _mm256_storeu_ps(r + (size_t) i * ld, acc[i][0]);
        _mm256_storeu_ps(r + (size_t) i * ld + L, acc[i][1]);
    }
}

/* Rows m, m+1, a whole panel's 32 columns from c: the Java kernel's 2 x 4 tile. Both shapes
 * leave an even number of rows after the 6-row blocks (64 = 10 x 6 + 4, 128 = 21 x 6 + 2), so
 * its 1 x 4 tile has no twin here. */
static void tile2x4(float *t, int ld, const float *d, const float *a, int inner, const float *p, int m, int c) {
    __m256 acc[2][4];
#pragma GCC unroll 2
    for (int i = 0; i < 2; i++) {
        __m256 di = _mm256_set1_ps(d[m + i]);
#pragma GCC unroll 4
        for (int v = 0; v < 4; v++) {
            acc[i][v] = _mm256_mul_ps(_mm256_loadu_ps(t + (size_t) (m + i) * ld + c + v * L), di);
        }
    }
    for (int n = 0; n < inner; n++) {
        __m256 bv[4];
#pragma GCC unroll 4
        for (int v = 0; v < 4; v++) {
            bv[v] = _mm256_loadu_ps(p + n * PANEL + v * L);
        }
#pragma GCC unroll 2
        for (int i = 0; i < 2; i++) {
            __m256 x = _mm256_broadcast_ss(a + (size_t) (m + i) * inner + n);
#pragma GCC unroll 4
            for (int v = 0; v < 4; v++) {
                acc[i][v] = _mm256_fmadd_ps(x, bv[v], acc[i][v]);
            }
        }
    }
#pragma GCC unroll 2
    for (int i = 0; i < 2; i++) {
#pragma GCC unroll 4
        for (int v = 0; v < 4; v++) {
            _mm256_storeu_ps(t + (size_t) (m + i) * ld + c + v * L, acc[i][v]);
        }
    }
}

static void pack_panel(const float *b, int ld, int inner, int c, float *pack) {
    for (int n = 0; n < inner; n++) {
        memcpy(pack + n * PANEL, b + (size_t) n * ld + c, PANEL * sizeof(float));
    }
}

/* One panel's rows [m0, m1); with prefetch, the next block's two lines of each row first. */
static void panel_rows(float *t, int m0, int m1, int ld, const float *d, const float *a, int inner,
                       const float *pack, int c, int prefetch) {
    int m = m0;
    for (; m + 6 <= m1; m += 6) {
        if (prefetch) {
            for (int i = m + 6; i < m + 12 && i < m1; i++) {
                const char *line = (const char *) (t + (size_t) i * ld + c);
                _mm_prefetch(line, _MM_HINT_T0);
                _mm_prefetch(line + 64, _MM_HINT_T0);
            }
        }
        tile6x2(t, ld, d, a, inner, pack, m, c);
        tile6x2(t, ld, d, a, inner, pack + 2 * L, m, c + 2 * L);
    }
    for (; m + 2 <= m1; m += 2) {
        tile2x4(t, ld, d, a, inner, pack, m, c);
    }
}

enum variant { PANELS, PANELS_PREFETCH, CHUNKS };
static const char *NAMES[] = {"panels", "panels+prefetch", "chunks"};

/* cols is a multiple of PANEL at every shape run here, so there are no edge columns. */
static void product(enum variant v, float *t, int rows, int cols, int ld, const float *d, const float *a, int inner,
                    const float *b, float *pack) {
    if (v != CHUNKS) {
        int chunk = 32768 / cols / 12 * 12;
        if (chunk < 48) {
            chunk = rows;
        }
        for (int m0 = 0; m0 < rows; m0 += chunk) {
            int m1 = m0 + chunk < rows ? m0 + chunk : rows;
            for (int c = 0; c < cols; c += PANEL) {
                pack_panel(b, ld, inner, c, pack);
                panel_rows(t, m0, m1, ld, d, a, inner, pack, c, v == PANELS_PREFETCH);
            }
        }
        return;
    }
    for (int c0 = 0; c0 < cols; c0 += CHUNK_PANELS * PANEL) {
        int panels = (cols - c0) / PANEL < CHUNK_PANELS ? (cols - c0) / PANEL : CHUNK_PANELS;
        for (int q = 0; q < panels; q++) {
            pack_panel(b, ld, inner, c0 + q * PANEL, pack + (size_t) q * inner * PANEL);
        }
        int m = 0;
        for (; m + 6 <= rows; m += 6) {
            for (int q = 0; q < panels; q++) {
                const float *p = pack + (size_t) q * inner * PANEL;
                tile6x2(t, ld, d, a, inner, p, m, c0 + q * PANEL);
                tile6x2(t, ld, d, a, inner, p + 2 * L, m, c0 + q * PANEL + 2 * L);
            }
        }
        for (int q = 0; q < panels && m < rows; q++) {
            for (int mm = m; mm + 2 <= rows; mm += 2) {
                tile2x4(t, ld, d, a, inner, pack + (size_t) q * inner * PANEL, mm, c0 + q * PANEL);
            }
        }
    }
}

static float uniform(float lo, float hi) {
    return lo + (hi - lo) * (float) rand() / (float) RAND_MAX;
}

static int by_value(const void *x, const void *y) {
    double a = *(const double *) x, b = *(const double *) y;
    return (a > b) - (a < b);
}

int main(void) {
    printf("variant,rows,inner,cols,ld,gflops\n");
    int widths[] = {64, 128};
    for (int w = 0; w < 2; w++) {
        int n = widths[w], theta = n * (2 * n + 1);
        /* As ProductBench: t and b are N x theta, a N x N with small rows, decays in [0.5, 0.9]. */
        float *t_mem = aligned_alloc(64, (size_t) n * theta * sizeof(float) + 64);
        float *b_mem = aligned_alloc(64, (size_t) n * theta * sizeof(float) + 64);
        float *pack_mem = aligned_alloc(64, (size_t) CHUNK_PANELS * n * PANEL * sizeof(float) + 64);
        float *a = malloc((size_t) n * n * sizeof(float));
        float *d = malloc(n * sizeof(float));
        if (!t_mem || !b_mem || !pack_mem || !a || !d) {
            fprintf(stderr, "product.c: out of memory at width %d\n", n);
            return 1;
        }
        float *t = t_mem + JAVA_HEADER_FLOATS, *b = b_mem + JAVA_HEADER_FLOATS, *pack = pack_mem + JAVA_HEADER_FLOATS;
        srand(1);
        for (size_t i = 0; i < (size_t) n * theta; i++) {
            t[i] = uniform(-1, 1);
            b[i] = uniform(-1, 1);
        }
        for (int i = 0; i < n * n; i++) {
            a[i] = uniform(-0.05f / n, 0.05f / n);
        }
        for (int i = 0; i < n; i++) {
            d[i] = uniform(0.5f, 0.9f);
        }
        int spans[] = {theta, 256};
        for (int s = 0; s < 2; s++) {
            int cols = spans[s];
            double flop = 2.0 * n * n * cols, rates[9];
            int reps = 1 + (int) (7e9 / flop);
            for (int v = PANELS; v <= (s == 0 ? CHUNKS : PANELS); v++) {
                for (int k = 0; k < 3; k++) {
                    product(v, t, n, cols, theta, d, a, n, b, pack);
                }
                for (int k = 0; k < 9; k++) {
                    double t0 = now();
                    for (int r = 0; r < reps; r++) {
                        product(v, t, n, cols, theta, d, a, n, b, pack);
                    }
                    rates[k] = flop * reps / (now() - t0) / 1e9;
                }
                qsort(rates, 9, sizeof(double), by_value);
                printf("%s,%d,%d,%d,%d,%.1f\n", NAMES[v], n, n, cols, theta, rates[4]);
                fflush(stdout);
            }
        }
        free(t_mem);
        free(b_mem);
        free(pack_mem);
        free(a);
        free(d);
    }
    return 0;
}
