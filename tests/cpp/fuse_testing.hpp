// Test helpers for the batch-norm fold (test_fuse.cpp): the float32 spacing
// (ulp), a tiny Linear and a tiny Conv2d (each output a double sum rounded
// to float32 once, the same kernel for the unfused and the fused weights),
// and the two paths through Linear -> BatchNorm1d and Conv2d -> batch norm
// per channel, compared in eval and in train mode.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "bn/batchnorm.hpp"
#include "bn/fuse.hpp"
#include "bn/rng.hpp"

namespace fuse_testing {

// The spacing of float32 numbers at |v| (2^-149 below the normal range).
inline double ulp32(double v) {
  const double a = std::abs(static_cast<double>(static_cast<float>(v)));
  if (a < 1.1754943508222875e-38) return std::ldexp(1.0, -149);
  int e = 0;
  std::frexp(a, &e);   // a = m 2^e, m in [0.5, 1)
  return std::ldexp(1.0, e - 24);
}

// z = x W^T + b for m rows of `in` features (W: [out, in]); b may be empty.
inline std::vector<float> linear(const std::vector<float>& x, long m, const std::vector<float>& w,
                                 const std::vector<float>& b, long in, long out) {
  std::vector<float> z(static_cast<std::size_t>(m * out));
  for (long i = 0; i < m; ++i)
    for (long k = 0; k < out; ++k) {
      double s = b.empty() ? 0.0 : b[k];
      for (long j = 0; j < in; ++j) s += static_cast<double>(x[i * in + j]) * w[k * in + j];
      z[i * out + k] = static_cast<float>(s);
    }
  return z;
}

struct ConvShape { long n, in, out, h, w, kh, kw; long oh() const { return h - kh + 1; } long ow() const { return w - kw + 1; } };

// Valid 2-D convolution, stride 1, NCHW: z[n, o, r, c] = b_o + sum_{i, u, v} x[n, i, r + u, c + v] W[o, i, u, v].
inline std::vector<float> conv2d(const std::vector<float>& x, const std::vector<float>& w, const std::vector<float>& b,
                                 const ConvShape& s) {
  std::vector<float> z(static_cast<std::size_t>(s.n * s.out * s.oh() * s.ow()));
  for (long n = 0; n < s.n; ++n)
    for (long o = 0; o < s.out; ++o)
      for (long r = 0; r < s.oh(); ++r)
        for (long c = 0; c < s.ow(); ++c) {
          double sum = b.empty() ? 0.0 : b[o];
          for (long i = 0; i < s.in; ++i)
            for (long u = 0; u < s.kh; ++u)
              for (long v = 0; v < s.kw; ++v)
                sum += static_cast<double>(x[((n * s.in + i) * s.h + r + u) * s.w + c + v]) * w[((o * s.in + i) * s.kh + u) * s.kw + v];
          z[((n * s.out + o) * s.oh() + r) * s.ow() + c] = static_cast<float>(sum);
        }
  return z;
}

inline std::vector<float> normal(bn::Pcg32& rng, std::size_t n, double mean, double spread) {
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(mean + spread * rng.normal());
  return v;
}

// Worst |unfused - fused| in eval, in float32 ulps of the size of the terms
// summed into each output (|a|(sum |W x| + |b| + |mu|) + |beta|), and the
// worst |train-mode output - fused| (absolute).
struct PathGap { double eval_ulps = 0, train_gap = 0; };

// A batch norm of `channels` with random gamma, beta, and running statistics
// from three training batches drawn by `batch()` (rows x channels).
template <class Batch>
bn::BatchNorm1d trained_norm(bn::Pcg32& rng, long channels, Batch batch) {
  bn::BatchNorm1d norm(static_cast<int>(channels), {1e-5, 0.3, true});
  const std::vector<float> gamma = normal(rng, channels, 1.0, 0.5), beta = normal(rng, channels, 0.0, 1.0);
  norm.set_params(gamma.data(), beta.data(), nullptr, nullptr);
  for (int t = 0; t < 3; ++t) {
    const std::vector<float> z = batch();
    std::vector<float> y(z.size());
    norm.forward(z.data(), static_cast<int>(z.size() / channels), y.data());
  }
  return norm;
}

inline bn::EvalNormParams eval_params(const bn::BatchNorm1d& norm) {
  return {norm.running_mean().data(), norm.running_var().data(), norm.gamma().data(), norm.beta().data(),
          norm.features(), norm.options().eps};
}

// |a_k| (terms + |b_k| + |mu_k|) + |beta_k| for channel k.
inline double term_scale(const bn::BatchNorm1d& norm, long k, double weighted_inputs, double bias) {
  const double a = norm.gamma()[k] / std::sqrt(static_cast<double>(norm.running_var()[k]) + norm.options().eps);
  return std::abs(a) * (weighted_inputs + std::abs(bias) + std::abs(norm.running_mean()[k])) + std::abs(norm.beta()[k]);
}

// Linear(5 -> 4) -> BatchNorm1d(4) on a batch of 16 rows.
inline PathGap linear_paths(std::uint64_t seed) {
  bn::Pcg32 rng(seed, 11);
  const long in = 5, out = 4, m = 16;
  const std::vector<float> w = normal(rng, in * out, 0, 1), b = normal(rng, out, 0, 1);
  bn::BatchNorm1d norm = trained_norm(rng, out, [&] { return linear(normal(rng, m * in, 1, 2), m, w, b, in, out); });
  const std::vector<float> x = normal(rng, m * in, 1, 2), z = linear(x, m, w, b, in, out);
  const bn::FusedLinear fused = bn::fuse_linear_bn_eval(w.data(), w.size(), b.data(), b.size(), out, in, eval_params(norm));
  const std::vector<float> folded = linear(x, m, fused.weight, fused.bias, in, out);
  std::vector<float> eval_y(z.size()), train_y(z.size());
  norm.eval();
  norm.forward(z.data(), m, eval_y.data());
  norm.train();
  norm.forward(z.data(), m, train_y.data());
  PathGap gap;
  for (long i = 0; i < m; ++i)
    for (long k = 0; k < out; ++k) {
      double terms = 0;
      for (long j = 0; j < in; ++j) terms += std::abs(static_cast<double>(x[i * in + j]) * w[k * in + j]);
      const std::size_t e = static_cast<std::size_t>(i * out + k);
      gap.eval_ulps = std::max(gap.eval_ulps, std::abs(eval_y[e] - folded[e]) / ulp32(term_scale(norm, k, terms, b[k])));
      gap.train_gap = std::max(gap.train_gap, static_cast<double>(std::abs(train_y[e] - folded[e])));
    }
  return gap;
}

// Conv2d(2 -> 3, 3x3) -> batch norm per channel over N·H·W (BatchNorm1d on
// the N·H·W rows of each channel: BatchNorm2d's statistics) on 3 images 5x6.
inline PathGap conv_paths(std::uint64_t seed) {
  bn::Pcg32 rng(seed, 12);
  const ConvShape s{3, 2, 3, 5, 6, 3, 3};
  const long pixels = s.oh() * s.ow(), rows = s.n * pixels;
  const std::vector<float> w = normal(rng, s.out * s.in * s.kh * s.kw, 0, 0.5), b = normal(rng, s.out, 0, 1);
  // NCHW -> rows (n, r, c) x channels, as BatchNorm2d groups the values.
  auto to_rows = [&](const std::vector<float>& z) {
    std::vector<float> r(z.size());
    for (long n = 0; n < s.n; ++n)
      for (long o = 0; o < s.out; ++o)
        for (long p = 0; p < pixels; ++p) r[(n * pixels + p) * s.out + o] = z[(n * s.out + o) * pixels + p];
    return r;
  };
  const auto images = [&] { return normal(rng, s.n * s.in * s.h * s.w, 1, 2); };
  bn::BatchNorm1d norm = trained_norm(rng, s.out, [&] { return to_rows(conv2d(images(), w, b, s)); });
  const std::vector<float> x = images(), z = to_rows(conv2d(x, w, b, s));
  const bn::FusedLinear fused = bn::fuse_conv_bn_eval(w.data(), w.size(), b.data(), b.size(), s.out, s.in, s.kh, s.kw,
                                                     eval_params(norm));
  const std::vector<float> folded = to_rows(conv2d(x, fused.weight, fused.bias, s));
  const std::vector<float> abs_w = [&] { std::vector<float> a(w.size()); for (std::size_t i = 0; i < w.size(); ++i) a[i] = std::abs(w[i]); return a; }();
  const std::vector<float> abs_x = [&] { std::vector<float> a(x.size()); for (std::size_t i = 0; i < x.size(); ++i) a[i] = std::abs(x[i]); return a; }();
  const std::vector<float> terms = to_rows(conv2d(abs_x, abs_w, {}, s));   // sum |W x| per output
  std::vector<float> eval_y(z.size()), train_y(z.size());
  norm.eval();
  norm.forward(z.data(), static_cast<int>(rows), eval_y.data());
  norm.train();
  norm.forward(z.data(), static_cast<int>(rows), train_y.data());
  PathGap gap;
  for (long r = 0; r < rows; ++r)
    for (long o = 0; o < s.out; ++o) {
      const std::size_t e = static_cast<std::size_t>(r * s.out + o);
      gap.eval_ulps = std::max(gap.eval_ulps, std::abs(eval_y[e] - folded[e]) / ulp32(term_scale(norm, o, terms[e], b[o])));
      gap.train_gap = std::max(gap.train_gap, static_cast<double>(std::abs(train_y[e] - folded[e])));
    }
  return gap;
}

}  // namespace fuse_testing
