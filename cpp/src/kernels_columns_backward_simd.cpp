// WebAssembly SIMD column kernels of the backward (wasm_simd128.h): the
// scalar kernels' results bit for bit, four features per vector (formulas in
// bn/kernels.hpp and above each kernel).
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>

#include "bn/kernels.hpp"
#include "kernels_columns_simd.hpp"
#include "simd128.hpp"

namespace bn::kernels::simd {

using shared::add_f64x4;
using shared::in_cache;
using shared::kRowBlock;
using shared::rows_in_pairs;

// backward_reduce on a batch out of cache: the same sums in the same order,
// but each row of a block is read whole (chunks of kChunk features), the
// block's float partial sums kept in a local array: sequential streams
// (dy, x) instead of 2 x kRowBlock rows read 32 bytes at a time; two rows
// at a time, so that the factors and the partial sums are loaded and
// stored once per pair (1024x1024: 0.47 -> 0.36 ms). Its loops are not
// unrolled: as fast, 0.4 KB gzip less of the dist budget.
static void backward_reduce_streaming(const float* dy, const float* x, int m, int n, int ld,
                                      const float* mean_hi, const float* mean_lo, const float* invstd,
                                      double* sum_dy, double* sum_dy_xhat) {
  constexpr int kChunk = 1024;
  alignas(16) float t[kChunk];
  for (int k = 0; k < n; ++k) { sum_dy[k] = 0.0; sum_dy_xhat[k] = 0.0; }
  for (int i0 = 0; i0 < m; i0 += kRowBlock) {
    const int i1 = i0 + kRowBlock < m ? i0 + kRowBlock : m;
    for (int c0 = 0; c0 < n; c0 += kChunk) {
      const int c1 = c0 + kChunk < n ? c0 + kChunk : n;
#pragma clang loop unroll(disable)
      for (int k = 0; k < c1 - c0; ++k) t[k] = 0.0f;
      // Two rows at a time (each sum still adds row i, then row i + 1): the
      // factors and the running sums are loaded and stored once for both.
      // An odd last row goes with a row of zeros (its own x, dy masked to
      // +0): adding +0 changes no sum, which never holds -0.
      for (int i = i0; i < i1; i += 2) {
        const bool pair = i + 1 < i1;
        const float* dy0 = dy + static_cast<long>(i) * ld;
        const float* x0 = x + static_cast<long>(i) * ld;
        const float* dy1 = pair ? dy0 + ld : dy0;
        const float* x1 = pair ? x0 + ld : x0;
        const v128_t keep1 = wasm_i32x4_splat(pair ? -1 : 0);
        int k = c0;
#pragma clang loop unroll(disable)
        for (; k + 4 <= c1; k += 4) {
          const v128_t mh = load4(mean_hi + k), is = load4(invstd + k);
          const v128_t g0 = load4(dy0 + k), g1 = wasm_v128_and(load4(dy1 + k), keep1);
          const v128_t u0 = wasm_f32x4_mul(wasm_f32x4_sub(load4(x0 + k), mh), is);
          const v128_t u1 = wasm_f32x4_mul(wasm_f32x4_sub(load4(x1 + k), mh), is);
          v128_t s_lo = load2d(sum_dy + k), s_hi = load2d(sum_dy + k + 2);
          s_lo = wasm_f64x2_add(wasm_f64x2_add(s_lo, lo_f64(g0)), lo_f64(g1));
          s_hi = wasm_f64x2_add(wasm_f64x2_add(s_hi, hi_f64(g0)), hi_f64(g1));
          store_f64x4(sum_dy + k, s_lo, s_hi);
          const v128_t tk = wasm_f32x4_add(load4(t + (k - c0)), wasm_f32x4_mul(g0, u0));
          store4(t + (k - c0), wasm_f32x4_add(tk, wasm_f32x4_mul(g1, u1)));
        }
        for (; k < c1; ++k) {
          const float g1 = pair ? dy1[k] : 0.0f;
          const float u0 = (x0[k] - mean_hi[k]) * invstd[k];
          const float u1 = (x1[k] - mean_hi[k]) * invstd[k];
          sum_dy[k] = (sum_dy[k] + dy0[k]) + g1;
          t[k - c0] = (t[k - c0] + dy0[k] * u0) + g1 * u1;
        }
      }
      for (int k = c0; k < c1; ++k) sum_dy_xhat[k] += t[k - c0];
    }
  }
  detail::remove_mean_lo(n, mean_lo, invstd, sum_dy, sum_dy_xhat);
}

// u_ik = fl(fl(x_ik - mean_hi_k) * invstd_k)   (xhat_ik + mean_lo_k invstd_k)
// sum_dy_k = sum_i dy_ik   (double, rows in order)
// sum_dy_xhat_k = sum_b fl(sum_{i in b} fl(dy_ik u_ik)) - mean_lo_k invstd_k sum_dy_k
//   (float within a block b of kRowBlock rows, rows in order; double over
//   the blocks and for the last term)
// Row blocks and strips as in batch_mean_var.
void backward_reduce(const float* dy, const float* x, int m, int n, int ld, const float* mean_hi,
                     const float* mean_lo, const float* invstd, double* sum_dy,
                     double* sum_dy_xhat) {
  if (!in_cache(m, n)) return backward_reduce_streaming(dy, x, m, n, ld, mean_hi, mean_lo, invstd,
                                                         sum_dy, sum_dy_xhat);
  for (int k = 0; k < n; ++k) { sum_dy[k] = 0.0; sum_dy_xhat[k] = 0.0; }
  for (int i0 = 0; i0 < m; i0 += kRowBlock) {
    const int i1 = i0 + kRowBlock < m ? i0 + kRowBlock : m;
    int k = 0;
    for (; k + 8 <= n; k += 8) {
      const v128_t mh_a = load4(mean_hi + k), is_a = load4(invstd + k);
      const v128_t mh_b = load4(mean_hi + k + 4), is_b = load4(invstd + k + 4);
      v128_t sa = load2d(sum_dy + k), sb = load2d(sum_dy + k + 2);
      v128_t sc = load2d(sum_dy + k + 4), sd = load2d(sum_dy + k + 6);
      v128_t ta = wasm_f32x4_splat(0.0f), tb = ta;
      for (int i = i0; i < i1; ++i) {
        const long at = static_cast<long>(i) * ld + k;
        const v128_t ga = load4(dy + at), gb = load4(dy + at + 4);
        const v128_t xa = wasm_f32x4_mul(wasm_f32x4_sub(load4(x + at), mh_a), is_a);
        const v128_t xb = wasm_f32x4_mul(wasm_f32x4_sub(load4(x + at + 4), mh_b), is_b);
        sa = wasm_f64x2_add(sa, lo_f64(ga)); sb = wasm_f64x2_add(sb, hi_f64(ga));
        sc = wasm_f64x2_add(sc, lo_f64(gb)); sd = wasm_f64x2_add(sd, hi_f64(gb));
        ta = wasm_f32x4_add(ta, wasm_f32x4_mul(ga, xa));
        tb = wasm_f32x4_add(tb, wasm_f32x4_mul(gb, xb));
      }
      store_f64x4(sum_dy + k, sa, sb); store_f64x4(sum_dy + k + 4, sc, sd);
      add_f64x4(sum_dy_xhat + k, ta); add_f64x4(sum_dy_xhat + k + 4, tb);
    }
    for (; k < n; ++k) {
      double s = sum_dy[k];
      float t = 0.0f;
      for (int i = i0; i < i1; ++i) {
        const long at = static_cast<long>(i) * ld + k;
        const float u = (x[at] - mean_hi[k]) * invstd[k];
        s += dy[at];
        t += dy[at] * u;
      }
      sum_dy[k] = s;
      sum_dy_xhat[k] += t;
    }
  }
  detail::remove_mean_lo(n, mean_lo, invstd, sum_dy, sum_dy_xhat);
}

namespace {

// backward_dx, Rows (1 or 2) rows at a time: the factors loaded once for
// them (an odd last row of a pair is taken as both rows).
template <int Rows>
void backward_dx_rows(const float* dy, const float* x, int m, int n, int ld, const float* factors,
                      float* dx) {
  constexpr int F = kDxFields;
#pragma clang loop unroll(disable)
  for (int i = 0; i < m; i += Rows) {
    const long step = Rows == 2 && i + 1 < m ? ld : 0;
    const long row = static_cast<long>(i) * ld;
#pragma clang loop unroll(disable)
    for (int k = 0; k + 4 <= n; k += 4) {
      const float* f = factors + k * F;
      const v128_t mh = load4(f), sc = load4(f + 4 * Packed::scale);
      const v128_t sl = load4(f + 4 * Packed::slope), sh = load4(f + 4 * Packed::dx_shift);
      for (int r = 0; r < Rows; ++r) {
        const long at = row + r * step + k;
        const v128_t c = wasm_f32x4_sub(load4(x + at), mh);
        store4(dx + at, wasm_f32x4_mul(wasm_f32x4_add(wasm_f32x4_sub(load4(dy + at), sh), wasm_f32x4_mul(c, sl)), sc));
      }
    }
  }
  // The last n % 4 features: the scalar kernel on that panel (the same formula).
  const int k0 = n & ~3;
  if (k0 < n) scalar::backward_dx(dy + k0, x + k0, m, n - k0, ld, factors + k0 * F, dx + k0);
}

}  // namespace

// dx_ik = ((dy_ik - shift_k) + fl(x_ik - mean_hi_k) * slope_k) * scale_k   (dx_factors; Packed)
// Rows in pairs or one at a time, as normalize.
void backward_dx(const float* dy, const float* x, int m, int n, int ld, const float* factors, float* dx) {
  if (rows_in_pairs(m, n)) backward_dx_rows<2>(dy, x, m, n, ld, factors, dx);
  else backward_dx_rows<1>(dy, x, m, n, ld, factors, dx);
}

}  // namespace bn::kernels::simd
#endif  // __wasm_simd128__
