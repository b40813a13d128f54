// The column kernels of bn/kernels.hpp: the SIMD ones give the scalar ones' results
// bit for bit (WASM SIMD build), and the kernels the build uses
// (bn::kernels::fast) agree with the float64 reference bn::ref within
// float32 rounding, on shapes whose feature count is not a multiple of 4 or 8
// and batches down to 2.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "bn/batchnorm_ref.hpp"
#include "bn/kernels.hpp"
#include "kernel_testing.hpp"

namespace {

using testing::Noise;
using testing::same_bits;

struct Shape { int m, n; };
const Shape kShapes[] = {{2, 1}, {2, 3}, {2, 4}, {2, 9}, {3, 5}, {4, 7}, {5, 8}, {7, 13},
                         {8, 16}, {9, 17}, {16, 1}, {33, 12}, {64, 33}, {3, 40},
                         // past the SIMD element-wise kernels' in-cache limit (2^17
                         // elements: row pairs, not row blocks), odd m, n % 8 = 1 and 5
                         {513, 257}, {301, 437}};
const double kOffsets[] = {0.0, 1000.0, -1e4};

// One input block: x = offset + feature scale * noise, dy = noise, gamma, beta.
struct Block {
  int m, n;
  std::vector<float> x, dy, gamma, beta;
};

Block make_block(Shape s, double offset, std::uint64_t seed) {
  Noise rng(seed);
  Block b{s.m, s.n, {}, {}, {}, {}};
  std::vector<double> scale(s.n);
  for (int k = 0; k < s.n; ++k) scale[k] = std::exp(2.0 * rng.normal()) * (offset != 0 ? 0.01 : 1.0);
  for (int i = 0; i < s.m; ++i)
    for (int k = 0; k < s.n; ++k) {
      b.x.push_back(static_cast<float>(offset + scale[k] * rng.normal()));
      b.dy.push_back(static_cast<float>(rng.normal()));
    }
  for (int k = 0; k < s.n; ++k) {
    b.gamma.push_back(static_cast<float>(1.0 + 0.5 * rng.normal()));
    b.beta.push_back(static_cast<float>(rng.normal()));
  }
  return b;
}

// Per-feature values the forward and backward kernels take, derived from
// mean/var as bn::BatchNorm1d does.
struct Factors {
  std::vector<float> mean_hi, mean_lo, invstd, scale;
};

Factors factors(const std::vector<double>& mean, const std::vector<double>& var,
                const std::vector<float>& gamma, double eps) {
  Factors f;
  for (std::size_t k = 0; k < mean.size(); ++k) {
    f.mean_hi.push_back(static_cast<float>(mean[k]));
    f.mean_lo.push_back(static_cast<float>(mean[k] - f.mean_hi[k]));
    f.invstd.push_back(static_cast<float>(1.0 / std::sqrt(var[k] + eps)));
    f.scale.push_back(gamma[k] * f.invstd[k]);
  }
  return f;
}

// All kernel outputs for one block, in training mode.
struct Results {
  std::vector<double> mean, var, sum_dy, sum_dy_xhat;
  std::vector<float> y, dx;
};

template <class Kernels>
Results run_kernels(const Block& b, double eps) {
  Results r;
  const int m = b.m, n = b.n;
  r.mean.resize(n); r.var.resize(n); r.sum_dy.resize(n); r.sum_dy_xhat.resize(n);
  r.y.resize(b.x.size()); r.dx.resize(b.x.size());
  Kernels::batch_mean_var(b.x.data(), m, n, r.mean.data(), r.var.data());
  const Factors f = factors(r.mean, r.var, b.gamma, eps);
  using bn::kernels::Packed;
  constexpr int NF = bn::kernels::kNormalizeFields, DF = bn::kernels::kDxFields;
  std::vector<float> norm_factors(Packed::floats(n, NF)), dx_factors(Packed::floats(n, DF));
  for (int k = 0; k < n; ++k) {
    norm_factors[Packed::at(k, NF, Packed::mean_hi)] = f.mean_hi[k];
    norm_factors[Packed::at(k, NF, Packed::scale)] = f.scale[k];
    norm_factors[Packed::at(k, NF, Packed::shift)] = bn::kernels::folded_shift(b.beta[k], f.mean_lo[k], f.scale[k]);
  }
  Kernels::normalize(b.x.data(), m, n, norm_factors.data(), r.y.data());
  Kernels::backward_reduce(b.dy.data(), b.x.data(), m, n, n, f.mean_hi.data(), f.mean_lo.data(),
                           f.invstd.data(), r.sum_dy.data(), r.sum_dy_xhat.data());
  for (int k = 0; k < n; ++k) {
    float slope, shift;
    bn::kernels::dx_factors(f.invstd[k], f.mean_lo[k], r.sum_dy[k] / m, r.sum_dy_xhat[k] / m, slope, shift);
    dx_factors[Packed::at(k, DF, Packed::mean_hi)] = f.mean_hi[k];
    dx_factors[Packed::at(k, DF, Packed::scale)] = f.scale[k];
    dx_factors[Packed::at(k, DF, Packed::slope)] = slope;
    dx_factors[Packed::at(k, DF, Packed::dx_shift)] = shift;
  }
  Kernels::backward_dx(b.dy.data(), b.x.data(), m, n, n, dx_factors.data(), r.dx.data());
  return r;
}

// Adapters so run_kernels can take a namespace's functions as a type.
struct Scalar {
  static constexpr auto batch_mean_var = bn::kernels::scalar::batch_mean_var;
  static constexpr auto normalize = bn::kernels::scalar::normalize;
  static constexpr auto backward_reduce = bn::kernels::scalar::backward_reduce;
  static constexpr auto backward_dx = bn::kernels::scalar::backward_dx;
};
struct Fast {
  static constexpr auto batch_mean_var = bn::kernels::fast::batch_mean_var;
  static constexpr auto normalize = bn::kernels::fast::normalize;
  static constexpr auto backward_reduce = bn::kernels::fast::backward_reduce;
  static constexpr auto backward_dx = bn::kernels::fast::backward_dx;
};

std::string label(const Block& b, double offset) {
  return std::to_string(b.m) + "x" + std::to_string(b.n) + ", offset " + std::to_string(offset);
}

double max_abs_diff(const double* a, const std::vector<float>& b) {
  double d = 0;
  for (std::size_t i = 0; i < b.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

}  // namespace

#if defined(__wasm_simd128__)
TEST_CASE("kernels: SIMD gives the scalar kernels' results bit for bit") {
  int seed = 1;
  for (const Shape s : kShapes)
    for (const double offset : kOffsets) {
      const Block b = make_block(s, offset, seed++);
      INFO(label(b, offset));
      const Results simd = run_kernels<Fast>(b, 1e-5);
      const Results scalar = run_kernels<Scalar>(b, 1e-5);
      CHECK(same_bits(simd.mean, scalar.mean));
      CHECK(same_bits(simd.var, scalar.var));
      CHECK(same_bits(simd.y, scalar.y));
      CHECK(same_bits(simd.sum_dy, scalar.sum_dy));
      CHECK(same_bits(simd.sum_dy_xhat, scalar.sum_dy_xhat));
      CHECK(same_bits(simd.dx, scalar.dx));
    }
}
#endif

TEST_CASE("kernels: the build's kernels agree with bn::ref within float32 rounding") {
  const double eps = 1e-5;
  int seed = 100;
  for (const Shape s : kShapes)
    for (const double offset : kOffsets) {
      const Block b = make_block(s, offset, seed++);
      INFO(label(b, offset));
      const Results r = run_kernels<Fast>(b, eps);
      const std::size_t m = b.m, n = b.n;
      bn::ref::Matrix x = xt::zeros<double>({m, n}), dy = x;
      bn::ref::Vector gamma = xt::zeros<double>({n}), beta = gamma;
      std::copy(b.x.begin(), b.x.end(), x.begin());
      std::copy(b.dy.begin(), b.dy.end(), dy.begin());
      std::copy(b.gamma.begin(), b.gamma.end(), gamma.begin());
      std::copy(b.beta.begin(), b.beta.end(), beta.begin());
      const bn::ref::Forward f = bn::ref::forward_train(x, gamma, beta, eps);
      const bn::ref::Backward g = bn::ref::backward(dy, f, gamma);
      for (std::size_t k = 0; k < n; ++k) {
        INFO("feature " << k);
        // Spread of the column: the size mean and var errors are measured in.
        double spread = 0;
        for (std::size_t i = 0; i < m; ++i) spread = std::max(spread, std::abs(x(i, k) - f.mean(k)));
        // x - x_0k is rounded to float: error <= 2^-24 * 2 spread per term.
        CHECK(std::abs(r.mean[k] - f.mean(k)) <= 1e-6 * spread + 1e-15 * std::abs(f.mean(k)));
        CHECK(std::abs(r.var[k] - f.var(k)) <= 2e-6 * spread * spread);
        CHECK(r.sum_dy[k] == Approx(g.dbeta(k)).epsilon(1e-12).margin(1e-12));
        // sum dy * xhat with xhat rounded to float: |error| <= 1e-6 sum |dy|.
        double sum_abs_dy = 0;
        for (std::size_t i = 0; i < m; ++i) sum_abs_dy += std::abs(dy(i, k));
        CHECK(std::abs(r.sum_dy_xhat[k] - g.dgamma(k)) <= 1e-6 * sum_abs_dy);
      }
      // y: float32 rounding of |y|-sized terms.
      double y_scale = 0;
      for (double v : f.y) y_scale = std::max(y_scale, std::abs(v));
      CHECK(max_abs_diff(f.y.data(), r.y) <= 1e-6 * y_scale);
      // dx: float32 rounding of the terms gamma invstd dy that cancel in it.
      double dx_terms = 0;
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t k = 0; k < n; ++k)
          dx_terms = std::max(dx_terms, std::abs(gamma(k) * f.invstd(k) * dy(i, k)));
      CHECK(max_abs_diff(g.dx.data(), r.dx) <= 2e-6 * dx_terms);
    }
}
