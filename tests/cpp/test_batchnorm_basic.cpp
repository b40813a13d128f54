// Small hand-checked cases: the formulas, running statistics, bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "bn/batchnorm.hpp"

using bn::BatchNorm1d;
using Catch::Matchers::Contains;

TEST_CASE("training forward on a 4x2 batch matches the formulas by hand") {
  BatchNorm1d layer(2);
  const std::vector<float> x = {1, 2, 3, 5, 2, 0, 4, 1};  // columns {1,3,2,4} and {2,5,0,1}
  std::vector<float> y(8);
  layer.forward(x.data(), 4, y.data());
  const bn::Trace t = layer.trace();
  CHECK(t.mean[0] == Approx(2.5));
  CHECK(t.mean[1] == Approx(2.0));
  CHECK(t.var[0] == Approx(1.25));   // ((1.5^2 + .5^2 + .5^2 + 1.5^2) / 4)
  CHECK(t.var[1] == Approx(3.5));    // (0 + 9 + 4 + 1) / 4
  CHECK(y[0] == Approx(-1.5 / std::sqrt(1.25 + 1e-5)));
  CHECK(layer.running_mean()[0] == Approx(0.25));
  CHECK(layer.running_var()[0] == Approx(0.9 + 0.1 * 1.25 * 4.0 / 3.0));
  CHECK(layer.num_batches_tracked() == 1);
}

TEST_CASE("batch of one: an error in training, fine in eval") {
  BatchNorm1d layer(3);
  std::vector<float> x = {1, 2, 3}, y(3);
  REQUIRE_THROWS_WITH(layer.forward(x.data(), 1, y.data()),
                      Contains("Expected more than 1 value per channel when training"));
  CHECK(layer.num_batches_tracked() == 0);
  CHECK_FALSE(layer.has_forward());
  layer.eval();
  layer.forward(x.data(), 1, y.data());
  CHECK(y[2] == Approx(3.0 / std::sqrt(1.0 + 1e-5)));
}

TEST_CASE("non-finite input is refused and changes nothing") {
  BatchNorm1d layer(2);
  std::vector<float> good = {1, 2, 3, 4}, y(4);
  layer.forward(good.data(), 2, y.data());
  const auto mean_before = layer.running_mean();
  const bn::Trace before = layer.trace();
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    std::vector<float> x = {1, bad, 3, 4};
    REQUIRE_THROWS_AS(layer.forward(x.data(), 2, y.data()), std::invalid_argument);
    layer.eval();
    REQUIRE_THROWS_AS(layer.forward(x.data(), 2, y.data()), std::invalid_argument);
    layer.train();
  }
  CHECK(layer.running_mean() == mean_before);
  CHECK(layer.num_batches_tracked() == 1);
  CHECK(layer.trace().y == before.y);
}

TEST_CASE("options are validated") {
  CHECK_THROWS_WITH(BatchNorm1d(0), Contains("features"));
  CHECK_THROWS_WITH(BatchNorm1d(2, {0.0, 0.1, true}), Contains("eps"));
  CHECK_THROWS_WITH(BatchNorm1d(2, {1e-5, 1.5, true}), Contains("momentum"));
  CHECK_THROWS_WITH(BatchNorm1d(2, {std::nan(""), 0.1, true}), Contains("eps"));
}

TEST_CASE("backward before forward, and a NaN in dy, are refused") {
  BatchNorm1d layer(2);
  std::vector<float> dy = {1, 1, 1, 1}, dx(4), dg(2), db(2);
  REQUIRE_THROWS_WITH(layer.backward(dy.data(), dx.data(), dg.data(), db.data()),
                      Contains("before any forward"));
  std::vector<float> x = {1, 2, 3, 4}, y(4);
  layer.forward(x.data(), 2, y.data());
  dy[3] = std::numeric_limits<float>::quiet_NaN();
  REQUIRE_THROWS_WITH(layer.backward(dy.data(), dx.data(), dg.data(), db.data()), Contains("dy"));
}
