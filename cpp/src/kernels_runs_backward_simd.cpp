// WebAssembly SIMD run kernels, backward half. Same bits as the scalar run
// kernels (lane order of bn/run_kernels.hpp); the formula each kernel
// implements is in bn/run_kernels.hpp above its declaration.
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>

#include <cstddef>

#include "bn/run_kernels.hpp"
#include "run_layout.hpp"
#include "simd128.hpp"

namespace bn::kernels::simd {
namespace {

using detail::run_offset;

// One run's view for the backward kernels: x, dy and its statistic.
struct Run {
  const float* x;
  const float* dy;
  float mh, ml, inv;
  float xhat(int j) const { return ((x[j] - mh) - ml) * inv; }
  v128_t xhat4(int j) const {
    return wasm_f32x4_mul(
        wasm_f32x4_sub(wasm_f32x4_sub(load4(x + j), splat4(mh)), splat4(ml)), splat4(inv));
  }
};

// One segment [s0, s1) with one parameter: sum dy and sum dy xhat.
void segment_sums(const Run& run, int s0, int s1, double& s_dy, double& s_dy_xhat) {
  v128_t a[4], b[4];
  for (int k = 0; k < 4; ++k) a[k] = b[k] = wasm_f64x2_splat(0.0);
  int j = s0;
  for (; j + 8 <= s1; j += 8) {
    const v128_t g0 = load4(run.dy + j), g1 = load4(run.dy + j + 4);
    const v128_t h0 = run.xhat4(j), h1 = run.xhat4(j + 4);
    const v128_t g[4] = {lo_f64(g0), hi_f64(g0), lo_f64(g1), hi_f64(g1)};
    const v128_t h[4] = {lo_f64(h0), hi_f64(h0), lo_f64(h1), hi_f64(h1)};
    for (int k = 0; k < 4; ++k) {
      a[k] = wasm_f64x2_add(a[k], g[k]);
      b[k] = wasm_f64x2_add(b[k], wasm_f64x2_mul(g[k], h[k]));
    }
  }
  Lanes8 sa{a[0], a[1], a[2], a[3]}, sb{b[0], b[1], b[2], b[3]};
  double t1 = sa.total(), t2 = sb.total();
  for (; j < s1; ++j) {
    const double d = run.dy[j];
    t1 += d;
    t2 += d * static_cast<double>(run.xhat(j));
  }
  s_dy = t1;
  s_dy_xhat = t2;
}

// A run whose elements each have their own parameter: per-element dbeta,
// dgamma (in order of the runs) and the run's sums of dxhat, dxhat xhat.
void per_element_sums(const Run& run, int len, const float* gamma, double* dgamma, double* dbeta,
                      double& s_dxhat, double& s_dxhat_xhat) {
  v128_t a[4], b[4];
  for (int k = 0; k < 4; ++k) a[k] = b[k] = wasm_f64x2_splat(0.0);
  int j = 0;
  for (; j + 8 <= len; j += 8) {
    const v128_t g0 = load4(run.dy + j), g1 = load4(run.dy + j + 4);
    const v128_t h0 = run.xhat4(j), h1 = run.xhat4(j + 4);
    const v128_t w0 = load4(gamma + j), w1 = load4(gamma + j + 4);
    const v128_t g[4] = {lo_f64(g0), hi_f64(g0), lo_f64(g1), hi_f64(g1)};
    const v128_t h[4] = {lo_f64(h0), hi_f64(h0), lo_f64(h1), hi_f64(h1)};
    const v128_t w[4] = {lo_f64(w0), hi_f64(w0), lo_f64(w1), hi_f64(w1)};
    for (int k = 0; k < 4; ++k) {
      double* db = dbeta + j + 2 * k;
      double* dg = dgamma + j + 2 * k;
      store2d(db, wasm_f64x2_add(load2d(db), g[k]));
      store2d(dg, wasm_f64x2_add(load2d(dg), wasm_f64x2_mul(g[k], h[k])));
      const v128_t dxhat = wasm_f64x2_mul(w[k], g[k]);
      a[k] = wasm_f64x2_add(a[k], dxhat);
      b[k] = wasm_f64x2_add(b[k], wasm_f64x2_mul(dxhat, h[k]));
    }
  }
  Lanes8 sa{a[0], a[1], a[2], a[3]}, sb{b[0], b[1], b[2], b[3]};
  double t1 = sa.total(), t2 = sb.total();
  for (; j < len; ++j) {
    const double g = run.dy[j], h = run.xhat(j);
    dbeta[j] += g;
    dgamma[j] += g * h;
    const double dxhat = static_cast<double>(gamma[j]) * g;
    t1 += dxhat;
    t2 += dxhat * h;
  }
  s_dxhat = t1;
  s_dxhat_xhat = t2;
}

}  // namespace

// sum_dxhat_q = sum gamma_a dy, sum_dxhat_xhat_q = sum gamma_a dy xhat;
// dbeta_a = sum dy, dgamma_a = sum dy xhat
void run_backward_sums(const float* dy, const float* x, const NormLayout& l, const Centering& c,
                       const float* gamma, double* sum_dxhat, double* sum_dxhat_xhat,
                       double* dgamma, double* dbeta) {
  for (int q = 0; q < l.stats; ++q) { sum_dxhat[q] = 0.0; sum_dxhat_xhat[q] = 0.0; }
  for (int a = 0; a < l.params(); ++a) { dgamma[a] = 0.0; dbeta[a] = 0.0; }
  for (int p = 0; p < l.outer; ++p)
    for (int q = 0; q < l.stats; ++q) {
      const std::size_t at = run_offset(l, p, q);
      const Run run{x + at, dy + at, c.mean_hi[q], c.mean_lo[q], c.invstd[q]};
      const int a0 = (q % l.groups) * l.per_group;
      double s_dxhat, s_dxhat_xhat;
      if (l.per_element_affine()) {
        per_element_sums(run, l.inner, gamma + a0, dgamma + a0, dbeta + a0, s_dxhat, s_dxhat_xhat);
      } else {
        s_dxhat = 0.0;
        s_dxhat_xhat = 0.0;
        for (int g = 0; g < l.per_group; ++g) {
          double s_dy, s_dy_xhat;
          segment_sums(run, g * l.segment, (g + 1) * l.segment, s_dy, s_dy_xhat);
          dbeta[a0 + g] += s_dy;
          dgamma[a0 + g] += s_dy_xhat;
          s_dxhat += static_cast<double>(gamma[a0 + g]) * s_dy;
          s_dxhat_xhat += static_cast<double>(gamma[a0 + g]) * s_dy_xhat;
        }
      }
      sum_dxhat[q] += s_dxhat;
      sum_dxhat_xhat[q] += s_dxhat_xhat;
    }
}

// dx = ((gamma_a dy - k1_q) - xhat k2_q) invstd_q
void run_backward_dx(const float* dy, const float* x, const NormLayout& l, const Centering& c,
                     const float* gamma, const float* k1, const float* k2, float* dx) {
  for (int p = 0; p < l.outer; ++p)
    for (int q = 0; q < l.stats; ++q) {
      const std::size_t at = run_offset(l, p, q);
      const Run run{x + at, dy + at, c.mean_hi[q], c.mean_lo[q], c.invstd[q]};
      float* out = dx + at;
      const int a0 = (q % l.groups) * l.per_group;
      const v128_t vk1 = splat4(k1[q]), vk2 = splat4(k2[q]), vinv = splat4(run.inv);
      auto four = [&](int r, v128_t g) {
        const v128_t t = wasm_f32x4_sub(wasm_f32x4_mul(g, load4(run.dy + r)), vk1);
        store4(out + r, wasm_f32x4_mul(wasm_f32x4_sub(t, wasm_f32x4_mul(run.xhat4(r), vk2)), vinv));
      };
      auto one = [&](int r, float g) {
        out[r] = ((g * run.dy[r] - k1[q]) - run.xhat(r) * k2[q]) * run.inv;
      };
      if (l.per_element_affine()) {
        const float* g = gamma + a0;
        int r = 0;
        for (; r + 4 <= l.inner; r += 4) four(r, load4(g + r));
        for (; r < l.inner; ++r) one(r, g[r]);
        continue;
      }
      for (int g = 0; g < l.per_group; ++g) {
        const float w = gamma[a0 + g];
        const int s1 = (g + 1) * l.segment;
        int s = g * l.segment;
        for (; s + 4 <= s1; s += 4) four(s, splat4(w));
        for (; s < s1; ++s) one(s, w);
      }
    }
}

}  // namespace bn::kernels::simd
#endif  // __wasm_simd128__
