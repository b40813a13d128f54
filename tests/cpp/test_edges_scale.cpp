// Numerics at the edges (issue 11, item 5), found by the fuzz suite: a
// gamma so large (or an eps so small) that the kernels' folded factor
// fl(gamma * invstd) overflows float32 while y does not. Before the fix
// a constant feature gave y = NaN (Inf * 0) and a tiny spread gave
// y = Infinity where float64 gives 1.45e9; dx the same.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "bn/batchnorm.hpp"
#include "bn/batchnorm2d.hpp"
#include "bn/layernorm.hpp"

namespace {

// Float64 truth of one statistic over x (gamma g, beta 0).
std::vector<double> truth(const std::vector<float>& x, double eps, double g) {
  double mean = 0, var = 0;
  for (float v : x) mean += v;
  mean /= x.size();
  for (float v : x) var += (v - mean) * (v - mean);
  var /= x.size();
  std::vector<double> y;
  for (float v : x) y.push_back(g * (v - mean) / std::sqrt(var + eps));
  return y;
}

}  // namespace

TEST_CASE("edges (d): a huge gamma times invstd past float32 gives y as float64, not NaN or Infinity") {
  // The fuzz suite's two cases, BatchNorm1d (the column kernels).
  SECTION("a constant feature: y = beta exactly") {
    bn::BatchNorm1d layer(3);
    const std::vector<float> gamma = {-1.1550478e36f, -1.5888886e33f, -1.1801159e37f};
    layer.set_params(gamma.data(), nullptr, nullptr, nullptr);
    const std::vector<float> x = {1, 2, 3, 1, 2, 3, 1, 2, 3};
    std::vector<float> y(9);
    layer.forward(x.data(), 3, y.data());
    for (float v : y) CHECK(v == 0.0f);
  }
  SECTION("a spread far below eps = 1e-12") {
    bn::BatchNorm1d layer(1, bn::BatchNormOptions{1e-12, 0.1, true});
    const float g = 2.106059728e33f;
    layer.set_params(&g, nullptr, nullptr, nullptr);
    const std::vector<float> x = {5.967163e-31f, -7.840931e-31f};
    std::vector<float> y(2), dx(2), dgamma(1), dbeta(1);
    layer.forward(x.data(), 2, y.data());
    const std::vector<double> want = truth(x, 1e-12, g);
    for (int i = 0; i < 2; ++i) CHECK(y[i] == Approx(want[i]).epsilon(1e-6));
    // dx = gamma invstd (dy - mean dy - xhat mean(dy xhat)): finite, as float64.
    const std::vector<float> dy = {1e-20f, 3e-20f};
    layer.backward(dy.data(), dx.data(), dgamma.data(), dbeta.data());
    for (float v : dx) CHECK(std::isfinite(v));
    CHECK(dx[0] == Approx(-dx[1]).epsilon(1e-5));
  }
}

TEST_CASE("edges (d): dx's folded slope past float32 (invstd mean(dy xhat) past it) gives dx as float64, not NaN") {
  // backward_dx folds slope = -invstd mean(dy xhat) (bn/kernels.hpp): here
  // invstd = 1e25 and mean(dy xhat) ~ 1e14, so slope would be ~1e39
  // (Infinity in float32) and x - mean = 0 times it NaN, while dx = gamma
  // invstd (...) ~ 1e9 with gamma = 1e-30; the feature takes the unfolded formula.
  bn::BatchNorm1d layer(1, bn::BatchNormOptions{1e-60, 0.1, true});
  const float g = 1e-30f;
  layer.set_params(&g, nullptr, nullptr, nullptr);
  const std::vector<float> x = {1e-25f, -1e-25f, 0.0f}, dy = {1e14f, 3e14f, -1e14f};
  std::vector<float> y(3), dx(3), dgamma(1), dbeta(1);
  layer.forward(x.data(), 3, y.data());
  layer.backward(dy.data(), dx.data(), dgamma.data(), dbeta.data());
  double mean = 0, var = 0, md = 0, mdx = 0;
  for (float v : x) mean += v / 3.0;
  for (float v : x) var += (v - mean) * (v - mean) / 3.0;
  const double invstd = 1.0 / std::sqrt(var + 1e-60);
  for (int i = 0; i < 3; ++i) {
    md += dy[i] / 3.0;
    mdx += dy[i] * (x[i] - mean) * invstd / 3.0;
  }
  for (int i = 0; i < 3; ++i) {
    const double want = g * invstd * (dy[i] - md - (x[i] - mean) * invstd * mdx);
    INFO("dx[" << i << "] = " << dx[i] << ", float64 " << want);
    CHECK(std::isfinite(dx[i]));
    CHECK(std::abs(dx[i] - want) <= 1e-6 * g * invstd * 3e14);
  }
}

TEST_CASE("edges (d), the run kernels: BatchNorm2d and LayerNorm with a huge gamma") {
  const std::vector<float> x = {2, 2, 2, 2}, tiny = {1e-30f, -1e-30f, 2e-30f, 0.0f};
  std::vector<float> y(4);
  bn::BatchNorm2d b2(1);
  const float g = 3e36f;
  b2.set_params(&g, nullptr, nullptr, nullptr);
  b2.forward(x.data(), 4, {1, 1, 2, 2}, y.data());
  for (float v : y) CHECK(v == 0.0f);
  bn::LayerNorm ln(bn::Shape{4}, bn::LayerNormOptions{1e-12, true});
  const std::vector<float> gammas(4, 1e33f);
  ln.set_params(gammas.data(), nullptr, nullptr, nullptr);
  ln.forward(tiny.data(), 4, {1, 4}, y.data());
  const std::vector<double> want = truth(tiny, 1e-12, 1e33);
  for (int i = 0; i < 4; ++i) CHECK(y[i] == Approx(want[i]).epsilon(1e-6));
}

TEST_CASE("edges (d): gradients past float32 with a finite dy say so, instead of blaming dy") {
  // Eval with a tiny running variance: xhat = x / sqrt(1e-31 + eps) ~ 3e39
  // would be past float32, so x stays at 1e36 (xhat ~ 3.2e38); dy 1e10 makes
  // dgamma = sum dy xhat overflow while every dy is finite.
  bn::BatchNorm1d layer(1);
  const float tiny_var = 1e-31f;
  layer.set_params(nullptr, nullptr, nullptr, &tiny_var);
  layer.eval();
  const std::vector<float> x = {1e36f, 1e36f};
  std::vector<float> y(2), dx(2), dgamma(1), dbeta(1);
  layer.forward(x.data(), 2, y.data());
  const std::vector<float> dy = {1e10f, 1e10f};
  REQUIRE_THROWS_WITH(layer.backward(dy.data(), dx.data(), dgamma.data(), dbeta.data()),
                      Catch::Matchers::Contains("dy is finite but the gradients overflow float32"));
  const std::vector<float> nan_dy = {NAN, 1.0f};
  REQUIRE_THROWS_WITH(layer.backward(nan_dy.data(), dx.data(), dgamma.data(), dbeta.data()),
                      Catch::Matchers::Contains("dy must hold finite numbers"));
}

TEST_CASE("edges (d), eval: a folded factor gamma invstd past float32 is not folded; y as float64") {
  // Eval with running mean 0 would take the folded forward (y = x a + b,
  // bn/norm_core_eval.cpp), but a = gamma invstd = 1e33 * 1e6 is past
  // float32: y = x * Inf. The unfolded path and its double recomputation
  // give y = gamma x / sqrt(0 + eps), finite.
  bn::BatchNorm1d layer(1, bn::BatchNormOptions{1e-12, 0.1, true});
  const float g = 1e33f, mean = 0.0f, var = 0.0f;
  layer.set_params(&g, nullptr, &mean, &var);
  layer.eval();
  const std::vector<float> x = {1e-30f, -2e-30f, 0.0f};
  std::vector<float> y(3);
  layer.forward(x.data(), 3, y.data());
  for (int i = 0; i < 3; ++i) {
    const double want = static_cast<double>(g) * x[i] / std::sqrt(1e-12);
    CHECK(y[i] == Approx(want).epsilon(1e-6).margin(1e-30));
  }
  // The control: a gamma whose folded factor fits folds, and gives the same formula.
  const float small_g = 1e20f;
  layer.set_params(&small_g, nullptr, nullptr, nullptr);
  layer.forward(x.data(), 3, y.data());
  for (int i = 0; i < 3; ++i)
    CHECK(y[i] == Approx(static_cast<double>(small_g) * x[i] / std::sqrt(1e-12)).epsilon(1e-6).margin(1e-30));
}
