#include "norm_wide_scale.hpp"

#include <cfloat>
#include <cmath>
#include <cstddef>

namespace bn::detail {
namespace {

bool wide(float gamma, float invstd) {
  return !(std::fabs(static_cast<double>(gamma) * static_cast<double>(invstd)) <= FLT_MAX);
}

float centered(float x, const kernels::Centering& c, int q) {
  return (x - c.mean_hi[q]) - c.mean_lo[q];
}

}  // namespace

// max |gamma| * max invstd > FLT_MAX / 2. Comparisons, not std::fmax (a
// libm call per element in WebAssembly); NaN cannot reach here (gamma and
// invstd are checked finite), and a NaN would be skipped as fmax skips it.
bool scale_may_overflow(const float* gamma, int params, const float* invstd, int stats) {
  float g = 0.0f, inv = 0.0f;
  for (int a = 0; a < params; ++a) {
    const float v = std::fabs(gamma[a]);
    g = v > g ? v : g;
  }
  for (int q = 0; q < stats; ++q) inv = invstd[q] > inv ? invstd[q] : inv;
  return static_cast<double>(g) * static_cast<double>(inv) > FLT_MAX / 2.0;
}

void normalize_wide_scale(const float* x, const NormLayout& l, const kernels::Centering& c,
                          const float* gamma, const float* beta, float* y) {
  for (int p = 0; p < l.outer; ++p)
    for (int q = 0; q < l.stats; ++q) {
      const std::size_t at = (static_cast<std::size_t>(p) * l.stats + q) * l.inner;
      const double inv = c.invstd[q];
      for (int r = 0; r < l.inner; ++r) {
        const int a = affine_index(l, q, r);
        if (!wide(gamma[a], c.invstd[q])) continue;
        const double v = static_cast<double>(centered(x[at + r], c, q)) * inv * gamma[a] + beta[a];
        y[at + r] = static_cast<float>(v);
      }
    }
}

void backward_dx_wide_scale(const float* dy, const float* x, int m, int n,
                            const kernels::Centering& c, const float* gamma,
                            const float* mean_dy, const float* mean_dy_xhat, float* dx) {
  for (int k = 0; k < n; ++k) {
    if (!wide(gamma[k], c.invstd[k])) continue;
    const double inv = c.invstd[k];
    for (int i = 0; i < m; ++i) {
      const std::size_t j = static_cast<std::size_t>(i) * n + k;
      const float xhat = centered(x[j], c, k) * c.invstd[k];
      const float g = (dy[j] - mean_dy[k]) - xhat * mean_dy_xhat[k];
      dx[j] = static_cast<float>(static_cast<double>(g) * inv * gamma[k]);
    }
  }
}

}  // namespace bn::detail
