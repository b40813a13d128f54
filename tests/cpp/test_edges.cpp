// Numerics at the edges (issue 11, item 5), for BatchNorm1d:
//  (a) finite inputs near float max work: x = +-1.8e38 gives y = +-1, as float64;
//  (b) accuracy does not depend on row order: one large outlier anywhere;
//  (c) an eps so small that 1/sqrt(var + eps) overflows float32 is refused,
//      naming eps, with the layer unchanged.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "bn/batchnorm.hpp"

using Catch::Matchers::Contains;

namespace {

// Float64 BatchNorm of one column (gamma 1, beta 0): the truth for x.
std::vector<double> normalized_column(const std::vector<float>& x, int m, int n, int k, double eps) {
  double mean = 0, var = 0;
  for (int i = 0; i < m; ++i) mean += x[static_cast<std::size_t>(i) * n + k];
  mean /= m;
  for (int i = 0; i < m; ++i) {
    const double d = x[static_cast<std::size_t>(i) * n + k] - mean;
    var += d * d;
  }
  var /= m;
  std::vector<double> y(m);
  for (int i = 0; i < m; ++i) y[i] = (x[static_cast<std::size_t>(i) * n + k] - mean) / std::sqrt(var + eps);
  return y;
}

// Largest |a_i - t_i| / |t_i| over rows i != skip.
double worst_relative(const std::vector<float>& y, int n, int k, const std::vector<double>& truth, int skip) {
  double worst = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (static_cast<int>(i) == skip) continue;
    worst = std::max(worst, std::abs(y[i * n + k] - truth[i]) / std::abs(truth[i]));
  }
  return worst;
}

}  // namespace

TEST_CASE("edges (a): inputs near float max normalize as in float64") {
  // Column 0: +-1.8e38 (x - x_0 = 3.6e38 overflows float32); column 1: ordinary.
  const std::vector<float> x = {1.8e38f, 1.0f, -1.8e38f, 2.0f, 1.8e38f, 4.0f, -1.8e38f, 3.0f};
  std::vector<float> y(8), dx(8), dgamma(2), dbeta(2);
  // Its batch variance (4.3e76) cannot enter a running variance: with the
  // default momentum the training forward is refused, naming x...
  bn::BatchNorm1d tracking(2);
  REQUIRE_THROWS_WITH(tracking.forward(x.data(), 4, y.data()), Contains("x gives feature 0 a batch variance"));
  CHECK_FALSE(tracking.has_forward());
  // ...and with momentum 0 (running statistics kept) it normalizes.
  bn::BatchNorm1d layer(2, bn::BatchNormOptions{1e-5, 0.0, true});
  REQUIRE_NOTHROW(layer.forward(x.data(), 4, y.data()));
  for (int i = 0; i < 4; ++i) CHECK(y[2 * i] == Approx(i % 2 == 0 ? 1.0 : -1.0).epsilon(1e-6));
  const std::vector<double> col1 = normalized_column(x, 4, 2, 1, 1e-5);
  for (int i = 0; i < 4; ++i) CHECK(y[2 * i + 1] == Approx(col1[i]).epsilon(1e-6));
  // Backward: dx = invstd (dy - mean dy - xhat mean(dy xhat)); with dy = xhat it is
  // invstd (xhat - xhat) = 0 up to rounding, with dgamma = sum xhat^2 = 4.
  std::vector<float> dy(8);
  for (int j = 0; j < 8; ++j) dy[j] = y[j];
  REQUIRE_NOTHROW(layer.backward(dy.data(), dx.data(), dgamma.data(), dbeta.data()));
  for (int j = 0; j < 8; ++j) CHECK(std::isfinite(dx[j]));
  CHECK(dgamma[0] == Approx(4.0).epsilon(1e-5));
  CHECK(dbeta[0] == Approx(0.0).margin(1e-5));
  // Eval with the running statistics: finite x far from the running mean.
  layer.eval();
  REQUIRE_NOTHROW(layer.forward(x.data(), 4, y.data()));
  for (int j = 0; j < 8; ++j) CHECK(std::isfinite(y[j]));
}

TEST_CASE("edges (b): a large outlier costs the other rows no accuracy, wherever it is") {
  const int m = 1 << 20, n = 2;
  double worst[2] = {0, 0};
  int at = 0;
  for (int outlier_row : {0, 7}) {
    std::vector<float> x(static_cast<std::size_t>(m) * n);
    std::uint64_t s = 12345;
    for (float& v : x) {   // uniform noise in (-1, 1)
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      v = static_cast<float>(static_cast<double>(s >> 11) / 4503599627370496.0 - 1.0);
    }
    x[static_cast<std::size_t>(outlier_row) * n] = 134217728.0f;   // 2^27
    bn::BatchNorm1d layer(n);
    std::vector<float> y(x.size());
    layer.forward(x.data(), m, y.data());
    const std::vector<double> truth = normalized_column(x, m, n, 0, 1e-5);
    worst[at++] = worst_relative(y, n, 0, truth, outlier_row);
  }
  INFO("outlier in row 0: " << worst[0] << ", in row 7: " << worst[1]);
  CHECK(worst[0] <= 1e-6);
  CHECK(worst[1] <= 1e-6);
}

TEST_CASE("edges (c): an eps too small for float32 is refused, naming eps") {
  bn::BatchNormOptions o;
  o.eps = 1e-80;   // 1 / sqrt(0 + 1e-80) = 1e40 > float max
  bn::BatchNorm1d layer(2, o);
  const std::vector<float> good = {1, 2, 3, 4};
  std::vector<float> y(4);
  layer.forward(good.data(), 2, y.data());   // no zero variance: invstd is finite
  const auto running_mean = layer.running_mean();
  const bn::Trace before = layer.trace();
  const std::vector<float> constant = {1, 2, 1, 4};   // column 0 constant: var = 0
  REQUIRE_THROWS_WITH(layer.forward(constant.data(), 2, y.data()), Contains("eps"));
  CHECK(layer.running_mean() == running_mean);
  CHECK(layer.num_batches_tracked() == 1);
  CHECK(layer.trace().y == before.y);
  // Eval with a zero running variance: the same.
  const std::vector<float> zero_var = {1, 0};
  layer.set_params(nullptr, nullptr, nullptr, zero_var.data());
  layer.eval();
  REQUIRE_THROWS_WITH(layer.forward(good.data(), 2, y.data()), Contains("eps"));
}

// ---- The same edges for every layer on the shared core ----

#include <functional>
#include <memory>

#include "bn/any_norm_layer.hpp"
#include "bn/batchnorm2d.hpp"
#include "bn/groupnorm.hpp"
#include "bn/instancenorm.hpp"
#include "bn/layernorm.hpp"

namespace {

// A layer with one statistic over all of x's n values (n a multiple of 4):
// one image of one channel, one row, one group, one instance.
struct OneStatistic {
  const char* name;
  std::function<std::unique_ptr<bn::AnyNormLayer>(double eps, int n)> make;
  std::function<bn::Shape(int n)> shape;
};

std::vector<OneStatistic> one_statistic_layers() {
  return {
      {"BatchNorm2d",   // momentum 0: the running variance keeps no batch variance past float32
       [](double eps, int) { return bn::make_any<bn::BatchNorm2d>(1, bn::BatchNormOptions{eps, 0.0, true}); },
       [](int n) { return bn::Shape{1, 1, 4, n / 4}; }},
      {"LayerNorm",
       [](double eps, int n) { return bn::make_any<bn::LayerNorm>(bn::Shape{n}, bn::LayerNormOptions{eps, true}); },
       [](int n) { return bn::Shape{1, n}; }},
      {"GroupNorm",
       [](double eps, int) { return bn::make_any<bn::GroupNorm>(1, 2, bn::GroupNormOptions{eps, true}); },
       [](int n) { return bn::Shape{1, 2, n / 2}; }},
      {"InstanceNorm2d",
       [](double eps, int) { return bn::make_any<bn::InstanceNorm2d>(1, bn::InstanceNormOptions{eps, 0.1, false, false}); },
       [](int n) { return bn::Shape{1, 1, 4, n / 4}; }},
  };
}

}  // namespace

TEST_CASE("edges (a), every layer: inputs near float max normalize as in float64") {
  for (const OneStatistic& k : one_statistic_layers()) {
    INFO(k.name);
    auto layer = k.make(1e-5, 4);
    const std::vector<float> x = {1.8e38f, -1.8e38f, 1.8e38f, -1.8e38f};
    std::vector<float> y(4), dx(4), dg(layer->gamma().size()), db(layer->beta().size());
    const bn::Shape shape = k.shape(4);
    REQUIRE_NOTHROW(layer->forward(x.data(), 4, shape, y.data()));
    for (int i = 0; i < 4; ++i) CHECK(y[i] == Approx(i % 2 == 0 ? 1.0 : -1.0).epsilon(1e-6));
    REQUIRE_NOTHROW(layer->backward(y.data(), dx.data(), dg.data(), db.data()));
    for (float v : dx) CHECK(std::isfinite(v));
    double sum_dgamma = 0;   // sum of xhat^2 over the 4 values
    for (float v : dg) sum_dgamma += v;
    if (!dg.empty()) CHECK(sum_dgamma == Approx(4.0).epsilon(1e-5));
  }
}

TEST_CASE("edges (a): x spreading beyond float32 is refused, naming x, with the layer unchanged") {
  bn::LayerNorm layer(bn::Shape{4});
  const std::vector<float> good = {1, 2, 3, 4}, wide = {3e38f, -3e38f, -3e38f, -3e38f};   // x0 - mean = 4.5e38
  std::vector<float> y(4);
  layer.forward(good.data(), 4, {1, 4}, y.data());
  const bn::Trace before = layer.trace();
  REQUIRE_THROWS_WITH(layer.forward(wide.data(), 4, {1, 4}, y.data()), Contains("x spreads beyond float32"));
  CHECK(layer.trace().y == before.y);
  // Eval with a running mean far from x: x - running_mean overflows.
  bn::BatchNorm1d bn1(1);
  const std::vector<float> far = {-3e38f};
  bn1.set_params(nullptr, nullptr, far.data(), nullptr);
  bn1.eval();
  const std::vector<float> x = {3e38f, 0.0f};
  REQUIRE_THROWS_WITH(bn1.forward(x.data(), 2, y.data()), Contains("x spreads beyond float32"));
  CHECK_FALSE(bn1.has_forward());
}

TEST_CASE("edges (b), every layer: a large outlier costs the others no accuracy, wherever it is") {
  const int n = 1 << 20;
  for (const OneStatistic& k : one_statistic_layers()) {
    double worst[2] = {0, 0};
    for (int at : {0, 1}) {
      const int outlier = at == 0 ? 0 : 7;
      std::vector<float> x(n);
      std::uint64_t s = 777;
      for (float& v : x) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        v = static_cast<float>(static_cast<double>(s >> 11) / 4503599627370496.0 - 1.0);
      }
      x[outlier] = 134217728.0f;
      auto layer = k.make(1e-5, n);
      std::vector<float> y(n);
      layer->forward(x.data(), n, k.shape(n), y.data());
      worst[at] = worst_relative(y, 1, 0, normalized_column(x, n, 1, 0, 1e-5), outlier);
    }
    INFO(k.name << ": outlier first: " << worst[0] << ", outlier later: " << worst[1]);
    CHECK(worst[0] <= 1e-6);
    CHECK(worst[1] <= 1e-6);
  }
}

TEST_CASE("edges (c), every layer: an eps too small for float32 is refused, naming eps") {
  for (const OneStatistic& k : one_statistic_layers()) {
    INFO(k.name);
    auto layer = k.make(1e-80, 4);
    const std::vector<float> constant = {2, 2, 2, 2};
    std::vector<float> y(4);
    REQUIRE_THROWS_WITH(layer->forward(constant.data(), 4, k.shape(4), y.data()), Contains("eps"));
    CHECK_FALSE(layer->has_forward());
  }
}

TEST_CASE("edges (a), every layer with running statistics: a batch variance past float32 is refused, the layer unchanged") {
  const std::vector<float> good = {1, 2, 3, 4}, huge = {1e20f, -1e20f, 1e20f, -1e20f};   // unbiased var 1.3e40
  const bn::Shape shape{1, 1, 2, 2};
  std::vector<std::unique_ptr<bn::AnyNormLayer>> layers;
  layers.push_back(bn::make_any<bn::BatchNorm2d>(1));
  layers.push_back(bn::make_any<bn::InstanceNorm2d>(1, bn::InstanceNormOptions{1e-5, 0.1, false, true}));
  for (auto& layer : layers) {
    std::vector<float> y(4);
    layer->forward(good.data(), 4, shape, y.data());
    const std::vector<float> mean = layer->running_mean(), var = layer->running_var();
    const bn::Trace before = layer->trace();
    const std::int64_t batches = layer->num_batches_tracked();   // InstanceNorm counts none, as PyTorch
    REQUIRE_THROWS_WITH(layer->forward(huge.data(), 4, shape, y.data()),
                        Contains("x gives feature 0 a batch variance of") && Contains("runningVar"));
    CHECK(layer->running_mean() == mean);
    CHECK(layer->running_var() == var);
    CHECK(layer->num_batches_tracked() == batches);
    CHECK(layer->trace().y == before.y);
    layer->forward(good.data(), 4, shape, y.data());   // still works
    CHECK(std::isfinite(layer->running_var()[0]));
  }
}
