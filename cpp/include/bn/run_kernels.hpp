// The run kernels: the hot loops of a normalization on any NormLayout
// (bn/norm_layout.hpp): x is [P, Q, R], statistic q reduces over the P runs
// x[p, q, 0..R), and element (q, r) uses parameter a = (q % groups) *
// per_group + r / segment. Used for every layout the column kernels
// (bn/kernels.hpp) do not cover: BatchNorm on [N, C, L] and [N, C, H, W],
// LayerNorm, GroupNorm, InstanceNorm.
//
// Sums run along each run (or segment) in eight interleaved partial sums,
// lane j taking the elements with index = j (mod 8), combined as
//   ((s0 + s2) + (s4 + s6)) + ((s1 + s3) + (s5 + s7)),
// then the tail (the last len % 8 elements) in order; the runs of one
// statistic are then added in order of p. Scalar and SIMD kernels follow that
// same order, so they give the same bits. All sums are in double.
#pragma once

#include "bn/norm_layout.hpp"

namespace bn::kernels {

// The per-statistic values the normalizing kernels take (Q entries each):
// the mean split as float hi + lo (x - mean stays exact near a large
// offset) and invstd = 1 / sqrt(var + eps).
struct Centering {
  const float* mean_hi;
  const float* mean_lo;
  const float* invstd;
};

#define BN_DECLARE_RUN_KERNELS                                                            \
  /* The statistics in one pass, shifted by the statistic's first element            \
     (bn/norm_core.hpp keeps them only where that shift was safe), M = P R:             \
     shift_q = x[0,q,0]; s1_q = sum fl(x - shift_q); s2_q = sum fl(x - shift_q)^2       \
     mean_q = shift_q + s1_q / M; var_q = (s2_q - s1_q^2 / M) / M   (biased) */         \
  void run_mean_var(const float* x, const NormLayout& l, double* mean, double* var);      \
  /* xhat = ((x - mean_hi_q) - mean_lo_q) * invstd_q;                                     \
     y = ((x - mean_hi_q) - mean_lo_q) * fl(gamma_a * invstd_q) + beta_a */               \
  void run_normalize(const float* x, const NormLayout& l, const Centering& c,             \
                     const float* gamma, const float* beta, float* y);                    \
  /* With dxhat = gamma_a dy and xhat as above:                                           \
       sum_dxhat_q = sum gamma_a dy,  sum_dxhat_xhat_q = sum gamma_a dy xhat   (Q)        \
       dbeta_a = sum dy,  dgamma_a = sum dy xhat   (l.params() entries)  */            \
  void run_backward_sums(const float* dy, const float* x, const NormLayout& l,            \
                         const Centering& c, const float* gamma, double* sum_dxhat,       \
                         double* sum_dxhat_xhat, double* dgamma, double* dbeta);          \
  /* dx = invstd_q (dxhat - mean_q dxhat - xhat mean_q(dxhat xhat)), evaluated as         \
       dx = ((gamma_a dy - k1_q) - xhat k2_q) invstd_q                                    \
     with k1 = mean(dxhat), k2 = mean(dxhat xhat) (training: exact 0 for one value        \
     per statistic); k1 = k2 = 0 through fixed statistics (eval): gamma dy invstd. */     \
  void run_backward_dx(const float* dy, const float* x, const NormLayout& l,              \
                       const Centering& c, const float* gamma, const float* k1,           \
                       const float* k2, float* dx);

namespace scalar {
BN_DECLARE_RUN_KERNELS
}
#if defined(__wasm_simd128__)
namespace simd {
BN_DECLARE_RUN_KERNELS
}
namespace fast = simd;   // as in bn/kernels.hpp (redeclaring the same alias is allowed)
#else
namespace fast = scalar;
#endif

#undef BN_DECLARE_RUN_KERNELS

// The run kernels of one implementation as a table: bn::NormCore reaches
// them through it, so that a program that never normalizes anything but
// columns (the 2-D BatchNorm1d API) does not link them.
struct RunKernels {
  void (*mean_var)(const float* x, const NormLayout& l, double* mean, double* var);
  void (*normalize)(const float* x, const NormLayout& l, const Centering& c, const float* gamma,
                    const float* beta, float* y);
  void (*backward_sums)(const float* dy, const float* x, const NormLayout& l, const Centering& c,
                        const float* gamma, double* sum_dxhat, double* sum_dxhat_xhat,
                        double* dgamma, double* dbeta);
  void (*backward_dx)(const float* dy, const float* x, const NormLayout& l, const Centering& c,
                      const float* gamma, const float* k1, const float* k2, float* dx);
};

}  // namespace bn::kernels
