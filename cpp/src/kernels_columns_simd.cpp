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
#include "simd128.hpp"

namespace bn::kernels::simd {
namespace {

// Rows per block in the reductions (bn/kernels.hpp, kColumnRowBlock): the
// float partial sums of a block span at most this many rows.
constexpr int kRowBlock = kColumnRowBlock;

// The element-wise kernels (normalize, backward_dx) take blocks of
// kRowBlock rows while the batch stays in cache (the per-feature factors are
// then loaded once per block: 1.6-2x at 256x256), else one row at a time
// (sequential streams: 8 interleaved rows of a 4 MB batch ran 1.7x slower).
constexpr long kInCacheElements = 1L << 17;
inline bool in_cache(int m, int n) { return static_cast<long>(m) * n <= kInCacheElements; }

// p[0..3] += the four floats of v, as doubles.
inline void add_f64x4(double* p, v128_t v) {
  store2d(p, wasm_f64x2_add(load2d(p), lo_f64(v)));
  store2d(p + 2, wasm_f64x2_add(load2d(p + 2), hi_f64(v)));
}

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

// y_ik = ((x_ik - mean_hi_k) - mean_lo_k) * scale_k + shift_k
// Row by row, or (in_cache) blocks of kRowBlock rows in which a strip of 8
// features keeps its per-feature factors in registers across the rows.
void normalize(const float* x, int m, int n, const float* mean_hi, const float* mean_lo,
               const float* scale, const float* shift, float* y) {
  if (!in_cache(m, n)) {
    for (int i = 0; i < m; ++i) {
      const float* xr = x + static_cast<long>(i) * n;
      float* yr = y + static_cast<long>(i) * n;
      int k = 0;
      for (; k + 4 <= n; k += 4) {
        const v128_t c = wasm_f32x4_sub(wasm_f32x4_sub(load4(xr + k), load4(mean_hi + k)),
                                        load4(mean_lo + k));
        store4(yr + k, wasm_f32x4_add(wasm_f32x4_mul(c, load4(scale + k)), load4(shift + k)));
      }
      for (; k < n; ++k) yr[k] = ((xr[k] - mean_hi[k]) - mean_lo[k]) * scale[k] + shift[k];
    }
    return;
  }
  for (int i0 = 0; i0 < m; i0 += kRowBlock) {
    const int i1 = i0 + kRowBlock < m ? i0 + kRowBlock : m;
    int k = 0;
    for (; k + 8 <= n; k += 8) {
      const v128_t mh_a = load4(mean_hi + k), ml_a = load4(mean_lo + k);
      const v128_t sc_a = load4(scale + k), sh_a = load4(shift + k);
      const v128_t mh_b = load4(mean_hi + k + 4), ml_b = load4(mean_lo + k + 4);
      const v128_t sc_b = load4(scale + k + 4), sh_b = load4(shift + k + 4);
      for (int i = i0; i < i1; ++i) {
        const long at = static_cast<long>(i) * n + k;
        const v128_t ca = wasm_f32x4_sub(wasm_f32x4_sub(load4(x + at), mh_a), ml_a);
        const v128_t cb = wasm_f32x4_sub(wasm_f32x4_sub(load4(x + at + 4), mh_b), ml_b);
        store4(y + at, wasm_f32x4_add(wasm_f32x4_mul(ca, sc_a), sh_a));
        store4(y + at + 4, wasm_f32x4_add(wasm_f32x4_mul(cb, sc_b), sh_b));
      }
    }
    for (int i = i0; i < i1; ++i) {
      const float* xr = x + static_cast<long>(i) * n;
      float* yr = y + static_cast<long>(i) * n;
      for (int j = k; j < n; ++j) yr[j] = ((xr[j] - mean_hi[j]) - mean_lo[j]) * scale[j] + shift[j];
    }
  }
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

// backward_reduce on a batch out of cache: the same sums in the same order,
// but each row of a block is read whole (chunks of kChunk features), the
// block's float partial sums kept in a local array: two sequential streams
// (dy, x) instead of 2 x kRowBlock rows read 32 bytes at a time. Its loops
// are not unrolled: as fast, 0.4 KB gzip less of the dist budget.
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
      for (int i = i0; i < i1; ++i) {
        const float* dyr = dy + static_cast<long>(i) * ld;
        const float* xr = x + static_cast<long>(i) * ld;
        int k = c0;
#pragma clang loop unroll(disable)
        for (; k + 4 <= c1; k += 4) {
          const v128_t g = load4(dyr + k);
          const v128_t xhat = wasm_f32x4_mul(
              wasm_f32x4_sub(wasm_f32x4_sub(load4(xr + k), load4(mean_hi + k)), load4(mean_lo + k)),
              load4(invstd + k));
          add_f64x4(sum_dy + k, g);
          store4(t + (k - c0), wasm_f32x4_add(load4(t + (k - c0)), wasm_f32x4_mul(g, xhat)));
        }
        for (; k < c1; ++k) {
          const float xhat = ((xr[k] - mean_hi[k]) - mean_lo[k]) * invstd[k];
          sum_dy[k] += dyr[k];
          t[k - c0] += dyr[k] * xhat;
        }
      }
      for (int k = c0; k < c1; ++k) sum_dy_xhat[k] += t[k - c0];
    }
  }
}

// xhat_ik = fl(fl(fl(x_ik - mean_hi_k) - mean_lo_k) * invstd_k)
// sum_dy_k = sum_i dy_ik   (double, rows in order)
// sum_dy_xhat_k = sum_b fl(sum_{i in b} fl(dy_ik xhat_ik))   (float within a
//   block b of kRowBlock rows, rows in order; double over the blocks)
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
      const v128_t mh_a = load4(mean_hi + k), ml_a = load4(mean_lo + k), is_a = load4(invstd + k);
      const v128_t mh_b = load4(mean_hi + k + 4), ml_b = load4(mean_lo + k + 4);
      const v128_t is_b = load4(invstd + k + 4);
      v128_t sa = load2d(sum_dy + k), sb = load2d(sum_dy + k + 2);
      v128_t sc = load2d(sum_dy + k + 4), sd = load2d(sum_dy + k + 6);
      v128_t ta = wasm_f32x4_splat(0.0f), tb = ta;
      for (int i = i0; i < i1; ++i) {
        const long at = static_cast<long>(i) * ld + k;
        const v128_t ga = load4(dy + at), gb = load4(dy + at + 4);
        const v128_t xa = wasm_f32x4_mul(wasm_f32x4_sub(wasm_f32x4_sub(load4(x + at), mh_a), ml_a), is_a);
        const v128_t xb = wasm_f32x4_mul(wasm_f32x4_sub(wasm_f32x4_sub(load4(x + at + 4), mh_b), ml_b), is_b);
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
        const float xhat = ((x[at] - mean_hi[k]) - mean_lo[k]) * invstd[k];
        s += dy[at];
        t += dy[at] * xhat;
      }
      sum_dy[k] = s;
      sum_dy_xhat[k] += t;
    }
  }
}

// dx_ik = scale_k * (dy_ik - mean_dy_k - xhat_ik * mean_dy_xhat_k)
// Two rows at a time, or (in_cache) row blocks in which a strip of 4 features keeps
// its six per-feature factors in registers across the rows.
void backward_dx(const float* dy, const float* x, int m, int n, int ld, const float* mean_hi,
                 const float* mean_lo, const float* invstd, const float* scale,
                 const float* mean_dy, const float* mean_dy_xhat, float* dx) {
  if (!in_cache(m, n)) {
    // Two rows at a time: the six per-feature factors are loaded once for
    // both (an odd last row is taken as both rows: the same value written twice).
    for (int i = 0; i < m; i += 2) {
      const long step = i + 1 < m ? ld : 0;
      const float* x0 = x + static_cast<long>(i) * ld;
      const float* x1 = x0 + step;
      const float* dy0 = dy + static_cast<long>(i) * ld;
      const float* dy1 = dy0 + step;
      float* dx0 = dx + static_cast<long>(i) * ld;
      float* dx1 = dx0 + step;
      int k = 0;
      for (; k + 4 <= n; k += 4) {
        const v128_t mh = load4(mean_hi + k), ml = load4(mean_lo + k), is = load4(invstd + k);
        const v128_t sc = load4(scale + k), md = load4(mean_dy + k), mx = load4(mean_dy_xhat + k);
        const v128_t h0 = wasm_f32x4_mul(wasm_f32x4_sub(wasm_f32x4_sub(load4(x0 + k), mh), ml), is);
        const v128_t h1 = wasm_f32x4_mul(wasm_f32x4_sub(wasm_f32x4_sub(load4(x1 + k), mh), ml), is);
        store4(dx0 + k, wasm_f32x4_mul(sc, wasm_f32x4_sub(wasm_f32x4_sub(load4(dy0 + k), md), wasm_f32x4_mul(h0, mx))));
        store4(dx1 + k, wasm_f32x4_mul(sc, wasm_f32x4_sub(wasm_f32x4_sub(load4(dy1 + k), md), wasm_f32x4_mul(h1, mx))));
      }
      for (; k < n; ++k) {
        const float h0 = ((x0[k] - mean_hi[k]) - mean_lo[k]) * invstd[k];
        const float h1 = ((x1[k] - mean_hi[k]) - mean_lo[k]) * invstd[k];
        dx0[k] = scale[k] * ((dy0[k] - mean_dy[k]) - h0 * mean_dy_xhat[k]);
        dx1[k] = scale[k] * ((dy1[k] - mean_dy[k]) - h1 * mean_dy_xhat[k]);
      }
    }
    return;
  }
  for (int i0 = 0; i0 < m; i0 += kRowBlock) {
    const int i1 = i0 + kRowBlock < m ? i0 + kRowBlock : m;
    int k = 0;
    for (; k + 4 <= n; k += 4) {
      const v128_t mh = load4(mean_hi + k), ml = load4(mean_lo + k), is = load4(invstd + k);
      const v128_t sc = load4(scale + k), md = load4(mean_dy + k), mx = load4(mean_dy_xhat + k);
      for (int i = i0; i < i1; ++i) {
        const long at = static_cast<long>(i) * ld + k;
        const v128_t xhat = wasm_f32x4_mul(wasm_f32x4_sub(wasm_f32x4_sub(load4(x + at), mh), ml), is);
        const v128_t centered =
            wasm_f32x4_sub(wasm_f32x4_sub(load4(dy + at), md), wasm_f32x4_mul(xhat, mx));
        store4(dx + at, wasm_f32x4_mul(sc, centered));
      }
    }
    for (int i = i0; i < i1; ++i) {
      const long row = static_cast<long>(i) * ld;
      for (int j = k; j < n; ++j) {
        const float xhat = ((x[row + j] - mean_hi[j]) - mean_lo[j]) * invstd[j];
        dx[row + j] = scale[j] * ((dy[row + j] - mean_dy[j]) - xhat * mean_dy_xhat[j]);
      }
    }
  }
}

}  // namespace bn::kernels::simd
#endif  // __wasm_simd128__
