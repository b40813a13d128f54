// The folded eval forward: the scale_shift kernel (bn/kernels.hpp) against
// its plain reference (the scalar kernel, bit for bit, and a float64
// evaluation of y = x a + b), its test of x for NaN / Infinity / |x| >= 2^127
// wherever the value sits (vector body or tail), and BatchNorm1d in eval
// mode: folded where |running_mean| invstd <= 4 and unfolded elsewhere, both
// within float32 rounding of the float64 formula, a bad x refused with the
// layer unchanged.
#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "bn/batchnorm.hpp"
#include "bn/kernels.hpp"
#include "kernel_testing.hpp"

namespace {

using testing::Noise;
using testing::same_bits;

struct Case {
  int m, n;
  std::vector<float> x, a, b;
};

Case make_case(int m, int n, std::uint64_t seed) {
  Noise rng(seed);
  Case c{m, n, {}, {}, {}};
  for (int j = 0; j < m * n; ++j) c.x.push_back(static_cast<float>(3.0 * rng.normal()));
  for (int k = 0; k < n; ++k) {
    c.a.push_back(static_cast<float>(1.0 + 0.5 * rng.normal()));
    c.b.push_back(static_cast<float>(rng.normal()));
  }
  return c;
}

}  // namespace

TEST_CASE("scale_shift: y = x a + b as its scalar reference, bit for bit, and within a rounding of float64") {
  int seed = 7;
  for (const auto& s : std::vector<std::pair<int, int>>{{1, 1}, {2, 3}, {5, 8}, {7, 13}, {33, 12}, {64, 33}}) {
    const Case c = make_case(s.first, s.second, seed++);
    INFO(c.m << "x" << c.n);
    std::vector<float> fast(c.x.size()), plain(c.x.size());
    CHECK(bn::kernels::fast::scale_shift(c.x.data(), c.m, c.n, c.a.data(), c.b.data(), fast.data()));
    CHECK(bn::kernels::scalar::scale_shift(c.x.data(), c.m, c.n, c.a.data(), c.b.data(), plain.data()));
    CHECK(same_bits(fast, plain));
    for (int i = 0; i < c.m; ++i)
      for (int k = 0; k < c.n; ++k) {
        const double exact = static_cast<double>(c.x[i * c.n + k]) * c.a[k] + c.b[k];
        const double terms = std::abs(static_cast<double>(c.x[i * c.n + k]) * c.a[k]) + std::abs(c.b[k]);
        CHECK(std::abs(fast[i * c.n + k] - exact) <= 2 * 0x1p-24 * terms);
      }
  }
}

TEST_CASE("scale_shift: reports NaN, Infinity and |x| >= 2^127 wherever they are, and nothing else") {
  const float bad[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                       -std::numeric_limits<float>::infinity(), 0x1p127f, -FLT_MAX};
  const Case c = make_case(3, 7, 99);   // 7 features: a vector of 4 and a tail of 3 per row
  std::vector<float> y(c.x.size());
  for (const float v : bad)
    for (std::size_t at = 0; at < c.x.size(); ++at) {
      Case d = c;
      d.x[at] = v;
      INFO("value " << v << " at " << at);
      CHECK_FALSE(bn::kernels::fast::scale_shift(d.x.data(), d.m, d.n, d.a.data(), d.b.data(), y.data()));
      CHECK_FALSE(bn::kernels::scalar::scale_shift(d.x.data(), d.m, d.n, d.a.data(), d.b.data(), y.data()));
    }
  Case big = c;
  big.x[5] = 0x1.fffffep126f;   // just below 2^127: an ordinary value
  CHECK(bn::kernels::fast::scale_shift(big.x.data(), big.m, big.n, big.a.data(), big.b.data(), y.data()));
}

TEST_CASE("eval forward: folded or not, within float32 rounding of the float64 formula; bad x refused, layer unchanged") {
  const int m = 9, n = 6;
  const Case c = make_case(m, n, 5);
  std::vector<float> gamma(c.a), beta(c.b), var(n);
  for (int k = 0; k < n; ++k) var[k] = 0.5f + 0.25f * static_cast<float>(k);
  // Running means 0.5 std from 0 (folded) and 1000 std from 0 (unfolded).
  for (const double far : {0.5, 1000.0}) {
    INFO("running mean " << far << " standard deviations from 0");
    std::vector<float> mean(n), x(c.x);
    for (int k = 0; k < n; ++k) mean[k] = static_cast<float>((k % 2 ? -far : far) * std::sqrt(var[k]));
    for (int j = 0; j < m * n; ++j) x[j] += mean[j % n];
    bn::BatchNorm1d layer(n);
    layer.set_params(gamma.data(), beta.data(), mean.data(), var.data());
    layer.eval();
    std::vector<float> y(x.size());
    layer.forward(x.data(), m, y.data());
    int formulas_differ = 0;   // elements where the check below tells the two apart
    for (int i = 0; i < m; ++i)
      for (int k = 0; k < n; ++k) {
        const double inv = 1.0 / std::sqrt(static_cast<double>(var[k]) + 1e-5);
        const double xhat = (static_cast<double>(x[i * n + k]) - mean[k]) * inv;
        const double exact = gamma[k] * xhat + beta[k];
        CHECK(std::abs(y[i * n + k] - exact) <= 4 * 0x1p-24 * (std::abs(gamma[k]) * (std::abs(xhat) + 4) + std::abs(beta[k])));
        // Which formula ran, bit for bit: folded near 0, unfolded far from it.
        const float invstd = static_cast<float>(inv), a = gamma[k] * invstd;
        const float b = static_cast<float>(static_cast<double>(beta[k]) - static_cast<double>(mean[k]) * a);
        const float folded = x[i * n + k] * a + b;
        const float unfolded = ((x[i * n + k] - mean[k]) - 0.0f) * a + beta[k];
        CHECK(y[i * n + k] == (far < 4 ? folded : unfolded));
        formulas_differ += folded != unfolded;
      }
    CHECK(formulas_differ > 0);
    const std::vector<float> before(layer.trace().y);
    std::vector<float> bad_x(x);
    bad_x[m * n - 1] = std::numeric_limits<float>::quiet_NaN();
    std::vector<float> y2(x.size());
    CHECK_THROWS_AS(layer.forward(bad_x.data(), m, y2.data()), std::invalid_argument);
    CHECK(layer.trace().y == before);   // the last good forward's y, untouched
    layer.forward(x.data(), m, y2.data());
    CHECK(y2 == y);
  }
}
