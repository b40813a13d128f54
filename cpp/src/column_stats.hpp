// What the scalar and SIMD batch_mean_var share (kernels_columns_*.cpp), so
// that both builds give the same bits. Per chunk of features:
//   centre  R rows in blocks b spread over the batch (kCentreBlocks):
//           s_k = sum_b fl(sum_{i in b} fl(x_ik - x_0k));  a_k = fl(x_0k + s_k / R)
//   pass    c_ik = fl(x_ik - a_k)
//           s1_k = sum_b fl(sum_{i in b} c_ik),  s2_k = sum_b fl(sum_{i in b} fl(c_ik^2))
//           mean_k = a_k + s1_k / m,  var_k = s2_k / m - (s1_k / m)^2   (/ m: times fl(1 / m))
// (b: blocks of kColumnRowBlock rows, float within a block, double over the
// blocks). c is centred up to delta = s1 / m, so sum c^2 = m (var + delta^2)
// cancels by at most 1 + delta^2 / var, kept <= 2: a block sum of B squares
// has error <= (B + 2) 2^-24 of itself (all terms >= 0). Where that or the
// float range does not hold for a feature, the one-pass shifted double sums
// (shifted_stats) give its statistics.
#pragma once

#include <cmath>

#include "bn/kernels.hpp"

// Code that runs per call or per feature, not per element (and, in a SIMD
// build, the scalar row loop, only the SIMD kernel's last n % 8 features):
// compiled for size where the compiler can (clang), for the 300 KB gzip budget.
#if defined(__clang__)
#define BN_STATS_SIZE __attribute__((minsize))
#else
#define BN_STATS_SIZE
#endif
#if defined(__clang__) && defined(__wasm_simd128__)
#define BN_STATS_TAIL_SIZE __attribute__((minsize))
#else
#define BN_STATS_TAIL_SIZE
#endif

namespace bn::kernels::detail {

// Batches of at most this many rows keep the one-pass shifted double sums
// (both kernels' shifted_mean_var): there the centre's rows are a large share
// of the pass (the trainer's batch of 32 ran 1.5% fewer steps/s with the
// float pass), and the trainer's losses stay those of tests/data/trainer_losses.json.
constexpr int kShiftedSumsRows = 64;

// Features per chunk (the kernels keep the centres a_k in a local array).
constexpr int kStatChunk = 1024;
// The centre's rows: centre_blocks(m) blocks of kColumnRowBlock consecutive
// rows spread over the batch (block b from row b m / blocks), one block per
// 64 rows, at least 1 and at most kCentreBlocks (5): at most 1/8 of the rows
// (a batch of 32 spends 1/4 of a pass on its centre, not a whole one) and 40
// rows at most. On the bench's 1024 x 1024 and 4096 x 1024 batches the worst
// delta^2 / var over the features is 0.23 and 0.30 (no fallback); 4 blocks
// left 2 of 4096 x 1024's features beyond one sd.
constexpr int kCentreBlocks = 5;
inline int centre_blocks(int m) {
  const int b = m / (8 * kColumnRowBlock);
  return b < 1 ? 1 : b > kCentreBlocks ? kCentreBlocks : b;
}
inline int first_row(int b, int m) {
  return static_cast<int>(static_cast<long>(b) * m / centre_blocks(m));
}
inline int block_end(int i0, int m) { return i0 + kColumnRowBlock < m ? i0 + kColumnRowBlock : m; }
// Rows in the centre's blocks (the first block ends at m when m < 8).
inline int centre_rows(int m) {
  return m < kColumnRowBlock ? m : centre_blocks(m) * kColumnRowBlock;
}

// a_k from s_k, the double sum of feature k's centre-row sums of fl(x_ik - x_0k).
// (inv_rows = 1 / centre_rows(m): a product per feature, not a division).
inline float centre_of(const float* x, int k, double s, double inv_rows) {
  return static_cast<float>(static_cast<double>(x[k]) + s * inv_rows);
}

// For each feature k in [k0, k1): the float sums over rows [i0, i1) (one
// block) of c = fl(x_ik - centre[k - k0]) and of fl(c^2), added to s1[k] and
// s2[k]. Out of line: one copy for both kernels (it is also the SIMD
// kernel's tail).
__attribute__((noinline)) BN_STATS_TAIL_SIZE inline void centred_rows_scalar(const float* x, int n, int i0, int i1,
                                                          int k0, int k1, const float* centre,
                                                          double* s1, double* s2) {
  for (int k = k0; k < k1; ++k) {
    const float a = centre[k - k0];
    float t1 = 0.0f, t2 = 0.0f;
    for (int i = i0; i < i1; ++i) {
      const float c = x[static_cast<long>(i) * n + k] - a;
      t1 += c;
      t2 += c * c;
    }
    s1[k] += t1;
    s2[k] += t2;
  }
}

// The one-pass shifted sums in double, for feature k alone:
//   d_i = fl(x_ik - x_0k); mean = x_0k + sum d / m; var = (sum d^2 - (sum d)^2 / m) / m
__attribute__((noinline)) BN_STATS_SIZE inline void shifted_stats(const float* x, int m, int n, int k,
                                                    double& mean, double& var) {
  double s1 = 0.0, s2 = 0.0;
  for (int i = 1; i < m; ++i) {
    const double d = static_cast<double>(x[static_cast<long>(i) * n + k] - x[k]);
    s1 += d;
    s2 += d * d;
  }
  mean = static_cast<double>(x[k]) + s1 / m;
  const double v = (s2 - s1 * s1 / m) / m;
  var = v > 0.0 ? v : 0.0;
}

// mean and var from the centre a and the pass's s1, s2 (inv_m = 1 / m), or from
// shifted_stats where the float sums may have lost accuracy:
//   - s1 or s2 not finite (a float sum overflowed; NaN or Infinity in x)
//   - delta^2 > var (the centre further than one sd from the mean)
//   - var < 2^-100 (squares near float's subnormal range), except a feature
//     known to be exactly constant (`constant`: every x_ik = a)
inline void finish_stats(const float* x, int m, int n, int k, float a, double s1, double s2,
                         double inv_m, bool constant, double& mean, double& var) {
  const double delta = s1 * inv_m;
  const double v = s2 * inv_m - delta * delta;
  const bool finite = std::isfinite(s1) && std::isfinite(s2);
  const bool tiny = !(v >= 0x1p-100) && !constant;
  if (finite && !tiny && delta * delta <= v) {
    mean = static_cast<double>(a) + delta;
    var = v;
    return;
  }
  shifted_stats(x, m, n, k, mean, var);
}

// constant[j] = whether feature k = k0 + j is known to be exactly constant
// (every x_ik = centre[j]) from its pass sum s2[k] = sum of float squares.
// s2 = 0 proves it where |a| >= 2^-50: there any x != a gives |c| >= 2^-74,
// a nonzero square. Nearer 0 (a feature of zeros: a dead ReLU before the
// norm) values within 2^-75 of a would square to 0 too, so those features
// are scanned: row by row through the chunk where they are more than 1 in
// 16 (a batch of zeros: 1.4x main's time at 1024 x 1024, against 14x
// feature by feature), else feature by feature down its column.
__attribute__((noinline)) BN_STATS_SIZE inline void constant_features(
    const float* x, int m, int n, int k0, int k1, const float* centre, const double* s2,
    unsigned char* constant) {
  const int w = k1 - k0;
  int unsure = 0;
  for (int j = 0; j < w; ++j) {
    constant[j] = s2[k0 + j] == 0.0;   // 1: so far (s2 = 0), 0: not constant
    unsure += constant[j] && !(std::fabs(centre[j]) >= 0x1p-50f);
  }
  if (unsure == 0) return;
  if (16 * unsure > w) {
    for (int i = 0; i < m; ++i) {
      const float* row = x + static_cast<long>(i) * n + k0;
      for (int j = 0; j < w; ++j) constant[j] &= static_cast<unsigned char>(row[j] == centre[j]);
    }
    return;
  }
  for (int j = 0; j < w; ++j)
    if (constant[j] && !(std::fabs(centre[j]) >= 0x1p-50f))
      for (int i = 0; i < m && constant[j]; ++i)
        constant[j] = x[static_cast<long>(i) * n + k0 + j] == centre[j];
}

// One row block [i0, i1) of sums for features [k0, k1), as
// centred_rows_scalar computes them (each kernel passes its own).
using CentredRows = void (*)(const float* x, int n, int i0, int i1, int k0, int k1,
                             const float* centre, double* s1, double* s2);

// batch_mean_var (bn/kernels.hpp) with the row blocks of `rows`: per chunk
// of features the centre, the pass, then finish_stats feature by feature.
// Its own loops run per feature, not per element: compiled for size, as are
// shifted_stats (rarely taken) and constant_features (per feature, scanning
// only features of zeros).
// mean/var hold the sums until finish_stats (var the centre rows' unused
// squares first).
__attribute__((noinline)) BN_STATS_SIZE inline void column_mean_var(const float* x, int m, int n,
                                                                    double* mean, double* var,
                                                                    CentredRows rows) {
  float centre[kStatChunk];
  unsigned char constant[kStatChunk];
  const double inv_m = 1.0 / m, inv_rows = 1.0 / centre_rows(m);
  for (int k0 = 0; k0 < n; k0 += kStatChunk) {
    const int k1 = k0 + kStatChunk < n ? k0 + kStatChunk : n;
    for (int k = k0; k < k1; ++k) { mean[k] = 0.0; var[k] = 0.0; }
    for (int b = 0; b < centre_blocks(m); ++b) {
      const int i0 = first_row(b, m);
      rows(x, n, i0, block_end(i0, m), k0, k1, x + k0, mean, var);
    }
    for (int k = k0; k < k1; ++k) {
      centre[k - k0] = centre_of(x, k, mean[k], inv_rows);
      mean[k] = 0.0;
      var[k] = 0.0;
    }
    for (int i0 = 0; i0 < m; i0 += kColumnRowBlock) rows(x, n, i0, block_end(i0, m), k0, k1, centre, mean, var);
    constant_features(x, m, n, k0, k1, centre, var, constant);
    for (int k = k0; k < k1; ++k)
      finish_stats(x, m, n, k, centre[k - k0], mean[k], var[k], inv_m, constant[k - k0] != 0, mean[k],
                   var[k]);
  }
}

}  // namespace bn::kernels::detail

#undef BN_STATS_SIZE
#undef BN_STATS_TAIL_SIZE
