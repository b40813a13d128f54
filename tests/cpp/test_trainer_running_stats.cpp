// Trainer::running_stats: the population statistics of a BatchNorm layer's
// input over the training split (against a direct float64 computation), the
// running statistics approaching them at momentum 0.1 and lagging at 0.001
// (the control), recalibrate() putting them on the population, the errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "bn/trainer.hpp"

using Catch::Matchers::Contains;

namespace {

// The training split through a copy of t's network in eval mode, in one
// pass; the input of hidden layer `layer`'s normalization, per feature, as
// float64 two-pass mean and unbiased variance.
void direct_population(bn::Trainer& t, int layer, std::vector<double>& mean, std::vector<double>& var) {
  const std::vector<int>& rows = t.data().train_index;
  const int n = static_cast<int>(rows.size());
  std::vector<float> x;
  for (int i : rows) { x.push_back(t.data().x[2 * i]); x.push_back(t.data().x[2 * i + 1]); }
  bn::Pcg32 unused(0);
  bn::Mlp copy(t.network().config(), unused);
  copy.copy_parameters_from(t.network());
  copy.copy_running_stats_from(t.network());
  copy.eval();
  bn::MlpWorkspace ws = copy.make_workspace(n);
  copy.forward(x.data(), n, ws);
  const bool before = t.options().norm_placement == "before";
  const std::vector<float>& v = before ? ws.layers[layer].z : ws.layers[layer].h;
  const int f = copy.width(layer);
  mean.assign(f, 0.0);
  var.assign(f, 0.0);
  for (int k = 0; k < f; ++k) {
    for (int r = 0; r < n; ++r) mean[k] += v[r * f + k];
    mean[k] /= n;
    for (int r = 0; r < n; ++r) var[k] += (v[r * f + k] - mean[k]) * (v[r * f + k] - mean[k]);
    var[k] /= n - 1;
  }
}

// Mean over features of |running - population| / population std (mean) and
// |running - population| / population (variance).
struct Gap { double mean, var; };
Gap gap(const bn::RunningStats& s) {
  Gap g{0.0, 0.0};
  for (int k = 0; k < s.features; ++k) {
    g.mean += std::fabs(s.running_mean[k] - s.population_mean[k]) / std::sqrt(s.population_var[k]);
    g.var += std::fabs(s.running_var[k] - s.population_var[k]) / s.population_var[k];
  }
  return Gap{g.mean / s.features, g.var / s.features};
}

}  // namespace

TEST_CASE("running_stats: the population equals a direct float64 computation; nothing changes", "[running_stats]") {
  for (const char* placement : {"before", "after"}) {
    bn::TrainerOptions o;
    o.norm_placement = placement;
    o.samples = 1000;        // 800 training points: several eval chunks of 256
    o.hidden = {12, 7};
    bn::Trainer a(o), b(o);
    a.step(30);
    b.step(30);
    for (int layer : {0, 1}) {
      INFO("placement " << placement << ", layer " << layer);
      const std::vector<float> running = a.network().norm(layer)->running_mean();
      const bn::RunningStats s = a.running_stats(layer);
      std::vector<double> mean, var;
      direct_population(a, layer, mean, var);
      REQUIRE(s.features == o.hidden[layer]);
      CHECK(s.rows == 800);
      CHECK(s.layer == layer);
      CHECK(s.running_mean == running);
      CHECK(s.running_var == a.network().norm(layer)->running_var());
      for (int k = 0; k < s.features; ++k) {
        CHECK(s.population_mean[k] == Approx(mean[k]).epsilon(1e-12).margin(1e-12));
        CHECK(s.population_var[k] == Approx(var[k]).epsilon(1e-12));
      }
      CHECK(a.network().norm(layer)->running_mean() == running);
    }
    CHECK(a.network().training());
    for (int c = 0; c < 3; ++c) CHECK(a.step(5) == b.step(5));   // the next steps are unchanged
  }
}

TEST_CASE("running_stats: at momentum 0.1 the running statistics approach the population; at 0.001 they lag",
          "[running_stats]") {
  // The preset "Slow running statistics" (web/js/presets-config.js), 300 steps.
  for (std::uint32_t seed = 1; seed <= 5; ++seed) {
    bn::TrainerOptions o;
    o.dataset = "circles";
    o.hidden = {32, 32, 32, 32};
    o.lr = 0.3;
    o.batch_size = 64;
    o.seed = seed;
    bn::Trainer fast(o);
    o.momentum = 0.001;
    bn::Trainer slow(o);
    fast.step(300);
    slow.step(300);
    const Gap f = gap(fast.running_stats(0)), s = gap(slow.running_stats(0));
    INFO("seed " << seed << ": momentum 0.1 gap mean " << f.mean << " var " << f.var << "; momentum 0.001 gap mean "
                 << s.mean << " var " << s.var);
    // The variance shows it most: from its initial 1, 300 steps at 0.001
    // cover 1 - 0.999^300 = 26 % of the way to the population's.
    CHECK(f.mean < 0.01);
    CHECK(f.var < 0.05);
    CHECK(s.mean > 3 * f.mean);
    CHECK(s.var > 1.0);
    // recalibrate(): 320 training points in 5 batches of 64, so the average
    // of the batch means is the population mean (to float rounding); the
    // variance is the average of the batches' unbiased variances, near the
    // population's.
    slow.recalibrate();
    const bn::RunningStats r = slow.running_stats(0);
    for (int k = 0; k < r.features; ++k)
      CHECK(r.running_mean[k] == Approx(r.population_mean[k]).margin(1e-5 * std::sqrt(r.population_var[k])));
    const Gap after = gap(r);
    INFO("after recalibrate: gap mean " << after.mean << " var " << after.var);
    CHECK(after.mean < 1e-5);
    CHECK(after.var < 0.05);
  }
}

TEST_CASE("running_stats: momentum null over one batch of the whole split is the population to float rounding",
          "[running_stats]") {
  bn::TrainerOptions o;
  o.samples = 100;          // 80 training points
  o.batch_size = 80;
  o.momentum = std::nullopt;
  o.seed = 3;
  bn::Trainer t(o);
  t.step(20);
  t.recalibrate();          // one batch: its mean and unbiased variance
  // Layer 0 only: a deeper layer's input in update_bn's pass comes through
  // layer 0 in train mode (biased batch variance), in running_stats() through
  // layer 0 in eval mode (the unbiased running variance), a factor
  // sqrt(79 / 80) apart.
  const bn::RunningStats s = t.running_stats(0);
  for (int k = 0; k < s.features; ++k) {
    INFO("feature " << k);
    CHECK(s.running_mean[k] == Approx(s.population_mean[k]).epsilon(1e-6).margin(1e-6));
    CHECK(s.running_var[k] == Approx(s.population_var[k]).epsilon(1e-5));   // unbiased, as the running var
  }
}

TEST_CASE("running_stats: a bad layer is named, and the trainer keeps working", "[running_stats]") {
  bn::TrainerOptions o;
  bn::Trainer t(o);
  t.step(2);
  CHECK_THROWS_WITH(t.running_stats(2), Contains("layerIndex must be an integer in [0, 1]") && Contains("got 2"));
  CHECK_THROWS_WITH(t.running_stats(-1), Contains("layerIndex") && Contains("got -1"));
  CHECK(std::isfinite(t.step(1)));
  CHECK(t.running_stats(1).features == 16);
  for (const char* norm : {"layer", "none"}) {
    bn::TrainerOptions p;
    p.norm = norm;
    p.batch_norm = std::string(norm) == "batch";
    bn::Trainer u(p);
    CHECK_THROWS_WITH(u.running_stats(0), Contains("layerIndex 0") && Contains("no BatchNorm1d") &&
                                              Contains(std::string("norm \"") + norm + "\""));
    CHECK(std::isfinite(u.step(1)));
  }
  // Before the first step: running statistics 0 and 1, the population of the initial weights.
  bn::Trainer fresh(o);
  const bn::RunningStats s = fresh.running_stats(0);
  CHECK(s.running_mean[0] == 0.0f);
  CHECK(s.running_var[0] == 1.0f);
  CHECK(std::isfinite(s.population_var[0]));
}
