// Scalar column kernels: plain loops, feature by feature, over the rows in
// blocks of kColumnRowBlock (float sums within a block, double across).
// The formula each loop implements is in bn/kernels.hpp above its declaration.
#include "bn/kernels.hpp"

#include "column_stats.hpp"

#include <cstdint>
#include <cstring>

namespace bn::kernels::scalar {

// Small batches (m <= detail::kShiftedSumsRows, the trainer's): one pass
// shifted by the first row, in double, where the centre's rows would be a
// large share of the pass:
//   shift_k = x_0k; d_ik = fl(x_ik - shift_k); s1_k = sum_i d_ik; s2_k = sum_i d_ik^2
//   mean_k = shift_k + s1_k / m; var_k = (s2_k - s1_k^2 / m) / m
static void shifted_mean_var(const float* x, int m, int n, double* mean, double* var) {
  // mean/var double as the s1/s2 accumulators until the last loop.
  for (int k = 0; k < n; ++k) { mean[k] = 0.0; var[k] = 0.0; }
  for (int i = 1; i < m; ++i) {
    const float* row = x + static_cast<long>(i) * n;
    for (int k = 0; k < n; ++k) {
      const double d = static_cast<double>(row[k] - x[k]);
      mean[k] += d;
      var[k] += d * d;
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
void batch_mean_var(const float* x, int m, int n, double* mean, double* var) {
  if (m <= detail::kShiftedSumsRows) return shifted_mean_var(x, m, n, mean, var);
  detail::column_mean_var(x, m, n, mean, var, detail::centred_rows_scalar);
}

// y_ik = fl(x_ik - mean_hi_k) * scale_k + shift_k   (shift_k: folded_shift; factors Packed)
void normalize(const float* x, int m, int n, const float* factors, float* y) {
  constexpr int F = kNormalizeFields;
  for (int i = 0; i < m; ++i) {
    const float* xr = x + static_cast<long>(i) * n;
    float* yr = y + static_cast<long>(i) * n;
    for (int k = 0; k < n; ++k) {
      const float* f = factors + Packed::at(k, F, Packed::mean_hi);
      yr[k] = (xr[k] - f[0]) * f[4 * Packed::scale] + f[4 * Packed::shift];
    }
  }
}

// y_ik = x_ik * a_k + b_k; false where some x_ik has its top seven exponent
// bits set (|x| >= 2^127, NaN or Infinity), tested on the bits as it is read
bool scale_shift(const float* x, int m, int n, const float* a, const float* b, float* y) {
  constexpr std::uint32_t kTopExponentBits = 0x7f000000u;
  std::uint32_t found = 0;
  for (int i = 0; i < m; ++i) {
    const float* xr = x + static_cast<long>(i) * n;
    float* yr = y + static_cast<long>(i) * n;
    for (int k = 0; k < n; ++k) {
      std::uint32_t bits;
      std::memcpy(&bits, xr + k, sizeof bits);
      found |= static_cast<std::uint32_t>((bits & kTopExponentBits) == kTopExponentBits);
      yr[k] = xr[k] * a[k] + b[k];
    }
  }
  return found == 0;
}

// u_ik = fl(fl(x_ik - mean_hi_k) * invstd_k)   (xhat_ik + mean_lo_k invstd_k)
// sum_dy_k = sum_i dy_ik (double, rows in order)
// sum_dy_xhat_k = sum_b fl(sum_{i in b} fl(dy_ik * u_ik)) - mean_lo_k invstd_k sum_dy_k
//   (float within each block b of kColumnRowBlock rows, double over the blocks)
void backward_reduce(const float* dy, const float* x, int m, int n, int ld, const float* mean_hi,
                     const float* mean_lo, const float* invstd, double* sum_dy,
                     double* sum_dy_xhat) {
  constexpr int kStrip = 64;   // features whose block sums stay in a local array
  for (int k = 0; k < n; ++k) { sum_dy[k] = 0.0; sum_dy_xhat[k] = 0.0; }
  for (int i0 = 0; i0 < m; i0 += kColumnRowBlock) {
    const int i1 = i0 + kColumnRowBlock < m ? i0 + kColumnRowBlock : m;
    for (int k0 = 0; k0 < n; k0 += kStrip) {
      const int k1 = k0 + kStrip < n ? k0 + kStrip : n;
      float t[kStrip] = {};
      for (int i = i0; i < i1; ++i) {
        const float* xr = x + static_cast<long>(i) * ld;
        const float* dyr = dy + static_cast<long>(i) * ld;
        for (int k = k0; k < k1; ++k) {
          const float u = (xr[k] - mean_hi[k]) * invstd[k];
          sum_dy[k] += dyr[k];
          t[k - k0] += dyr[k] * u;
        }
      }
      for (int k = k0; k < k1; ++k) sum_dy_xhat[k] += t[k - k0];
    }
  }
  detail::remove_mean_lo(n, mean_lo, invstd, sum_dy, sum_dy_xhat);
}

// dx_ik = ((dy_ik - shift_k) + fl(x_ik - mean_hi_k) * slope_k) * scale_k   (dx_factors; Packed)
void backward_dx(const float* dy, const float* x, int m, int n, int ld, const float* factors, float* dx) {
  constexpr int F = kDxFields;
  for (int i = 0; i < m; ++i) {
    const float* xr = x + static_cast<long>(i) * ld;
    const float* dyr = dy + static_cast<long>(i) * ld;
    float* dxr = dx + static_cast<long>(i) * ld;
    for (int k = 0; k < n; ++k) {
      const float* f = factors + Packed::at(k, F, Packed::mean_hi);
      dxr[k] = ((dyr[k] - f[4 * Packed::dx_shift]) + (xr[k] - f[0]) * f[4 * Packed::slope]) * f[4 * Packed::scale];
    }
  }
}

}  // namespace bn::kernels::scalar
