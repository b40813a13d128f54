// The column kernels: the hot loops of a normalization whose statistic index
// is the fastest axis and owns its parameter (BatchNorm on [N, C]; see
// bn/norm_layout.hpp, NormLayout::columns()). x is a row-major [m x n]
// block: m rows reduced over, n statistics (features).
// Two implementations with the same signatures:
//   bn::kernels::scalar  plain loops, every build
//   bn::kernels::simd    wasm_simd128.h, only where __wasm_simd128__ is defined
// bn::kernels::fast names the one a build uses. Both give the same bits:
// the reductions add the rows in order, in double, except those of centred
// terms (the forward statistics, dgamma's sum dy xhat): float within blocks
// of kColumnRowBlock rows, the block sums added in double. A block's float sum has error
// <= (B - 1) 2^-24 sum |terms| (B rows), at most 7 2^-24 sum |dy xhat|:
// float-level accuracy, in lanes twice as wide as double ones.
// The other layouts' kernels are in bn/run_kernels.hpp.
#pragma once

namespace bn::kernels {

// Rows per block of the reductions' float partial sums.
constexpr int kColumnRowBlock = 8;

#define BN_DECLARE_COLUMN_KERNELS                                                        \
  /* The statistics in one pass around a centre a_k from a few rows                 \
     (cpp/src/column_stats.hpp): c_ik = fl(x_ik - a_k); s1_k, s2_k = the sums of      \
     c_ik and c_ik^2, float within blocks of kColumnRowBlock rows, double across;      \
     mean_k = a_k + s1_k / m; var_k = s2_k / m - (s1_k / m)^2   (biased). A feature    \
     whose centre lies beyond one sd, or outside float's comfortable range, takes the  \
     shifted double sums (shift_k = x_0k): mean_k = shift_k + s1_k / m,                \
     var_k = (s2_k - s1_k^2 / m) / m, which bn/norm_core.hpp keeps only where that     \
     shift was safe. */                                                                \
  void batch_mean_var(const float* x, int m, int n, double* mean, double* var);          \
  /* y_ik = fl(x_ik - mean_hi_k) * scale_k + shift_k, with the folded shift         \
     shift_k = fl(beta_k - mean_lo_k scale_k) (folded_shift below); the three         \
     factors packed by groups of four features (Packed below, kNormalizeFields). */    \
  void normalize(const float* x, int m, int n, const float* factors, float* y);         \
  /* Eval with folded statistics (bn/norm_core.hpp, NormCore::forward_folded):         \
     y_ik = x_ik * a_k + b_k,  a_k = fl(gamma_k invstd_k), b_k = fl(beta_k - mean_k a_k). \
     Returns false where some |x_ik| >= 2^127 or is NaN / Infinity (y is then         \
     partly written and must not be used). */                                          \
  bool scale_shift(const float* x, int m, int n, const float* a, const float* b,         \
                   float* y);                                                            \
  /* The backward kernels take a row stride ld >= n: row i of dy, x (and dx) starts  \
     at i * ld, so that they can run on a panel of n features of a wider batch.        \
     u_ik = fl(x_ik - mean_hi_k) * invstd_k   (xhat_ik + mean_lo_k invstd_k)            \
     sum_dy_k = sum_i dy_ik (double);                                                    \
     sum_dy_xhat_k = sum_b fl(sum_{i in b} dy_ik * u_ik)   (float within block b)        \
                     - mean_lo_k invstd_k sum_dy_k          (double) */                  \
  void backward_reduce(const float* dy, const float* x, int m, int n, int ld,            \
                       const float* mean_hi, const float* mean_lo,                       \
                       const float* invstd, double* sum_dy, double* sum_dy_xhat);        \
  /* dx_ik = scale_k (dy_ik - mean_dy_k - xhat_ik mean_dy_xhat_k), folded:              \
       dx_ik = ((dy_ik - shift_k) + fl(x_ik - mean_hi_k) * slope_k) * scale_k            \
     with scale_k = fl(gamma_k invstd_k) and slope_k, shift_k from dx_factors below      \
     (mean_dy_k = sum_dy_k / m, mean_dy_xhat_k = sum_dy_xhat_k / m; through fixed        \
     statistics (eval) both 0: slope = shift = 0, dx_ik = scale_k dy_ik); the four      \
     factors packed by groups of four features (Packed below, kDxFields). */            \
  void backward_dx(const float* dy, const float* x, int m, int n, int ld,                \
                   const float* factors, float* dx);

namespace scalar {
BN_DECLARE_COLUMN_KERNELS
}
#if defined(__wasm_simd128__)
namespace simd {
BN_DECLARE_COLUMN_KERNELS
}
namespace fast = simd;
#else
namespace fast = scalar;
#endif

#undef BN_DECLARE_COLUMN_KERNELS

// The folded factors (in double, then rounded once). With c = x - mean_hi and
// xhat = (c - mean_lo) invstd:
//   y  = gamma xhat + beta = c scale + (beta - mean_lo scale)
//   dx = scale (dy - mean_dy - xhat mean_dy_xhat)
//      = scale ((dy - (mean_dy - mean_lo invstd mean_dy_xhat)) + c (-invstd mean_dy_xhat))
// Each drops mean_lo (and, for dx, invstd) from the element loop: two fewer
// operations and loads per element (4096 x 1024: backward_dx 3.1 -> 2.0 ms
// alone). dx still subtracts the mean of dy first (dy and mean_dy may
// nearly cancel: a constant feature, a batch of 2) and scales last (a huge
// dy overflows only where the unfolded formula does). The terms carry
// rounding errors of |gamma| (|xhat| + 2 |mean_lo invstd|) 2^-24 (y) and
// |gamma invstd mean_dy_xhat| (|xhat| + 2 |mean_lo invstd|) 2^-24 (dx) where the
// unfolded formulas' are the same with |xhat| alone; |mean_lo| <= ulp(mean) / 2,
// so the two differ only where the standard deviation is below a float's
// spacing at the mean (every accuracy test holds, including the large
// offsets of tests/cpp/test_kernels.cpp, where |mean_lo invstd| reaches 2.7).
// A dx factor that does not fit a normal float (invstd mean_dy_xhat past
// float32) takes the unfolded formula (cpp/src/norm_unfolded.hpp).
//
// The element-wise kernels' per-feature factors, packed: for each group of
// four features, each field's four values side by side (normalize: mean_hi,
// scale, shift; backward_dx: mean_hi, scale, slope, shift), so that a vector
// of four features finds its factors in one or two cache lines. As separate
// arrays of n floats each (4 KB at n = 1024, the stride of x's rows) they
// all fell in the same cache sets as the rows they scale, and the kernels'
// speed swung 1.8x with the arrays' addresses (tmp harness, issue 16 note).
constexpr int kNormalizeFields = 3, kDxFields = 4;
struct Packed {
  enum Field { mean_hi = 0, scale = 1, shift = 2, slope = 2, dx_shift = 3 };
  static int floats(int n, int fields) { return (n + 3) / 4 * 4 * fields; }
  static int at(int k, int fields, int field) { return (k / 4) * 4 * fields + field * 4 + k % 4; }
};
inline float folded_shift(float beta, float mean_lo, float scale) {
  return static_cast<float>(static_cast<double>(beta) - static_cast<double>(mean_lo) * scale);
}
namespace detail {
// backward_reduce's last step: sum_dy_xhat_k -= mean_lo_k invstd_k sum_dy_k (double).
inline void remove_mean_lo(int n, const float* mean_lo, const float* invstd, const double* sum_dy,
                           double* sum_dy_xhat) {
  for (int k = 0; k < n; ++k)
    sum_dy_xhat[k] -= static_cast<double>(mean_lo[k]) * invstd[k] * sum_dy[k];
}
}  // namespace detail
inline void dx_factors(float invstd, float mean_lo, double mean_dy, double mean_dy_xhat, float& slope,
                       float& shift) {
  const double s = static_cast<double>(invstd) * mean_dy_xhat;
  slope = static_cast<float>(-s);
  shift = static_cast<float>(mean_dy - s * mean_lo);
}

}  // namespace bn::kernels
