// Running statistics over several training steps, checked against what the
// definitions imply in closed form (the golden cases check them against
// torch step by step):
//   momentum null: running = plain average of the batch statistics so far;
//   momentum 0: running stays at its initial value; momentum 1: the last batch's;
//   momentum f: running_T = (1-f)^T init + sum_t f (1-f)^(T-t) stat_t.
// The variance kept is unbiased (m / (m - 1)); eval mode then normalizes with it.
#include <catch2/catch.hpp>

#include <cmath>
#include <optional>
#include <vector>

#include "bn/batchnorm.hpp"

namespace {

constexpr int kFeatures = 3;

// Batch t (t = 0, 1, ...) of m rows: distinct means and spreads per step.
std::vector<float> batch(int t, int m) {
  std::vector<float> x;
  for (int i = 0; i < m; ++i)
    for (int k = 0; k < kFeatures; ++k)
      x.push_back(static_cast<float>((t + 1) * (k + 1) + (0.5 + t) * std::cos(1.7 * i + k)));
  return x;
}

// Batch mean and unbiased variance of feature k, in double.
void batch_stats(const std::vector<float>& x, int m, int k, double& mean, double& unbiased) {
  mean = 0;
  for (int i = 0; i < m; ++i) mean += x[i * kFeatures + k];
  mean /= m;
  double sq = 0;
  for (int i = 0; i < m; ++i) sq += (x[i * kFeatures + k] - mean) * (x[i * kFeatures + k] - mean);
  unbiased = sq / (m - 1);
}

struct Expected {
  std::vector<double> mean, var;
};

// Runs `steps` training forwards (batch sizes vary) and returns the layer.
bn::BatchNorm1d train(std::optional<double> momentum, int steps, Expected& closed_form) {
  bn::BatchNorm1d layer(kFeatures, {1e-5, momentum, true});
  closed_form.mean.assign(kFeatures, 0.0);   // initial running_mean
  closed_form.var.assign(kFeatures, 1.0);    // initial running_var
  for (int t = 0; t < steps; ++t) {
    const int m = 2 + 3 * t;
    const std::vector<float> x = batch(t, m);
    std::vector<float> y(x.size());
    layer.forward(x.data(), m, y.data());
    const double f = momentum ? *momentum : 1.0 / (t + 1);
    for (int k = 0; k < kFeatures; ++k) {
      double mean, unbiased;
      batch_stats(x, m, k, mean, unbiased);
      closed_form.mean[k] = (1 - f) * closed_form.mean[k] + f * mean;
      closed_form.var[k] = (1 - f) * closed_form.var[k] + f * unbiased;
    }
  }
  return layer;
}

}  // namespace

TEST_CASE("running stats: momentum null is the plain average of the batch statistics") {
  Expected unused;
  bn::BatchNorm1d layer = train(std::nullopt, 4, unused);
  CHECK(layer.num_batches_tracked() == 4);
  for (int k = 0; k < kFeatures; ++k) {
    double mean_sum = 0, var_sum = 0;
    for (int t = 0; t < 4; ++t) {
      double mean, unbiased;
      batch_stats(batch(t, 2 + 3 * t), 2 + 3 * t, k, mean, unbiased);
      mean_sum += mean;
      var_sum += unbiased;
    }
    CHECK(layer.running_mean()[k] == Approx(mean_sum / 4).epsilon(1e-6));
    CHECK(layer.running_var()[k] == Approx(var_sum / 4).epsilon(1e-6));
  }
}

TEST_CASE("running stats: momentum 0 keeps the initial values, momentum 1 the last batch's") {
  Expected unused;
  bn::BatchNorm1d frozen = train(0.0, 3, unused);
  bn::BatchNorm1d last = train(1.0, 3, unused);
  CHECK(frozen.num_batches_tracked() == 3);
  for (int k = 0; k < kFeatures; ++k) {
    CHECK(frozen.running_mean()[k] == 0.0f);
    CHECK(frozen.running_var()[k] == 1.0f);
    double mean, unbiased;
    batch_stats(batch(2, 8), 8, k, mean, unbiased);
    CHECK(last.running_mean()[k] == Approx(mean).epsilon(1e-6));
    CHECK(last.running_var()[k] == Approx(unbiased).epsilon(1e-6));
  }
}

TEST_CASE("running stats: momentum 0.1 and 0.5 follow the exponential average") {
  for (const double momentum : {0.1, 0.5}) {
    INFO("momentum " << momentum);
    Expected expected;
    bn::BatchNorm1d layer = train(momentum, 5, expected);
    CHECK(layer.num_batches_tracked() == 5);
    for (int k = 0; k < kFeatures; ++k) {
      CHECK(layer.running_mean()[k] == Approx(expected.mean[k]).epsilon(1e-6));
      CHECK(layer.running_var()[k] == Approx(expected.var[k]).epsilon(1e-6));
    }
  }
}

TEST_CASE("running stats: eval after training normalizes with them and changes nothing") {
  Expected expected;
  bn::BatchNorm1d layer = train(0.5, 3, expected);
  layer.eval();
  const std::vector<float> x = batch(7, 4);
  std::vector<float> y(x.size());
  layer.forward(x.data(), 4, y.data());
  layer.forward(x.data(), 4, y.data());   // twice: nothing accumulates
  CHECK(layer.num_batches_tracked() == 3);
  for (int k = 0; k < kFeatures; ++k) {
    CHECK(layer.running_mean()[k] == Approx(expected.mean[k]).epsilon(1e-6));
    for (int i = 0; i < 4; ++i) {
      const double want = (x[i * kFeatures + k] - expected.mean[k]) / std::sqrt(expected.var[k] + 1e-5);
      CHECK(y[i * kFeatures + k] == Approx(want).epsilon(1e-5).margin(1e-6));
    }
  }
}

// Finite x whose batch variance passes float32's range (|x| ~ 1e20): the
// running variance would be Infinity (and, with momentum 1, the next update
// 0 * Infinity = NaN, after which every eval forward gives NaN and backward
// blames dy). The forward is refused, naming x, and the layer is unchanged.
// Found by tests/js/fuzz.test.mjs.
TEST_CASE("a batch variance past float32's range is refused before the running statistics change", "[running]") {
  for (std::optional<double> momentum : {std::optional<double>(0.1), std::optional<double>(1.0), std::optional<double>()}) {
    bn::BatchNormOptions options;
    options.momentum = momentum;
    bn::BatchNorm1d layer(1, options);
    std::vector<float> y(2);
    const std::vector<float> good = {1.0f, 3.0f};
    layer.forward(good.data(), 2, y.data());
    const float mean = layer.running_mean()[0], var = layer.running_var()[0];
    const std::vector<float> huge = {1e20f, -1e20f};   // unbiased variance 2e40: even 0.1 of it is past 3.4e38
    CHECK_THROWS_WITH(layer.forward(huge.data(), 2, y.data()),
                      Catch::Contains("x gives feature 0 a batch variance of") &&
                          Catch::Contains("Infinity as float32 in runningVar"));
    CHECK(layer.running_mean()[0] == mean);
    CHECK(layer.running_var()[0] == var);
    CHECK(layer.num_batches_tracked() == 1);
    layer.forward(good.data(), 2, y.data());   // still works
    CHECK(std::isfinite(layer.running_var()[0]));
    CHECK(layer.num_batches_tracked() == 2);
  }
  // Momentum 0 keeps the running statistics: nothing overflows, the forward is fine.
  bn::BatchNormOptions frozen;
  frozen.momentum = 0.0;
  bn::BatchNorm1d layer(1, frozen);
  std::vector<float> y(2);
  const std::vector<float> huge = {1e20f, -1e20f};
  layer.forward(huge.data(), 2, y.data());
  CHECK(layer.running_var()[0] == 1.0f);
  CHECK(y[0] == Approx(1.0f));
}
