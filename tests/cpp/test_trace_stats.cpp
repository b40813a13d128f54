// What the layer keeps for the stepper and the trainer: the batch statistics
// of the last training forward (Trace::save_mean / save_invstd, ATen's names)
// beside the statistics actually used, the x-hat of that training batch
// (training_xhat), and the zero-copy backward with the d-prefixed results
// (staging_dy, dx, dgamma, dbeta).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "bn/batchnorm.hpp"

using bn::BatchNorm1d;

namespace {

std::vector<float> batch(int m, int n, float offset) {
  std::vector<float> x(static_cast<std::size_t>(m) * n);
  for (std::size_t j = 0; j < x.size(); ++j) x[j] = offset + std::sin(1.7f * static_cast<float>(j)) * 3.0f;
  return x;
}

}  // namespace

TEST_CASE("trace: save_mean / save_invstd are the last training batch's, also after eval forwards") {
  const int n = 3, m = 6;
  bn::BatchNormOptions o;
  o.eps = 1e-3;
  BatchNorm1d layer(n, o);
  std::vector<float> y(64 * n);
  layer.eval();
  const std::vector<float> e0 = batch(2, n, 0.0f);
  layer.forward(e0.data(), 2, y.data());
  CHECK(layer.trace().save_mean.empty());   // no training forward yet
  CHECK(layer.trace().save_invstd.empty());
  REQUIRE_THROWS_AS(layer.training_xhat(e0.data(), 2, y.data()), std::logic_error);

  layer.train();
  const std::vector<float> first = batch(4, n, -5.0f), x = batch(m, n, 2.0f);
  layer.forward(first.data(), 4, y.data());   // replaced by the next training forward
  layer.forward(x.data(), m, y.data());
  const bn::Trace trained = layer.trace();
  CHECK(trained.save_mean == trained.mean);
  CHECK(trained.save_invstd == trained.inv_std);

  layer.eval();
  const std::vector<float> e1 = batch(5, n, 9.0f);
  layer.forward(e1.data(), 5, y.data());
  const bn::Trace t = layer.trace();
  CHECK_FALSE(t.training);
  CHECK(t.mean == layer.running_mean());        // the statistics used: the running ones
  CHECK(t.save_mean == trained.mean);           // beside them: the last training batch's
  CHECK(t.save_invstd == trained.inv_std);
  for (int k = 0; k < n; ++k) {
    double s = 0, s2 = 0;
    for (int i = 0; i < m; ++i) s += x[i * n + k];
    const double mean = s / m;
    for (int i = 0; i < m; ++i) s2 += (x[i * n + k] - mean) * (x[i * n + k] - mean);
    CHECK(t.save_mean[k] == static_cast<float>(mean));   // an exact sum of 6 floats in double
    CHECK(t.save_invstd[k] == Approx(1.0 / std::sqrt(s2 / m + 1e-3)).epsilon(1e-6));
  }

  // The x-hat of that training batch, bit for bit the one its trace held.
  std::vector<float> xhat(static_cast<std::size_t>(m) * n);
  layer.training_xhat(x.data(), m, xhat.data());
  CHECK(xhat == trained.xhat);
}

TEST_CASE("zero-copy backward: staging_dy, then dx(), dgamma(), dbeta() equal backward()'s results") {
  const int n = 4, m = 5;
  BatchNorm1d staged(n), copied(n);
  const std::vector<float> x = batch(m, n, 1.0f), dy = batch(m, n, -0.5f);
  std::vector<float> y(m * n), dx(m * n), dgamma(n), dbeta(n);
  for (BatchNorm1d* l : {&staged, &copied}) l->forward(x.data(), m, y.data());
  copied.backward(dy.data(), dx.data(), dgamma.data(), dbeta.data());
  std::memcpy(staged.staging_dy(), dy.data(), sizeof(float) * dy.size());
  staged.backward_staged();
  CHECK(std::vector<float>(staged.dx(), staged.dx() + m * n) == dx);
  CHECK(std::vector<float>(staged.dgamma(), staged.dgamma() + n) == dgamma);
  CHECK(std::vector<float>(staged.dbeta(), staged.dbeta() + n) == dbeta);
}
