// WebAssembly SIMD column kernels (wasm_simd128.h). Same results as the scalar
// column kernels, bit for bit: the same operations per element in the same order,
// four features per vector. Reductions walk the rows in blocks of kRowBlock;
// within a block a strip of features sums in float lanes (sum dy: double),
// merged into double per block (the last n % 4 features take the scalar
// loop: the same sums in the same order).
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>

#include <cstdint>
#include <cstring>

#include "bn/kernels.hpp"
#include "column_stats.hpp"
#include "kernels_columns_simd.hpp"
#include "simd128.hpp"

namespace bn::kernels::simd {

using shared::add_f64x4;
using shared::kRowBlock;
using shared::rows_in_pairs;

namespace {

// s1[0 .. 4V) += the float sums over rows [i0, i1) of c = fl(x_i - centre),
// s2[0 .. 4V) += those of fl(c^2).
template <int V>
inline void centred_block(const float* x, int n, int i0, int i1, const float* centre, double* s1,
                          double* s2) {
  v128_t a[V], t1[V], t2[V];
  for (int v = 0; v < V; ++v) {
    a[v] = load4(centre + 4 * v);
    t1[v] = wasm_f32x4_splat(0.0f);
    t2[v] = t1[v];
  }
  for (int i = i0; i < i1; ++i) {
    const float* row = x + static_cast<long>(i) * n;
    for (int v = 0; v < V; ++v) {
      const v128_t c = wasm_f32x4_sub(load4(row + 4 * v), a[v]);
      t1[v] = wasm_f32x4_add(t1[v], c);
      t2[v] = wasm_f32x4_add(t2[v], wasm_f32x4_mul(c, c));
    }
  }
  for (int v = 0; v < V; ++v) {
    add_f64x4(s1 + 4 * v, t1[v]);
    add_f64x4(s2 + 4 * v, t2[v]);
  }
}

// One row block [i0, i1) of the pass for features [k0, k1): strips of 8
// (two vectors: two independent float chains per sum; 16 ran no faster and
// cost 0.4 KB gzip more with a strip of 4 for the rest), then the scalar
// loop for the last n % 8.
__attribute__((noinline)) void centred_rows(const float* x, int n, int i0, int i1, int k0, int k1,
                                            const float* centre, double* s1, double* s2) {
  int k = k0;
  for (; k + 8 <= k1; k += 8) centred_block<2>(x + k, n, i0, i1, centre + (k - k0), s1 + k, s2 + k);
  if (k < k1) detail::centred_rows_scalar(x, n, i0, i1, k, k1, centre + (k - k0), s1, s2);
}

}  // namespace

// Small batches (m <= detail::kShiftedSumsRows): the shifted sums in double
// lanes, as the scalar shifted_mean_var, rows in blocks of kRowBlock with
// each strip of 8 features' sums in registers:
//   shift_k = x_0k; d_ik = fl(x_ik - shift_k); s1_k = sum_i d_ik; s2_k = sum_i d_ik^2
static void shifted_mean_var(const float* x, int m, int n, double* mean, double* var) {
  // mean/var hold the s1/s2 sums until the last loop.
  for (int k = 0; k < n; ++k) { mean[k] = 0.0; var[k] = 0.0; }
  for (int i0 = 1; i0 < m; i0 += kRowBlock) {
    const int i1 = i0 + kRowBlock < m ? i0 + kRowBlock : m;
    int k = 0;
    for (; k + 8 <= n; k += 8) {
      const v128_t shift_a = load4(x + k), shift_b = load4(x + k + 4);
      v128_t s1a = load2d(mean + k), s1b = load2d(mean + k + 2);
      v128_t s1c = load2d(mean + k + 4), s1d = load2d(mean + k + 6);
      v128_t s2a = load2d(var + k), s2b = load2d(var + k + 2);
      v128_t s2c = load2d(var + k + 4), s2d = load2d(var + k + 6);
#pragma clang loop unroll(disable)
      for (int i = i0; i < i1; ++i) {
        const float* row = x + static_cast<long>(i) * n + k;
        const v128_t da = wasm_f32x4_sub(load4(row), shift_a);
        const v128_t db = wasm_f32x4_sub(load4(row + 4), shift_b);
        const v128_t d0 = lo_f64(da), d1 = hi_f64(da), d2 = lo_f64(db), d3 = hi_f64(db);
        s1a = wasm_f64x2_add(s1a, d0); s2a = wasm_f64x2_add(s2a, wasm_f64x2_mul(d0, d0));
        s1b = wasm_f64x2_add(s1b, d1); s2b = wasm_f64x2_add(s2b, wasm_f64x2_mul(d1, d1));
        s1c = wasm_f64x2_add(s1c, d2); s2c = wasm_f64x2_add(s2c, wasm_f64x2_mul(d2, d2));
        s1d = wasm_f64x2_add(s1d, d3); s2d = wasm_f64x2_add(s2d, wasm_f64x2_mul(d3, d3));
      }
      store_f64x4(mean + k, s1a, s1b); store_f64x4(mean + k + 4, s1c, s1d);
      store_f64x4(var + k, s2a, s2b);  store_f64x4(var + k + 4, s2c, s2d);
    }
    for (; k < n; ++k) {
      double s1 = mean[k], s2 = var[k];
#pragma clang loop unroll(disable)
      for (int i = i0; i < i1; ++i) {
        const double d = static_cast<double>(x[static_cast<long>(i) * n + k] - x[k]);
        s1 += d;
        s2 += d * d;
      }
      mean[k] = s1;
      var[k] = s2;
    }
  }
  for (int k = 0; k < n; ++k) {
    const double s1 = mean[k], s2 = var[k];
    mean[k] = static_cast<double>(x[k]) + s1 / m;
    const double v = (s2 - s1 * s1 / m) / m;
    var[k] = v > 0.0 ? v : 0.0;
  }
}

// One pass around a centre a_k taken from a few rows, float sums within row
// blocks (cpp/src/column_stats.hpp, which gives the formulas):
//   a_k = fl(x_0k + mean over a few row blocks of fl(x_ik - x_0k)),  c_ik = fl(x_ik - a_k)
//   mean_k = a_k + sum_i c_ik / m;  var_k = sum_i c_ik^2 / m - (sum_i c_ik / m)^2
// and the shifted double sums for a feature whose float sums may not hold.
// Per feature the scalar kernel's operations, 8 features at a time.
void batch_mean_var(const float* x, int m, int n, double* mean, double* var) {
  if (m <= detail::kShiftedSumsRows) return shifted_mean_var(x, m, n, mean, var);
  detail::column_mean_var(x, m, n, mean, var, centred_rows);
}

namespace {

// normalize, Rows (1 or 2) rows at a time: the factors loaded once for
// them (an odd last row of a pair is taken as both rows); the last n % 4
// features by the scalar kernel's formula.
template <int Rows>
void normalize_rows(const float* x, int m, int n, const float* factors, float* y) {
  constexpr int F = kNormalizeFields;
  const int n4 = n & ~3;
#pragma clang loop unroll(disable)
  for (int i = 0; i < m; i += Rows) {
    const long step = Rows == 2 && i + 1 < m ? n : 0;
    const float* x0 = x + static_cast<long>(i) * n;
    float* y0 = y + static_cast<long>(i) * n;
#pragma clang loop unroll(disable)
    for (int k = 0; k < n4; k += 4) {
      const float* f = factors + k * F;
      const v128_t mh = load4(f), sc = load4(f + 4 * Packed::scale), sh = load4(f + 4 * Packed::shift);
      for (int r = 0; r < Rows; ++r)
        store4(y0 + r * step + k,
               wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_sub(load4(x0 + r * step + k), mh), sc), sh));
    }
    for (int k = n4; k < n; ++k)
      for (int r = 0; r < Rows; ++r) {
        const float* f = factors + Packed::at(k, F, Packed::mean_hi);
        y0[r * step + k] = (x0[r * step + k] - f[0]) * f[4 * Packed::scale] + f[4 * Packed::shift];
      }
  }
}

}  // namespace

// y_ik = fl(x_ik - mean_hi_k) * scale_k + shift_k   (shift_k: folded_shift; factors Packed)
// Two rows at a time while the batch is at most kPairElements, else one
// (kernels_columns_simd.hpp says why).
void normalize(const float* x, int m, int n, const float* factors, float* y) {
  if (rows_in_pairs(m, n)) normalize_rows<2>(x, m, n, factors, y);
  else normalize_rows<1>(x, m, n, factors, y);
}

// y_ik = x_ik * a_k + b_k; false where some x_ik has its top seven exponent
// bits set (|x| >= 2^127, NaN or Infinity), tested on the bits as it is read
bool scale_shift(const float* x, int m, int n, const float* a, const float* b, float* y) {
  const v128_t top = wasm_i32x4_splat(0x7f000000);
  v128_t found = wasm_i32x4_splat(0);
  std::uint32_t found_tail = 0;
  for (int i = 0; i < m; ++i) {
    const float* xr = x + static_cast<long>(i) * n;
    float* yr = y + static_cast<long>(i) * n;
    int k = 0;
    for (; k + 4 <= n; k += 4) {
      const v128_t v = load4(xr + k);
      found = wasm_v128_or(found, wasm_i32x4_eq(wasm_v128_and(v, top), top));
      store4(yr + k, wasm_f32x4_add(wasm_f32x4_mul(v, load4(a + k)), load4(b + k)));
    }
    for (; k < n; ++k) {
      std::uint32_t bits;
      std::memcpy(&bits, xr + k, sizeof bits);
      found_tail |= static_cast<std::uint32_t>((bits & 0x7f000000u) == 0x7f000000u);
      yr[k] = xr[k] * a[k] + b[k];
    }
  }
  return !wasm_v128_any_true(found) && found_tail == 0;
}

}  // namespace bn::kernels::simd
#endif  // __wasm_simd128__
