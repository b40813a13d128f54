// WebAssembly SIMD run kernels, forward half: statistics and normalize.
// Same bits as the scalar run kernels: eight elements of a run per step
// (two float vectors, four double pairs, the lane order of
// bn/run_kernels.hpp), the tail of each run in order. The formula each
// kernel implements is in bn/run_kernels.hpp above its declaration.
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>

#include <cstddef>

#include "bn/run_kernels.hpp"
#include "run_layout.hpp"
#include "simd128.hpp"

namespace bn::kernels::simd {
namespace {

using detail::run_offset;

// d = fl(v - shift): s1 += sum d, s2 += sum d^2 (double), in the lane order
void moments_run(const float* v, int len, float shift, double& s1, double& s2) {
  const v128_t h = splat4(shift);
  v128_t a[4], b[4];
  for (int k = 0; k < 4; ++k) a[k] = b[k] = wasm_f64x2_splat(0.0);
  int j = 0;
  for (; j + 8 <= len; j += 8) {
    const v128_t u = wasm_f32x4_sub(load4(v + j), h), w = wasm_f32x4_sub(load4(v + j + 4), h);
    const v128_t d[4] = {lo_f64(u), hi_f64(u), lo_f64(w), hi_f64(w)};
    for (int k = 0; k < 4; ++k) {
      a[k] = wasm_f64x2_add(a[k], d[k]);
      b[k] = wasm_f64x2_add(b[k], wasm_f64x2_mul(d[k], d[k]));
    }
  }
  Lanes8 sa{a[0], a[1], a[2], a[3]}, sb{b[0], b[1], b[2], b[3]};
  double t1 = sa.total(), t2 = sb.total();
  for (; j < len; ++j) {
    const double d = static_cast<double>(v[j] - shift);
    t1 += d;
    t2 += d * d;
  }
  s1 += t1;
  s2 += t2;
}

}  // namespace

// shift_q = x[0,q,0]; d = fl(x - shift_q); s1_q = sum d, s2_q = sum d^2
// mean_q = shift_q + s1_q / M; var_q = (s2_q - s1_q^2 / M) / M
void run_mean_var(const float* x, const NormLayout& l, double* mean, double* var) {
  for (int q = 0; q < l.stats; ++q) { mean[q] = 0.0; var[q] = 0.0; }
  for (int p = 0; p < l.outer; ++p)
    for (int q = 0; q < l.stats; ++q)
      moments_run(x + run_offset(l, p, q), l.inner, x[run_offset(l, 0, q)], mean[q], var[q]);
  detail::finish_mean_var(x, l, mean, var);
}

// y = ((x - mean_hi_q) - mean_lo_q) * fl(gamma_a * invstd_q) + beta_a
void run_normalize(const float* x, const NormLayout& l, const Centering& c, const float* gamma,
                   const float* beta, float* y) {
  for (int p = 0; p < l.outer; ++p)
    for (int q = 0; q < l.stats; ++q) {
      const std::size_t at = run_offset(l, p, q);
      const float* xr = x + at;
      float* yr = y + at;
      const int a0 = (q % l.groups) * l.per_group;
      const float mh = c.mean_hi[q], ml = c.mean_lo[q], inv = c.invstd[q];
      const v128_t vmh = splat4(mh), vml = splat4(ml), vinv = splat4(inv);
      auto centered4 = [&](int r) {
        return wasm_f32x4_sub(wasm_f32x4_sub(load4(xr + r), vmh), vml);
      };
      if (l.per_element_affine()) {
        const float* g = gamma + a0;
        const float* b = beta + a0;
        int r = 0;
        for (; r + 4 <= l.inner; r += 4) {
          const v128_t scale = wasm_f32x4_mul(load4(g + r), vinv);
          store4(yr + r, wasm_f32x4_add(wasm_f32x4_mul(centered4(r), scale), load4(b + r)));
        }
        for (; r < l.inner; ++r) yr[r] = ((xr[r] - mh) - ml) * (g[r] * inv) + b[r];
        continue;
      }
      for (int g = 0; g < l.per_group; ++g) {
        const float scale = gamma[a0 + g] * inv, shift = beta[a0 + g];
        const v128_t vscale = splat4(scale), vshift = splat4(shift);
        const int s1 = (g + 1) * l.segment;
        int s = g * l.segment;
        for (; s + 4 <= s1; s += 4)
          store4(yr + s, wasm_f32x4_add(wasm_f32x4_mul(centered4(s), vscale), vshift));
        for (; s < s1; ++s) yr[s] = ((xr[s] - mh) - ml) * scale + shift;
      }
    }
}

}  // namespace bn::kernels::simd
#endif  // __wasm_simd128__
