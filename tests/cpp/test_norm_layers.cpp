// The five layers on one core: steady-state calls allocate nothing; which
// outputs depend on the other samples; train vs eval per layer; traces
// (stats_shape, the chain-rule identity of backward_trace); the staged
// (zero-copy) API; parameters the layer does not have.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "allocations.hpp"
#include "bn/batchnorm.hpp"
#include "bn/any_norm_layer.hpp"
#include "bn/batchnorm2d.hpp"
#include "bn/groupnorm.hpp"
#include "bn/instancenorm.hpp"
#include "bn/layernorm.hpp"
#include "kernel_testing.hpp"

using Catch::Matchers::Contains;

namespace {

struct Kind {
  std::string name;
  std::function<std::unique_ptr<bn::AnyNormLayer>()> make;
  bn::Shape shape;
  bool batch_dependent;   // does a sample's output depend on the other samples (training)?
};

std::vector<Kind> kinds() {
  return {
      {"BatchNorm1d [N, C]", [] { return bn::make_any<bn::BatchNorm1d>(5); }, {4, 5}, true},
      {"BatchNorm1d [N, C, L]", [] { return bn::make_any<bn::BatchNorm1d>(3); }, {4, 3, 7}, true},
      {"BatchNorm2d", [] { return bn::make_any<bn::BatchNorm2d>(3); }, {2, 3, 4, 5}, true},
      {"LayerNorm [C, H, W]", [] { return bn::make_any<bn::LayerNorm>(bn::Shape{3, 4, 5}); }, {2, 3, 4, 5}, false},
      {"LayerNorm [D]", [] { return bn::make_any<bn::LayerNorm>(bn::Shape{9}); }, {3, 9}, false},
      {"GroupNorm G=2", [] { return bn::make_any<bn::GroupNorm>(2, 4); }, {2, 4, 3, 3}, false},
      {"GroupNorm [N, C]", [] { return bn::make_any<bn::GroupNorm>(2, 6); }, {3, 6}, false},
      {"InstanceNorm2d", [] { return bn::make_any<bn::InstanceNorm2d>(3); }, {2, 3, 4, 4}, false},
      {"InstanceNorm2d affine, tracking",
       [] { return bn::make_any<bn::InstanceNorm2d>(3, bn::InstanceNormOptions{1e-5, 0.1, true, true}); },
       {2, 3, 4, 4}, false},
  };
}

std::size_t count(const bn::Shape& s) {
  std::size_t n = 1;
  for (std::int64_t d : s) n *= static_cast<std::size_t>(d);
  return n;
}

std::vector<float> noise(std::size_t n, std::uint64_t seed, double offset = 0.0) {
  testing::Noise rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(offset + rng.normal());
  return v;
}

}  // namespace

TEST_CASE("norm layers: forward and backward allocate nothing in steady state") {
  for (const Kind& k : kinds())
    for (bool training : {true, false}) {
      INFO(k.name << (training ? " train" : " eval"));
      auto layer = k.make();
      training ? layer->train() : layer->eval();
      const std::size_t n = count(k.shape);
      std::vector<float> x = noise(n, 1), dy = noise(n, 2), y(n), dx(n);
      std::vector<float> dgamma(layer->gamma().size()), dbeta(layer->beta().size());
      bn::Shape smaller = k.shape;
      smaller[0] = 1;
      for (int warm = 0; warm < 2; ++warm) {   // both alternating buffers reach their size
        layer->forward(x.data(), n, k.shape, y.data());
        layer->backward(dy.data(), dx.data(), dgamma.data(), dbeta.data());
      }
      const std::uint64_t before = testing::allocations();
      for (int call = 0; call < 5; ++call) {
        layer->forward(x.data(), n, k.shape, y.data());
        layer->backward(dy.data(), dx.data(), dgamma.data(), dbeta.data());
        std::copy(x.begin(), x.end(), layer->staging_input(k.shape));
        layer->forward_staged(k.shape);
        std::copy(dy.begin(), dy.end(), layer->staging_dy());
        layer->backward_staged();
        if (!training) layer->forward(x.data(), count(smaller), smaller, y.data());   // a smaller batch
      }
      CHECK(testing::allocations() == before);
    }
}

TEST_CASE("norm layers: only batch norm makes a sample's output depend on the other samples") {
  for (const Kind& k : kinds()) {
    INFO(k.name);
    auto layer = k.make();
    const std::size_t n = count(k.shape), per_sample = n / static_cast<std::size_t>(k.shape[0]);
    std::vector<float> x = noise(n, 3), y0(n), y1(n);
    layer->forward(x.data(), n, k.shape, y0.data());
    for (std::size_t i = per_sample; i < 2 * per_sample; ++i) x[i] = 3.0f * x[i] + 1.0f;   // sample 1 only
    layer->forward(x.data(), n, k.shape, y1.data());
    const bool sample0_same = std::equal(y0.begin(), y0.begin() + per_sample, y1.begin());
    CHECK(sample0_same == !k.batch_dependent);
  }
}

TEST_CASE("norm layers: LayerNorm and GroupNorm ignore the mode; InstanceNorm uses running stats only when tracking") {
  for (const Kind& k : kinds()) {
    INFO(k.name);
    auto layer = k.make();
    const std::size_t n = count(k.shape);
    const std::vector<float> x = noise(n, 4, 2.0);
    std::vector<float> train_y(n), eval_y(n);
    layer->forward(x.data(), n, k.shape, train_y.data());
    const auto running = layer->running_mean();
    layer->eval();
    layer->forward(x.data(), n, k.shape, eval_y.data());
    CHECK(layer->running_mean() == running);   // eval changes no state
    const bool tracks = !layer->running_mean().empty();
    CHECK((train_y == eval_y) == !tracks);
    if (k.name.rfind("InstanceNorm2d affine, tracking", 0) == 0) {
      CHECK(layer->num_batches_tracked() == 0);   // as torch: instance_norm never counts
      CHECK(running[0] != 0.0f);
    }
  }
}

TEST_CASE("norm layers: trace has the statistics' shape; backward_trace's factors rebuild dx") {
  const std::vector<bn::Shape> stats = {{5}, {3}, {3}, {2}, {3}, {2, 2}, {3, 2}, {2, 3}, {2, 3}};
  const std::vector<Kind> all = kinds();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Kind& k = all[i];
    for (bool training : {true, false}) {
      INFO(k.name << (training ? " train" : " eval"));
      auto layer = k.make();
      training ? layer->train() : layer->eval();
      const std::size_t n = count(k.shape);
      const std::vector<float> x = noise(n, 5, 1.0), dy = noise(n, 6);
      std::vector<float> y(n), dx(n), dgamma(layer->gamma().size()), dbeta(layer->beta().size());
      layer->forward(x.data(), n, k.shape, y.data());
      layer->backward(dy.data(), dx.data(), dgamma.data(), dbeta.data());
      const bn::Trace t = layer->trace();
      const bn::BackwardTrace b = layer->backward_trace();
      CHECK(t.shape == k.shape);
      CHECK(t.stats_shape == stats[i]);
      CHECK(b.stats_shape == stats[i]);
      REQUIRE(t.mean.size() == count(stats[i]));
      CHECK(t.y == y);
      CHECK(b.dx == dx);
      // dx = dxhat invstd + dvar 2 (x - mean) / M + dmean / M, M elements per statistic.
      const double m = static_cast<double>(n) / static_cast<double>(t.mean.size());
      double worst = 0, scale = 0;
      for (std::size_t j = 0; j < n; ++j) {
        const int q = bn::statistic_of(layer->last_layout(), j);
        const double rebuilt = b.dxhat[j] * static_cast<double>(t.inv_std[q]) +
                               b.dvar[q] * 2.0 * t.x_centered[j] / m + b.dmean[q] / m;
        worst = std::max(worst, std::abs(rebuilt - dx[j]));
        scale = std::max(scale, std::abs(b.dxhat[j] * static_cast<double>(t.inv_std[q])));
      }
      CHECK(worst <= 1e-5 * scale);
      if (!training && !layer->running_mean().empty()) CHECK(b.dvar == std::vector<float>(b.dvar.size(), 0.0f));
    }
  }
}

TEST_CASE("norm layers: the staged API is the copying one, and checks the shape first") {
  bn::GroupNorm layer(3, 6);
  const bn::Shape shape = {2, 6, 5};
  const std::vector<float> x = noise(60, 7);
  std::vector<float> y(60);
  layer.forward(x.data(), 60, shape, y.data());
  std::copy(x.begin(), x.end(), layer.staging_input(shape));
  layer.forward_staged(shape);
  CHECK(std::equal(y.begin(), y.end(), layer.output()));
  CHECK_THROWS_WITH(layer.staging_input({2, 5, 5}), Contains("shape [2, 5, 5]"));
  CHECK_THROWS_AS(layer.forward_staged({40, 6, 5}), std::logic_error);   // staged 60 values, not 1200
  CHECK(layer.last_shape() == shape);
}

TEST_CASE("norm layers: parameters a layer does not have cannot be set") {
  bn::LayerNorm ln(bn::Shape{4});
  const std::vector<float> v = {1, 1, 1, 1};
  CHECK_THROWS_WITH(ln.set_params(nullptr, nullptr, v.data(), nullptr), Contains("no running statistics"));
  bn::InstanceNorm2d in(4);
  CHECK_THROWS_WITH(in.set_params(v.data(), nullptr, nullptr, nullptr), Contains("affine: false"));
  CHECK(in.gamma().empty());
  CHECK(in.running_mean().empty());
  CHECK_THROWS_WITH(bn::GroupNorm(0, 4), Contains("num_groups"));
  CHECK_THROWS_WITH(bn::GroupNorm(2, 4, {0.0, true}), Contains("eps"));
  CHECK_THROWS_WITH(bn::InstanceNorm2d(0), Contains("num_features"));
  CHECK_THROWS_WITH(bn::InstanceNorm2d(2, {1e-5, 1.5, false, true}), Contains("momentum"));
  CHECK_THROWS_WITH(bn::LayerNorm(bn::Shape{3, 0}), Contains("normalized_shape"));
  CHECK_THROWS_WITH(bn::BatchNorm2d(0), Contains("features"));
}

TEST_CASE("norm layers: save_mean / save_invstd keep the last training forward's statistics") {
  for (const Kind& k : kinds()) {
    INFO(k.name);
    auto layer = k.make();
    const std::size_t n = count(k.shape);
    const std::vector<float> x = noise(n, 8, 1.0), other = noise(n, 9, -2.0);
    std::vector<float> y(n);
    layer->eval();
    layer->forward(x.data(), n, k.shape, y.data());
    CHECK(layer->trace().save_mean.empty());   // no training forward yet
    layer->train();
    layer->forward(x.data(), n, k.shape, y.data());
    const bn::Trace trained = layer->trace();
    CHECK(trained.save_mean == trained.mean);
    CHECK(trained.save_invstd == trained.inv_std);
    layer->eval();
    layer->forward(other.data(), n, k.shape, y.data());
    CHECK(layer->trace().save_mean == trained.mean);
    CHECK(layer->trace().save_invstd == trained.inv_std);
  }
}
