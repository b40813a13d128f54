// Scalar run kernels: plain loops over the runs of a NormLayout, summing in
// double in the eight-lane order of bn/run_kernels.hpp (so that the SIMD
// kernels give the same bits). The formula each kernel implements is in
// bn/run_kernels.hpp above its declaration.
#include "bn/run_kernels.hpp"

#include <cstddef>

#include "run_layout.hpp"

namespace bn::kernels::scalar {
namespace {

using detail::finish_mean_var;
using detail::run_offset;

// Eight partial sums, lane j taking the element whose index in the run is
// j (mod 8), combined as the SIMD kernels combine their four double pairs.
struct LaneSum {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  double total() const { return ((s[0] + s[2]) + (s[4] + s[6])) + ((s[1] + s[3]) + (s[5] + s[7])); }
};

// Two sums in one walk over a run: f(j, a, b) returns both terms.
template <class F>
void lane_sums2(int len, double& out_a, double& out_b, F&& f) {
  const int body = len - len % 8;
  LaneSum a, b;
  for (int j = 0; j < body; ++j) f(j, a.s[j & 7], b.s[j & 7]);
  double ta = a.total(), tb = b.total();
  for (int j = body; j < len; ++j) f(j, ta, tb);
  out_a = ta;
  out_b = tb;
}

inline float centered(float x, const Centering& c, int q) {
  return (x - c.mean_hi[q]) - c.mean_lo[q];
}

}  // namespace

// shift_q = x[0,q,0]; d = fl(x - shift_q); s1_q = sum d, s2_q = sum d^2
// mean_q = shift_q + s1_q / M; var_q = (s2_q - s1_q^2 / M) / M
void run_mean_var(const float* x, const NormLayout& l, double* mean, double* var) {
  for (int q = 0; q < l.stats; ++q) { mean[q] = 0.0; var[q] = 0.0; }
  for (int p = 0; p < l.outer; ++p)
    for (int q = 0; q < l.stats; ++q) {
      const float* run = x + run_offset(l, p, q);
      const float shift = x[run_offset(l, 0, q)];
      double a, b;
      lane_sums2(l.inner, a, b, [&](int j, double& sa, double& sb) {
        const double d = static_cast<double>(run[j] - shift);
        sa += d;
        sb += d * d;
      });
      mean[q] += a;
      var[q] += b;
    }
  finish_mean_var(x, l, mean, var);
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
      const float inv = c.invstd[q];
      if (l.per_element_affine()) {
        for (int r = 0; r < l.inner; ++r)
          yr[r] = centered(xr[r], c, q) * (gamma[a0 + r] * inv) + beta[a0 + r];
        continue;
      }
      for (int g = 0; g < l.per_group; ++g) {
        const float scale = gamma[a0 + g] * inv, shift = beta[a0 + g];
        const int s0 = g * l.segment;
        for (int s = s0; s < s0 + l.segment; ++s) yr[s] = centered(xr[s], c, q) * scale + shift;
      }
    }
}

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
      const float* xr = x + at;
      const float* gr = dy + at;
      const int a0 = (q % l.groups) * l.per_group;
      const float inv = c.invstd[q];
      auto xhat = [&](int j) { return static_cast<double>(centered(xr[j], c, q) * inv); };
      double s_dxhat, s_dxhat_xhat;
      if (l.per_element_affine()) {
        lane_sums2(l.inner, s_dxhat, s_dxhat_xhat, [&](int r, double& sa, double& sb) {
          const double g = gr[r], h = xhat(r);
          dbeta[a0 + r] += g;
          dgamma[a0 + r] += g * h;
          const double dxhat = static_cast<double>(gamma[a0 + r]) * g;
          sa += dxhat;
          sb += dxhat * h;
        });
      } else {
        s_dxhat = 0.0;
        s_dxhat_xhat = 0.0;
        for (int g = 0; g < l.per_group; ++g) {
          const int s0 = g * l.segment;
          double s_dy, s_dy_xhat;
          lane_sums2(l.segment, s_dy, s_dy_xhat, [&](int j, double& sa, double& sb) {
            const double d = gr[s0 + j];
            sa += d;
            sb += d * xhat(s0 + j);
          });
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
      const float* xr = x + at;
      const float* gr = dy + at;
      float* out = dx + at;
      const int a0 = (q % l.groups) * l.per_group;
      const float inv = c.invstd[q];
      auto one = [&](int r, float g) {
        const float xhat = centered(xr[r], c, q) * inv;
        out[r] = ((g * gr[r] - k1[q]) - xhat * k2[q]) * inv;
      };
      if (l.per_element_affine()) {
        for (int r = 0; r < l.inner; ++r) one(r, gamma[a0 + r]);
        continue;
      }
      for (int g = 0; g < l.per_group; ++g) {
        const int s0 = g * l.segment;
        for (int s = s0; s < s0 + l.segment; ++s) one(s, gamma[a0 + g]);
      }
    }
}

}  // namespace bn::kernels::scalar
