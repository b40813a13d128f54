// The live trainer: options, stepping and epochs, eval mode, the decision
// grid, activations, determinism, and no allocation per step.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "allocations.hpp"
#include "bn/trainer.hpp"

using Catch::Matchers::Contains;

namespace {

std::vector<double> losses(const bn::TrainerOptions& o, int calls, int steps_per_call) {
  bn::Trainer t(o);
  std::vector<double> out;
  for (int c = 0; c < calls; ++c) out.push_back(t.step(steps_per_call));
  return out;
}

}  // namespace

TEST_CASE("defaults are those of docs/api.md") {
  const bn::TrainerOptions o;
  CHECK(o.dataset == "spiral");
  CHECK(o.samples == 400);
  CHECK(o.noise == 0.1);
  CHECK(o.hidden == std::vector<int>{16, 16});
  CHECK(o.activation == "relu");
  CHECK(o.batch_norm);
  CHECK(o.optimizer == "sgd");
  CHECK(o.lr == 0.1);
  CHECK(o.batch_size == 32);
  CHECK(o.seed == 1u);
  bn::Trainer t(o);
  CHECK(t.options().init == "kaiming");   // auto -> kaiming for relu
  CHECK(t.data().samples == 400);
  CHECK(t.data().test_index.size() == 80);
  CHECK(t.steps_per_epoch() == 10);         // 320 training points / 32
}

TEST_CASE("bad options throw an error that names the option") {
  struct Case {
    const char* name;
    void (*edit)(bn::TrainerOptions&);
    const char* message;
  };
  const Case cases[] = {
      {"dataset", [](bn::TrainerOptions& o) { o.dataset = "swirl"; }, "dataset must be one of"},
      {"activation", [](bn::TrainerOptions& o) { o.activation = "elu"; }, "activation must be one of"},
      {"optimizer", [](bn::TrainerOptions& o) { o.optimizer = "lbfgs"; }, "optimizer must be one of"},
      {"init", [](bn::TrainerOptions& o) { o.init = "orthogonal"; }, "init must be one of"},
      {"lr 0", [](bn::TrainerOptions& o) { o.lr = 0; }, "lr must be a finite number > 0"},
      {"lr < 0", [](bn::TrainerOptions& o) { o.lr = -0.1; }, "lr must be a finite number > 0"},
      {"lr NaN", [](bn::TrainerOptions& o) { o.lr = std::nan(""); }, "lr must be a finite number > 0"},
      {"hidden empty", [](bn::TrainerOptions& o) { o.hidden = {}; }, "hidden must be an array of 1 to 100 layer widths, got an array of length 0"},
      {"hidden 101 layers", [](bn::TrainerOptions& o) { o.hidden.assign(101, 4); }, "hidden must be an array of 1 to 100 layer widths"},
      {"hidden too wide", [](bn::TrainerOptions& o) { o.hidden = {16, 257}; }, "hidden[1] must be an integer in [1, 256]"},
      {"hidden 0", [](bn::TrainerOptions& o) { o.hidden = {0}; }, "hidden[0] must be"},
      {"batchSize 1 with BN", [](bn::TrainerOptions& o) { o.batch_size = 1; }, "Expected more than 1 value per channel"},
      {"batchSize 0", [](bn::TrainerOptions& o) { o.batch_size = 0; }, "batchSize must be an integer in [1, 20000], got 0"},
      {"batchSize > train", [](bn::TrainerOptions& o) { o.batch_size = 321; }, "batchSize must be an integer in [1, 320]"},
      {"samples", [](bn::TrainerOptions& o) { o.samples = 5; }, "samples must be an integer in [10, 20000]"},
      {"noise", [](bn::TrainerOptions& o) { o.noise = -0.1; }, "noise must be"},
      {"testFraction", [](bn::TrainerOptions& o) { o.test_fraction = 0.9; }, "testFraction must be"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    bn::TrainerOptions o;
    c.edit(o);
    REQUIRE_THROWS_AS(bn::Trainer(o), std::invalid_argument);
    REQUIRE_THROWS_WITH(bn::Trainer(o), Contains(c.message));
  }
  bn::TrainerOptions plain;
  plain.batch_norm = false;
  plain.batch_size = 1;
  CHECK_NOTHROW(bn::Trainer(plain));   // a batch of one is fine without batch norm
}

TEST_CASE("step(0) returns NaN and changes nothing; step(n) returns the mean loss") {
  bn::TrainerOptions o;
  bn::Trainer a(o), b(o);
  CHECK(std::isnan(a.step(0)));
  CHECK(a.steps() == 0);
  CHECK(std::isnan(a.last_batch_loss()));
  REQUIRE_THROWS_WITH(a.step(-1), Contains("n must be an integer in [0, 1000000], got -1"));
  // a: one call of 3 steps; b: three calls of 1 step. Same losses, same state.
  const double mean3 = a.step(3);
  const double l1 = b.step(1), l2 = b.step(1), l3 = b.step(1);
  CHECK(mean3 == Approx((l1 + l2 + l3) / 3).epsilon(1e-12));
  CHECK(a.last_batch_loss() == l3);
  CHECK(a.steps() == 3);
  CHECK(a.evaluate().loss == b.evaluate().loss);
}

TEST_CASE("epoch counts completed passes over the training split") {
  bn::TrainerOptions o;
  o.samples = 100;        // 80 training points
  o.batch_size = 16;      // 5 steps per epoch
  bn::Trainer t(o);
  CHECK(t.steps_per_epoch() == 5);
  t.step(4);
  CHECK(t.epoch() == 0);
  t.step(1);
  CHECK(t.epoch() == 1);
  t.step(12);
  CHECK(t.epoch() == 3);
  CHECK(t.steps() == 17);
  o.batch_size = 30;      // 2 steps per epoch, 20 points wait for the next order
  bn::Trainer u(o);
  u.step(5);
  CHECK(u.epoch() == 2);
}

TEST_CASE("every point of an epoch is used once (drop-last order)") {
  bn::TrainerOptions o;
  o.samples = 100;
  o.batch_size = 16;
  bn::Trainer t(o);
  std::vector<int> seen(100, 0);
  for (int s = 0; s < 5; ++s) {
    t.step(1);
    for (int i : t.last_batch_indices()) ++seen[i];
  }
  for (int i = 0; i < 100; ++i) CHECK(seen[i] == (t.data().is_test[i] ? 0 : 1));
}

TEST_CASE("same options give bit-identical losses; another seed gives others") {
  bn::TrainerOptions o;
  o.optimizer = "adam";
  o.lr = 0.01;
  const auto a = losses(o, 20, 5), b = losses(o, 20, 5);
  CHECK(a == b);
  o.seed = 2;
  CHECK(losses(o, 20, 5) != a);
}

TEST_CASE("evaluate and predict_grid run in eval mode and change nothing") {
  bn::TrainerOptions o;
  bn::Trainer a(o), b(o);
  a.step(20);
  b.step(20);
  const bn::BatchNorm1d& norm = *a.network().norm(0);
  const auto running_mean = norm.running_mean();
  const bn::Evaluation e1 = a.evaluate();
  std::vector<float> grid(16 * 16);
  a.predict_grid(16, -1.5, 1.5, -1.5, 1.5, grid.data());
  const bn::Evaluation e2 = a.evaluate();
  CHECK(e1.loss == e2.loss);
  CHECK(e1.test_accuracy == e2.test_accuracy);
  CHECK(norm.running_mean() == running_mean);
  CHECK(norm.num_batches_tracked() == 20);
  CHECK(a.network().training());
  // a evaluated between steps, b did not: the same training continues.
  CHECK(a.step(10) == b.step(10));
  // The whole-data figures combine the two splits.
  const bn::Evaluation e = a.evaluate();
  CHECK(e.loss == Approx((e.train_loss * 320 + e.test_loss * 80) / 400));
  CHECK(e.accuracy == Approx((e.train_accuracy * 320 + e.test_accuracy * 80) / 400));
}

TEST_CASE("training learns moons and generalizes to the held-out split") {
  bn::TrainerOptions o;
  o.dataset = "moons";
  o.optimizer = "momentum";
  bn::Trainer t(o);
  const double before = t.evaluate().loss;
  t.step(600);
  const bn::Evaluation e = t.evaluate();
  CHECK(e.loss < before);
  CHECK(e.train_accuracy > 0.95);
  CHECK(e.test_accuracy > 0.9);
}

TEST_CASE("predict_grid: row 0 is the top (ymax), columns go from xmin to xmax") {
  bn::TrainerOptions o;
  o.dataset = "gaussians";   // label 1 around (0.5, 0.5), label 0 around (-0.5, -0.5)
  o.noise = 0.0;
  bn::Trainer t(o);
  t.step(200);
  const int res = 8;
  std::vector<float> g(res * res);
  t.predict_grid(res, -1.5, 1.5, -1.5, 1.5, g.data());
  CHECK(g[0 * res + (res - 1)] > 0.9f);    // top right: class 1
  CHECK(g[(res - 1) * res + 0] < 0.1f);    // bottom left: class 0
  for (float p : g) CHECK((p >= 0.0f && p <= 1.0f));
  // A single pixel is the centre of the square.
  float centre = -1;
  t.predict_grid(1, -1.0, 3.0, -1.0, 3.0, &centre);
  std::vector<float> g3(9);
  t.predict_grid(3, -1.0, 3.0, -1.0, 3.0, g3.data());
  CHECK(centre == g3[4]);
  REQUIRE_THROWS_WITH(t.predict_grid(0, -1, 1, -1, 1, g.data()), Contains("res must be"));
  REQUIRE_THROWS_WITH(t.predict_grid(4, 1, -1, -1, 1, g.data()), Contains("xmin < xmax"));
  REQUIRE_THROWS_WITH(t.predict_grid(4, -1, 1, -1, std::nan(""), g.data()), Contains("ymin"));
}

TEST_CASE("activations: pre is the linear output, xhat the x-hat its BN layer computed") {
  bn::TrainerOptions o;
  o.hidden = {12, 6};
  bn::Trainer t(o);
  REQUIRE_THROWS_WITH(t.activations(0), Contains("call step(n)"));
  t.step(30);
  REQUIRE_THROWS_WITH(t.activations(2), Contains("layerIndex must be an integer in [0, 1]"));
  REQUIRE_THROWS_WITH(t.activations(-1), Contains("layerIndex"));
  const bn::LayerActivations a = t.activations(1);
  CHECK(a.batch == 32);
  CHECK(a.width == 6);
  REQUIRE(a.pre.size() == 32u * 6u);
  // The layer's own x-hat of the last training batch, bit for bit (its last
  // forward was that batch: the trace holds it)...
  CHECK(a.xhat == t.network().norm(1)->trace().xhat);
  // ... and still after eval-mode passes, which leave the layers' last
  // forward elsewhere (the trace now holds the eval forward).
  t.evaluate();
  std::vector<float> grid(16);
  t.predict_grid(4, -1, 1, -1, 1, grid.data());
  CHECK_FALSE(t.network().norm(1)->trace().training);
  CHECK(t.activations(1).xhat == a.xhat);
  CHECK(t.activations(1).pre == a.pre);
  // xhat = (pre - batch mean) / sqrt(batch var + eps), feature by feature
  for (int k = 0; k < 6; ++k) {
    double s = 0, s2 = 0;
    for (int i = 0; i < 32; ++i) s += a.pre[i * 6 + k];
    const double mean = s / 32;
    for (int i = 0; i < 32; ++i) s2 += (a.pre[i * 6 + k] - mean) * (a.pre[i * 6 + k] - mean);
    const double invstd = 1.0 / std::sqrt(s2 / 32 + 1e-5);
    for (int i = 0; i < 32; ++i) CHECK(a.xhat[i * 6 + k] == Approx((a.pre[i * 6 + k] - mean) * invstd).margin(1e-4));
  }
  // The activation applies to gamma * x-hat + beta (gamma and beta as at the
  // forward: a learning rate so small that the update does not change them).
  bn::TrainerOptions tiny = o;
  tiny.lr = 1e-20;
  bn::Trainer still(tiny);
  still.step(3);
  const bn::LayerActivations s = still.activations(1);
  const bn::BatchNorm1d& norm = *still.network().norm(1);
  for (int i = 0; i < 32; ++i)
    for (int k = 0; k < 6; ++k) {
      const float y = norm.gamma()[k] * s.xhat[i * 6 + k] + norm.beta()[k];
      CHECK(s.activated[i * 6 + k] == Approx(std::max(y, 0.0f)).margin(1e-5));
    }
  o.batch_norm = false;
  bn::Trainer plain(o);
  plain.step(3);
  const bn::LayerActivations p = plain.activations(0);
  CHECK(p.xhat == p.pre);
}

TEST_CASE("a training step allocates nothing in steady state") {
  for (const char* optimizer : {"sgd", "momentum", "adam"}) {
    for (bool batch_norm : {true, false}) {
      INFO(optimizer << " batch_norm " << batch_norm);
      bn::TrainerOptions o;
      o.optimizer = optimizer;
      o.batch_norm = batch_norm;
      o.lr = 0.01;
      bn::Trainer t(o);
      t.step(25);              // buffers reach their sizes (epochs wrap too)
      t.evaluate();
      const std::uint64_t before = testing::allocations();
      t.step(50);
      CHECK(testing::allocations() == before);
    }
  }
  // Deep nets, residual blocks, either placement, cumulative running
  // statistics: layer statistics are computed on request only, so the step
  // itself still allocates nothing.
  for (const char* placement : {"before", "after"}) {
    for (bool batch_norm : {true, false}) {
      INFO("20 residual layers, placement " << placement << ", batch_norm " << batch_norm);
      bn::TrainerOptions o;
      o.hidden.assign(20, 16);
      o.residual = true;
      o.norm_placement = placement;
      o.batch_norm = batch_norm;
      o.momentum = std::nullopt;
      o.lr = 0.01;
      bn::Trainer t(o);
      t.step(25);
      t.evaluate();
      t.layer_stats();
      const std::uint64_t before = testing::allocations();
      t.step(50);
      CHECK(testing::allocations() == before);
    }
  }
}

TEST_CASE("a diverging run stops cleanly and reports NaN") {
  bn::TrainerOptions o;
  o.batch_norm = false;
  o.hidden = {64, 64, 64};
  o.lr = 1e6;
  bn::Trainer t(o);
  double last = 0;
  for (int c = 0; c < 20 && !t.diverged(); ++c) last = t.step(5);
  REQUIRE(t.diverged());
  CHECK(std::isnan(last));
  CHECK(std::isnan(t.step(3)));
  // The weights are not finite: the network predicts nothing, so every
  // figure is NaN (not a made-up 50 %) and diverged says why.
  const bn::Evaluation e = t.evaluate();
  CHECK(e.diverged);
  for (double v : {e.loss, e.accuracy, e.test_accuracy, e.train_mode.accuracy, e.train_mode.test_loss})
    CHECK(std::isnan(v));
  std::vector<float> g(4);
  t.predict_grid(2, -1, 1, -1, 1, g.data());
  CHECK(std::isnan(g[0]));
  t.recalibrate();   // does nothing
  REQUIRE_THROWS_WITH(t.landscape({}), Contains("diverged"));
  for (const bn::LayerStats& s : t.layer_stats()) CHECK(std::isnan(s.grad_norm));
}
