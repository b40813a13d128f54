// The run kernels of bn/run_kernels.hpp on every kind of layout (BatchNorm
// over [N, C, S], LayerNorm rows, GroupNorm groups with and without spatial
// segments, InstanceNorm, runs of one element, runs whose length is not a
// multiple of 8): the SIMD ones give the scalar ones' results bit for bit
// (WASM SIMD build), and the kernels the build uses agree with the float64
// reference bn::ref (bn/norm_ref.hpp) within float32 rounding, in training
// and through fixed statistics.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "bn/norm_ref.hpp"
#include "bn/run_kernels.hpp"
#include "kernel_testing.hpp"

namespace {

using testing::same_bits;

struct Config {
  std::string name;
  bn::NormLayout l;
  bn::ref::View v;
};

Config batch(int n, int c, int s) {
  return {"BatchNorm [" + std::to_string(n) + ", " + std::to_string(c) + ", " + std::to_string(s) + "]",
          {n, c, s, c, 1, s}, bn::ref::batch_norm_view({n, c, s})};
}
Config layer(int rows, int d) {
  return {"LayerNorm [" + std::to_string(rows) + ", " + std::to_string(d) + "]",
          {1, rows, d, 1, d, 1}, bn::ref::layer_norm_view({rows, d}, 1)};
}
Config group(int n, int c, int g, int s) {
  return {"GroupNorm G=" + std::to_string(g) + " [" + std::to_string(n) + ", " + std::to_string(c) + ", " +
              std::to_string(s) + "]",
          {1, n * g, (c / g) * s, g, c / g, s}, bn::ref::group_norm_view({n, c, s}, g)};
}
Config instance(int n, int c, int s) {
  return {"InstanceNorm [" + std::to_string(n) + ", " + std::to_string(c) + ", " + std::to_string(s) + "]",
          {1, n * c, s, c, 1, s}, bn::ref::instance_norm_view({n, c, 1, s})};
}

std::vector<Config> configs() {
  return {batch(2, 3, 5), batch(3, 4, 16), batch(1, 2, 9), batch(4, 3, 1), batch(2, 5, 33),
          layer(3, 7), layer(4, 16), layer(2, 1), layer(5, 41), layer(1, 8),
          group(2, 6, 2, 9), group(3, 4, 1, 5), group(2, 4, 4, 7), group(3, 4, 2, 1), group(1, 8, 2, 3),
          instance(2, 3, 16), instance(3, 2, 7), instance(1, 4, 2)};
}

struct Data {
  std::vector<float> x, dy, gamma, beta;
};

Data make_data(const bn::NormLayout& l, double offset, std::uint64_t seed) {
  testing::Noise rng(seed);
  Data d;
  const std::size_t n = l.elements();
  const double scale = offset != 0 ? 0.01 : 1.0;
  for (std::size_t i = 0; i < n; ++i) {
    d.x.push_back(static_cast<float>(offset + scale * std::exp(rng.normal()) * rng.normal()));
    d.dy.push_back(static_cast<float>(rng.normal()));
  }
  for (int a = 0; a < l.params(); ++a) {
    d.gamma.push_back(static_cast<float>(1.0 + 0.5 * rng.normal()));
    d.beta.push_back(static_cast<float>(rng.normal()));
  }
  return d;
}

struct Results {
  std::vector<double> mean, var, sum_dxhat, sum_dxhat_xhat, dgamma, dbeta;
  std::vector<float> mean_hi, mean_lo, invstd, y, dx;
};

// The forward and backward kernels in the order bn::NormCore runs them,
// through the statistics of x (fixed = false) or through fixed ones.
template <class K>
Results run(const bn::NormLayout& l, const Data& d, double eps, bool fixed) {
  const std::size_t q = l.stats, a = l.params(), n = l.elements();
  Results r;
  r.mean.resize(q); r.var.resize(q); r.sum_dxhat.resize(q); r.sum_dxhat_xhat.resize(q);
  r.dgamma.resize(a); r.dbeta.resize(a); r.y.resize(n); r.dx.resize(n);
  K::run_mean_var(d.x.data(), l, r.mean.data(), r.var.data());
  for (std::size_t k = 0; k < q; ++k) {
    r.mean_hi.push_back(static_cast<float>(r.mean[k]));
    r.mean_lo.push_back(static_cast<float>(r.mean[k] - r.mean_hi[k]));
    r.invstd.push_back(static_cast<float>(1.0 / std::sqrt(r.var[k] + eps)));
  }
  const bn::kernels::Centering c{r.mean_hi.data(), r.mean_lo.data(), r.invstd.data()};
  K::run_normalize(d.x.data(), l, c, d.gamma.data(), d.beta.data(), r.y.data());
  K::run_backward_sums(d.dy.data(), d.x.data(), l, c, d.gamma.data(), r.sum_dxhat.data(),
                       r.sum_dxhat_xhat.data(), r.dgamma.data(), r.dbeta.data());
  std::vector<float> k1(q, 0.0f), k2(q, 0.0f);
  if (!fixed)
    for (std::size_t k = 0; k < q; ++k) {
      k1[k] = static_cast<float>(r.sum_dxhat[k] / l.reduced());
      k2[k] = static_cast<float>(r.sum_dxhat_xhat[k] / l.reduced());
    }
  K::run_backward_dx(d.dy.data(), d.x.data(), l, c, d.gamma.data(), k1.data(), k2.data(), r.dx.data());
  return r;
}

struct Scalar {
  static constexpr auto run_mean_var = bn::kernels::scalar::run_mean_var;
  static constexpr auto run_normalize = bn::kernels::scalar::run_normalize;
  static constexpr auto run_backward_sums = bn::kernels::scalar::run_backward_sums;
  static constexpr auto run_backward_dx = bn::kernels::scalar::run_backward_dx;
};
struct Fast {
  static constexpr auto run_mean_var = bn::kernels::fast::run_mean_var;
  static constexpr auto run_normalize = bn::kernels::fast::run_normalize;
  static constexpr auto run_backward_sums = bn::kernels::fast::run_backward_sums;
  static constexpr auto run_backward_dx = bn::kernels::fast::run_backward_dx;
};

bn::ref::Array array(const std::vector<float>& v) {
  bn::ref::Array a = xt::zeros<double>({v.size()});
  std::copy(v.begin(), v.end(), a.begin());
  return a;
}

template <class A>
double max_abs_diff(const A& a, const bn::ref::Array& t) {
  double d = 0;
  std::size_t i = 0;
  for (double v : t) d = std::max(d, std::abs(static_cast<double>(a[i++]) - v));
  return d;
}

double max_abs(const bn::ref::Array& t) {
  double m = 0;
  for (double v : t) m = std::max(m, std::abs(v));
  return m;
}

const double kOffsets[] = {0.0, 1000.0, -1e4};

}  // namespace

#if defined(__wasm_simd128__)
TEST_CASE("run kernels: SIMD gives the scalar kernels' results bit for bit") {
  int seed = 1;
  for (const Config& cfg : configs())
    for (double offset : kOffsets)
      for (bool fixed : {false, true}) {
        INFO(cfg.name << ", offset " << offset << (fixed ? ", fixed statistics" : ""));
        const Data d = make_data(cfg.l, offset, seed++);
        const Results simd = run<Fast>(cfg.l, d, 1e-5, fixed), scalar = run<Scalar>(cfg.l, d, 1e-5, fixed);
        CHECK(same_bits(simd.mean, scalar.mean));
        CHECK(same_bits(simd.var, scalar.var));
        CHECK(same_bits(simd.y, scalar.y));
        CHECK(same_bits(simd.sum_dxhat, scalar.sum_dxhat));
        CHECK(same_bits(simd.sum_dxhat_xhat, scalar.sum_dxhat_xhat));
        CHECK(same_bits(simd.dgamma, scalar.dgamma));
        CHECK(same_bits(simd.dbeta, scalar.dbeta));
        CHECK(same_bits(simd.dx, scalar.dx));
      }
}
#endif

TEST_CASE("run kernels: the build's kernels agree with bn::ref within float32 rounding") {
  const double eps = 1e-5;
  int seed = 100;
  for (const Config& cfg : configs())
    for (double offset : kOffsets)
      for (bool fixed : {false, true}) {
        INFO(cfg.name << ", offset " << offset << (fixed ? ", fixed statistics" : ""));
        const Data d = make_data(cfg.l, offset, seed++);
        const Results r = run<Fast>(cfg.l, d, eps, fixed);
        const bn::ref::Array gamma = array(d.gamma), beta = array(d.beta);
        // Through fixed statistics: the same mean and var, held constant.
        bn::ref::NormForward f = bn::ref::norm_forward(cfg.v, array(d.x), gamma, beta, eps);
        f.input_stats = !fixed;
        const bn::ref::NormBackward b = bn::ref::norm_backward(cfg.v, array(d.dy), f, gamma);
        // Statistics: the kernel's x - shift is rounded to float (2^-24 of the
        // spread per term; the shift is one of the values).
        const double spread = max_abs(f.x_centered);
        CHECK(max_abs_diff(r.mean, f.mean) <= 1e-6 * spread + 1e-15 * max_abs(f.mean));
        CHECK(max_abs_diff(r.var, f.var) <= 4e-6 * spread * spread);
        CHECK(max_abs_diff(r.y, f.y) <= 1e-6 * max_abs(f.y));
        // Parameter gradients: sums of |dy|-sized terms with xhat rounded to float.
        const double dy_terms = static_cast<double>(cfg.l.reduced()) * cfg.l.stats * 5.0 / cfg.l.params();
        CHECK(max_abs_diff(r.dbeta, b.dbeta) <= 1e-12 * dy_terms);
        CHECK(max_abs_diff(r.dgamma, b.dgamma) <= 1e-6 * dy_terms);
        // dx: float32 rounding of the terms gamma invstd dy that cancel in it.
        bn::ref::Array g = gamma, dyv = array(d.dy);
        g.reshape(cfg.v.param_shape);
        dyv.reshape(cfg.v.shape);
        const double dx_terms = max_abs(bn::ref::Array(xt::abs(g * f.invstd * dyv)));
        CHECK(max_abs_diff(r.dx, b.dx) <= 3e-6 * dx_terms);
      }
}
