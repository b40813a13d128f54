// WebAssembly SIMD linear kernels: up to sixteen outputs (or inputs) per
// step in four vectors, the same operations per element in the same order as
// the scalar kernels, so the results agree bit for bit (wasm has no fused
// multiply-add here).
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>

#include "bn/linear_kernels.hpp"

namespace bn::linear_kernels::simd {
namespace {

inline v128_t load(const float* p) { return wasm_v128_load(p); }
inline void store(float* p, v128_t v) { wasm_v128_store(p, v); }
// acc + g * v, rounded twice (multiply, then add) as the scalar code
inline v128_t mul_add(v128_t acc, v128_t g, v128_t v) {
  return wasm_f32x4_add(acc, wasm_f32x4_mul(g, v));
}

// For a block of `lanes` (16, 8 or 4) contiguous outputs o[0..lanes):
//   o_q = init_q + sum_{t < count} s[t * s_stride] * v[t * v_stride + q]   (t ascending)
// init is a vector (nullptr = zeros); results stored to out.
template <int Vectors>
inline void block_sum(const float* init, const float* s, long s_stride, const float* v,
                      long v_stride, int count, float* out) {
  v128_t acc[Vectors];
  for (int q = 0; q < Vectors; ++q) acc[q] = init ? load(init + 4 * q) : wasm_f32x4_splat(0.0f);
  for (int t = 0; t < count; ++t) {
    const v128_t g = wasm_f32x4_splat(s[t * s_stride]);
    const float* row = v + t * v_stride;
    for (int q = 0; q < Vectors; ++q) acc[q] = mul_add(acc[q], g, load(row + 4 * q));
  }
  for (int q = 0; q < Vectors; ++q) store(out + 4 * q, acc[q]);
}

// The same sum for a single lane (the tail that does not fill a vector).
inline float lane_sum(float init, const float* s, long s_stride, const float* v, long v_stride,
                      int count) {
  float acc = init;
  for (int t = 0; t < count; ++t) acc += s[t * s_stride] * v[t * v_stride];
  return acc;
}

// o_q for q in [0, n): vectors of 16, 8, 4 lanes, then single lanes.
inline void row_sum(const float* init, const float* s, long s_stride, const float* v, long v_stride,
                    int count, int n, float* out) {
  int q = 0;
  for (; q + 16 <= n; q += 16) block_sum<4>(init ? init + q : nullptr, s, s_stride, v + q, v_stride, count, out + q);
  for (; q + 8 <= n; q += 8) block_sum<2>(init ? init + q : nullptr, s, s_stride, v + q, v_stride, count, out + q);
  for (; q + 4 <= n; q += 4) block_sum<1>(init ? init + q : nullptr, s, s_stride, v + q, v_stride, count, out + q);
  for (; q < n; ++q) out[q] = lane_sum(init ? init[q] : 0.0f, s, s_stride, v + q, v_stride, count);
}

}  // namespace

// y_ij = b_j + sum_k x_ik wt_kj           (lanes over j, k ascending)
void forward(const float* x, const float* wt, const float* b, int m, int in, int out, float* y) {
  for (int i = 0; i < m; ++i)
    row_sum(b, x + static_cast<long>(i) * in, 1, wt, out, in, out, y + static_cast<long>(i) * out);
}

// dx_ik = sum_j dy_ij w_jk                (lanes over k, j ascending)
void backward_input(const float* dy, const float* w, int m, int in, int out, float* dx) {
  for (int i = 0; i < m; ++i)
    row_sum(nullptr, dy + static_cast<long>(i) * out, 1, w, in, out, in, dx + static_cast<long>(i) * in);
}

// dw_jk = sum_i dy_ij x_ik,  db_j = sum_i dy_ij     (lanes over k, i ascending)
void backward_params(const float* x, const float* dy, int m, int in, int out, float* dw,
                     float* db) {
  for (int j = 0; j < out; ++j) {
    float sb = 0.0f;
    for (int i = 0; i < m; ++i) sb += dy[static_cast<long>(i) * out + j];
    db[j] = sb;
    row_sum(nullptr, dy + j, out, x, in, m, in, dw + static_cast<long>(j) * in);
  }
}

}  // namespace bn::linear_kernels::simd
#endif  // __wasm_simd128__
