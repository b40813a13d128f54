// Plain-loop linear kernels: the reference the SIMD ones are tested against.
// Loops are ordered so each output element accumulates in the order stated
// in bn/linear_kernels.hpp.
#include "bn/linear_kernels.hpp"

namespace bn::linear_kernels::scalar {

// y_ij = b_j + sum_k x_ik wt_kj
void forward(const float* x, const float* wt, const float* b, int m, int in, int out, float* y) {
  for (int i = 0; i < m; ++i) {
    const float* xr = x + static_cast<long>(i) * in;
    float* yr = y + static_cast<long>(i) * out;
    for (int j = 0; j < out; ++j) yr[j] = b[j];
    for (int k = 0; k < in; ++k) {
      const float xk = xr[k];
      const float* wr = wt + static_cast<long>(k) * out;
      for (int j = 0; j < out; ++j) yr[j] += xk * wr[j];
    }
  }
}

// dx_ik = sum_j dy_ij w_jk
void backward_input(const float* dy, const float* w, int m, int in, int out, float* dx) {
  for (int i = 0; i < m; ++i) {
    const float* dyr = dy + static_cast<long>(i) * out;
    float* dxr = dx + static_cast<long>(i) * in;
    for (int k = 0; k < in; ++k) dxr[k] = 0.0f;
    for (int j = 0; j < out; ++j) {
      const float g = dyr[j];
      const float* wr = w + static_cast<long>(j) * in;
      for (int k = 0; k < in; ++k) dxr[k] += g * wr[k];
    }
  }
}

// dw_jk = sum_i dy_ij x_ik,  db_j = sum_i dy_ij
void backward_params(const float* x, const float* dy, int m, int in, int out, float* dw,
                     float* db) {
  for (int j = 0; j < out; ++j) db[j] = 0.0f;
  for (long t = 0; t < static_cast<long>(out) * in; ++t) dw[t] = 0.0f;
  for (int i = 0; i < m; ++i) {
    const float* xr = x + static_cast<long>(i) * in;
    const float* dyr = dy + static_cast<long>(i) * out;
    for (int j = 0; j < out; ++j) {
      const float g = dyr[j];
      float* dwr = dw + static_cast<long>(j) * in;
      db[j] += g;
      for (int k = 0; k < in; ++k) dwr[k] += g * xr[k];
    }
  }
}

}  // namespace bn::linear_kernels::scalar
