// The hot loops of a linear (fully connected) layer over a minibatch of m
// rows, row-major, float32 accumulation (as PyTorch on the CPU). Two
// implementations with the same signatures and the same order of operations
// for every output element, so they agree bit for bit:
//   bn::linear_kernels::scalar  plain loops, every build (the reference)
//   bn::linear_kernels::simd    wasm_simd128.h, where __wasm_simd128__ is defined
// bn::linear_kernels::fast names the one a build uses.
// Weights: w is [out x in] (PyTorch's layout), wt its transpose [in x out].
#pragma once

namespace bn::linear_kernels {

#define BN_DECLARE_LINEAR_KERNELS                                                     \
  /* y_ij = b_j + sum_k x_ik wt_kj           (k ascending) */                          \
  void forward(const float* x, const float* wt, const float* b, int m, int in, int out, \
               float* y);                                                             \
  /* dx_ik = sum_j dy_ij w_jk                (j ascending) */                          \
  void backward_input(const float* dy, const float* w, int m, int in, int out, float* dx); \
  /* dw_jk = sum_i dy_ij x_ik,  db_j = sum_i dy_ij   (i ascending) */                   \
  void backward_params(const float* x, const float* dy, int m, int in, int out, float* dw, \
                       float* db);

namespace scalar {
BN_DECLARE_LINEAR_KERNELS
}
#if defined(__wasm_simd128__)
namespace simd {
BN_DECLARE_LINEAR_KERNELS
}
namespace fast = simd;
#else
namespace fast = scalar;
#endif

#undef BN_DECLARE_LINEAR_KERNELS

}  // namespace bn::linear_kernels
