// The trainer's evaluation with batch statistics (train mode), recalibrate()
// as torch.optim.swa_utils.update_bn, the bounds on a call's work, the
// decision grid's range, and the network options.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "bn/loss.hpp"
#include "bn/trainer.hpp"
#include "bn/trainer_network.hpp"

using Catch::Matchers::Contains;

namespace {

// The training split's points, in index order.
std::vector<float> split_points(const bn::Trainer& t, std::vector<std::uint8_t>& labels) {
  std::vector<float> x;
  labels.clear();
  for (int i : t.data().train_index) {
    x.push_back(t.data().x[2 * i]);
    x.push_back(t.data().x[2 * i + 1]);
    labels.push_back(t.data().y[i]);
  }
  return x;
}

}  // namespace

TEST_CASE("evaluate: train mode uses batch statistics and changes nothing") {
  bn::TrainerOptions o;
  o.samples = 100;          // 80 training points
  o.batch_size = 80;        // one batch: the whole split
  o.momentum = 0.001;       // running statistics far behind the batch statistics
  bn::Trainer a(o), b(o);
  a.step(40);
  b.step(40);
  const std::vector<float> mean = a.network().norm(1)->running_mean();
  const bn::Evaluation e = a.evaluate();
  CHECK_FALSE(e.diverged);
  CHECK(a.network().norm(1)->running_mean() == mean);
  CHECK(a.network().norm(1)->num_batches_tracked() == 40);
  CHECK(a.network().training());
  for (int c = 0; c < 3; ++c) CHECK(a.step(5) == b.step(5));
  // By hand: the training split as one batch through a copy in training mode.
  const bn::Evaluation now = a.evaluate();
  bn::Pcg32 unused(0);
  bn::Mlp copy(a.network().config(), unused);
  copy.copy_parameters_from(a.network());
  std::vector<std::uint8_t> labels;
  const std::vector<float> x = split_points(a, labels);
  bn::MlpWorkspace ws = copy.make_workspace(80);
  const bn::LossResult r = bn::softmax_cross_entropy(copy.forward(x.data(), 80, ws), labels.data(), 80, 2, nullptr);
  CHECK(now.train_mode.train_loss == Approx(r.loss).epsilon(1e-5));
  CHECK(now.train_mode.train_accuracy == r.correct / 80.0);
  // Stale running statistics: eval mode is far worse than train mode here.
  CHECK(now.train_loss > now.train_mode.train_loss + 0.05);
}

TEST_CASE("evaluate: without batch norm train mode and eval mode agree exactly") {
  bn::TrainerOptions o;
  o.batch_norm = false;
  bn::Trainer t(o);
  t.step(30);
  const bn::Evaluation e = t.evaluate();
  CHECK(e.train_mode.accuracy == e.accuracy);
  CHECK(e.train_mode.test_accuracy == e.test_accuracy);
  CHECK(e.train_mode.loss == Approx(e.loss).epsilon(1e-12));
}

TEST_CASE("recalibrate: update_bn's cumulative average over the training split, nothing else changes") {
  bn::TrainerOptions o;
  o.samples = 100;           // 80 training points
  o.batch_size = 40;         // two batches of 40: the average of their means is the split's mean
  o.momentum = 0.01;
  bn::Trainer a(o), b(o);
  a.step(25);
  b.step(25);
  a.recalibrate();
  const bn::BatchNorm1d& first = *a.network().norm(0);
  CHECK(first.num_batches_tracked() == 2);
  CHECK(first.options().momentum == 0.01);          // restored
  // The first layer's input does not depend on any normalization: its linear
  // output over the split, by hand.
  std::vector<std::uint8_t> labels;
  const std::vector<float> x = split_points(a, labels);
  std::vector<float> z(80 * 16);
  bn::Linear lin = a.network().linear(0);
  lin.forward(x.data(), 80, z.data());
  for (int k = 0; k < 16; ++k) {
    double s = 0;
    for (int i = 0; i < 80; ++i) s += z[i * 16 + k];
    CHECK(first.running_mean()[k] == Approx(s / 80).margin(1e-5));
  }
  // Training goes on exactly as without the recalibration.
  for (int c = 0; c < 3; ++c) CHECK(a.step(5) == b.step(5));

  // One batch of the whole split: running var = the split's unbiased variance.
  o.batch_size = 80;
  bn::Trainer c(o);
  c.step(10);
  c.recalibrate();
  bn::Linear lin0 = c.network().linear(0);
  lin0.forward(x.data(), 80, z.data());
  for (int k = 0; k < 16; ++k) {
    double s = 0, s2 = 0;
    for (int i = 0; i < 80; ++i) s += z[i * 16 + k];
    for (int i = 0; i < 80; ++i) s2 += (z[i * 16 + k] - s / 80) * (z[i * 16 + k] - s / 80);
    CHECK(c.network().norm(0)->running_var()[k] == Approx(s2 / 79).epsilon(1e-4));
  }
}

TEST_CASE("recalibrate closes the train/eval gap that slow running statistics open") {
  bn::TrainerOptions o;
  o.dataset = "moons";
  o.momentum = 0.001;
  o.lr = 0.3;
  bn::Trainer t(o);
  t.step(300);
  const bn::Evaluation before = t.evaluate();
  t.recalibrate();
  const bn::Evaluation after = t.evaluate();
  INFO("eval accuracy " << before.accuracy << " -> " << after.accuracy << ", train mode " << after.train_mode.accuracy);
  CHECK(before.accuracy < after.train_mode.accuracy - 0.1);
  CHECK(std::fabs(after.accuracy - after.train_mode.accuracy) < 0.05);
  CHECK(after.train_mode.accuracy == before.train_mode.accuracy);   // train mode ignores running statistics
}

TEST_CASE("step(n): the work of one call is bounded, and the error names n and the limit") {
  bn::TrainerOptions o;
  o.hidden.assign(100, 128);
  o.batch_size = 8;
  bn::Trainer t(o);
  const std::int64_t per_step = t.parameter_count() * 8;
  CHECK(t.max_steps_per_call() == bn::kMaxWorkPerCall / per_step);
  CHECK(t.max_steps_per_call() < 2000);
  REQUIRE_THROWS_WITH(t.step(1000000), Contains("n must be an integer in [0, " + std::to_string(t.max_steps_per_call()) + "]"));
  CHECK(t.steps() == 0);
  CHECK(bn::Trainer(bn::TrainerOptions{}).max_steps_per_call() == 1000000);
}

TEST_CASE("predict_grid names the range that overflows") {
  bn::Trainer t(bn::TrainerOptions{});
  t.step(5);
  std::vector<float> g(16);
  REQUIRE_THROWS_WITH(t.predict_grid(4, -1e308, 1e308, -1, 1, g.data()), Contains("xmax - xmin overflows"));
  REQUIRE_THROWS_WITH(t.predict_grid(4, -1, 1, -1e39, 1, g.data()), Contains("ymin and ymax must lie within float32"));
  REQUIRE_THROWS_WITH(t.predict_grid(4, -3e38, 3e38, -1, 1, g.data()), Contains("too wide for this network"));
  t.predict_grid(4, -1e30, 1e30, -1, 1, g.data());   // wide but finite everywhere
  for (float p : g) CHECK((p >= 0.0f && p <= 1.0f));
  CHECK(std::isfinite(t.step(1)));   // still working
}

TEST_CASE("network options: norm resolves with batch_norm, and each bad one is named") {
  bn::TrainerOptions o;
  o.batch_norm = false;
  CHECK(bn::Trainer(o).options().norm == "none");
  o = {};
  o.norm = "none";
  CHECK_FALSE(bn::Trainer(o).options().batch_norm);
  struct Case {
    void (*edit)(bn::TrainerOptions&);
    const char* message;
  };
  const Case cases[] = {
      {[](bn::TrainerOptions& o) { o.norm = "instance"; }, "norm must be one of"},
      {[](bn::TrainerOptions& o) { o.norm_placement = "middle"; }, "normPlacement must be"},
      {[](bn::TrainerOptions& o) { o.norm = "group"; o.groups = 3; }, "groups must divide every hidden width"},
      {[](bn::TrainerOptions& o) { o.norm = "group"; o.groups = 0; }, "groups must be an integer in [1, 256], got 0"},
      {[](bn::TrainerOptions& o) { o.momentum = 1.5; }, "momentum must be"},
      {[](bn::TrainerOptions& o) { o.batch_size = 1; }, "Expected more than 1 value per channel when training"},
      {[](bn::TrainerOptions& o) { o.hidden.assign(100, 256); o.batch_size = 200; o.samples = 400; }, "batchSize * (sum of hidden widths)"},
  };
  for (const Case& c : cases) {
    bn::TrainerOptions bad;
    c.edit(bad);
    INFO(c.message);
    REQUIRE_THROWS_WITH(bn::Trainer(bad), Contains(c.message));
  }
  o = {};
  o.momentum = std::nullopt;   // cumulative average
  bn::Trainer cumulative(o);
  cumulative.step(3);
  CHECK_FALSE(cumulative.network().norm(0)->options().momentum.has_value());
}
