// The three claims the trainer page makes about batch normalization, as
// tests with fixed seeds (scripts/lr-table.mjs prints the full figures):
//  (a) standardizing: after BN in training mode each feature of the batch has
//      mean 0 and variance 1 (before gamma/beta) whatever the input scale;
//      without BN the hidden pre-activations drift as training goes on;
//  (b) aggressive learning rates: a deep narrow sigmoid net trains with BN at
//      a learning rate where the plain net stalls near chance;
//  (c) minibatch noise: an example's BN output depends on its batch in
//      training mode, not in eval mode.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "bn/datasets.hpp"
#include "bn/mlp.hpp"
#include "bn/trainer.hpp"

namespace {

struct FeatureStats {
  std::vector<double> mean, var;
};

// Mean and biased variance of each column of a row-major [m x n] block.
FeatureStats column_stats(const float* v, int m, int n) {
  FeatureStats s{std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
  for (int k = 0; k < n; ++k) {
    for (int i = 0; i < m; ++i) s.mean[k] += v[i * n + k];
    s.mean[k] /= m;
    for (int i = 0; i < m; ++i) s.var[k] += (v[i * n + k] - s.mean[k]) * (v[i * n + k] - s.mean[k]);
    s.var[k] /= m;
  }
  return s;
}

// Mean over features of |mean_t - mean_0| + |std_t - std_0|, relative to the mean std_0.
double drift(const FeatureStats& s0, const FeatureStats& st) {
  double d = 0, scale = 0;
  for (std::size_t k = 0; k < s0.mean.size(); ++k) {
    d += std::fabs(st.mean[k] - s0.mean[k]) + std::fabs(std::sqrt(st.var[k]) - std::sqrt(s0.var[k]));
    scale += std::sqrt(s0.var[k]);
  }
  return d / scale;
}

// The training points of a trainer, as one probe batch.
std::vector<float> training_points(const bn::Trainer& t) {
  std::vector<float> x;
  for (int i : t.data().train_index) {
    x.push_back(t.data().x[2 * i]);
    x.push_back(t.data().x[2 * i + 1]);
  }
  return x;
}

}  // namespace

TEST_CASE("claim (a): BN output of a training batch has mean 0, variance 1 per feature at any input scale") {
  const bn::Dataset d = bn::make_dataset(bn::DatasetKind::spiral, 64, 0.1, 0.0, 3);
  for (double scale : {0.01, 1.0, 10.0, 1000.0}) {
    INFO("input scale " << scale);
    for (bool batch_norm : {true, false}) {
      bn::MlpConfig config;
      config.hidden = {16, 16};
      config.norm = batch_norm ? bn::Norm::batch : bn::Norm::none;
      bn::Pcg32 rng(5);
      bn::Mlp net(config, rng);
      bn::MlpWorkspace ws = net.make_workspace(64);
      std::vector<float> x(d.x);
      for (float& v : x) v = static_cast<float>(v * scale);
      net.forward(x.data(), 64, ws);
      for (int l = 0; l < 2; ++l) {
        if (batch_norm) {
          // gamma = 1, beta = 0 at initialization: y is x-hat, whose
          // variance is var_z / (var_z + eps): 1 unless var_z is near eps.
          const FeatureStats s = column_stats(ws.layers[l].y.data(), 64, 16);
          const FeatureStats z = column_stats(ws.layers[l].z.data(), 64, 16);
          for (int k = 0; k < 16; ++k) {
            CHECK(s.mean[k] == Approx(0.0).margin(1e-5));
            CHECK(s.var[k] == Approx(z.var[k] / (z.var[k] + 1e-5)).epsilon(1e-3));
            if (scale >= 1.0) CHECK(s.var[k] == Approx(1.0).margin(0.01));
          }
        } else if (l == 0) {
          // Without BN the first pre-activation simply carries the input's scale.
          const FeatureStats s = column_stats(ws.layers[l].z.data(), 64, 16);
          double mean_var = 0;
          for (double v : s.var) mean_var += v / 16;
          CHECK(std::sqrt(mean_var) > 0.2 * scale);
          CHECK(std::sqrt(mean_var) < 5.0 * scale);
        }
      }
    }
  }
}

TEST_CASE("claim (a): BN keeps hidden features standardized during training; without BN they drift") {
  bn::TrainerOptions o;
  o.dataset = "spiral";
  o.hidden = {16, 16, 16};
  o.lr = 0.1;
  double drift_plain = 0;
  for (bool batch_norm : {true, false}) {
    INFO("batch_norm " << batch_norm);
    o.batch_norm = batch_norm;
    bn::Trainer t(o);
    const std::vector<float> probe = training_points(t);
    const int m = static_cast<int>(probe.size() / 2);
    bn::MlpWorkspace ws = t.network().make_workspace(m);
    t.network().forward(probe.data(), m, ws);   // training mode: batch statistics
    const FeatureStats z0 = column_stats(ws.layers[2].z.data(), m, 16);
    t.step(1500);
    if (batch_norm) {
      // After 1500 steps the last batch is still standardized by BN: the x-hat
      // the network's third BN layer computed for it (the very one of the
      // layer's trace, bit for bit) has mean 0 and variance 1 per feature.
      const std::vector<float> xhat = t.activations(2).xhat;
      REQUIRE(xhat == t.network().norm(2)->trace().xhat);
      const FeatureStats s = column_stats(xhat.data(), 32, 16);
      for (int k = 0; k < 16; ++k) {
        CHECK(s.mean[k] == Approx(0.0).margin(1e-5));
        CHECK(s.var[k] == Approx(1.0).margin(0.01));
      }
    }
    t.network().forward(probe.data(), m, ws);
    const FeatureStats zt = column_stats(ws.layers[2].z.data(), m, 16);
    if (!batch_norm) drift_plain = drift(z0, zt);
  }
  // The plain net's last hidden pre-activations moved by more than their
  // own initial spread.
  CHECK(drift_plain > 1.0);
}

TEST_CASE("claim (b): at lr 3 a deep sigmoid net trains with BN and stalls without") {
  bn::TrainerOptions o;
  o.dataset = "circles";
  o.hidden = {16, 16, 16, 16, 16, 16};
  o.activation = "sigmoid";
  o.lr = 3.0;
  int bn_good = 0;
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    INFO("seed " << seed);
    o.seed = seed;
    o.batch_norm = true;
    bn::Trainer with_bn(o);
    with_bn.step(2000);
    const bn::Evaluation e = with_bn.evaluate();
    if (e.accuracy > 0.9) ++bn_good;
    o.batch_norm = false;
    bn::Trainer plain(o);
    plain.step(2000);
    CHECK(plain.evaluate().accuracy < 0.6);
  }
  CHECK(bn_good >= 2);
}

TEST_CASE("claim (c): an example's BN output depends on its batch in training mode only") {
  const bn::Dataset d = bn::make_dataset(bn::DatasetKind::moons, 80, 0.1, 0.0, 4);
  // Batch A: points 0..31. Batch B: point 0, then points 40..70.
  std::vector<float> a(d.x.begin(), d.x.begin() + 64), b(64);
  b[0] = d.x[0];
  b[1] = d.x[1];
  for (int r = 1; r < 32; ++r) {
    b[2 * r] = d.x[2 * (39 + r)];
    b[2 * r + 1] = d.x[2 * (39 + r) + 1];
  }
  bn::MlpConfig config;
  bn::Pcg32 rng(9);
  bn::Mlp net(config, rng);
  bn::MlpWorkspace wa = net.make_workspace(32), wb = net.make_workspace(32);
  net.forward(a.data(), 32, wa);
  net.forward(b.data(), 32, wb);
  // The same linear output for point 0 in both batches...
  for (int k = 0; k < 16; ++k) REQUIRE(wa.layers[0].z[k] == wb.layers[0].z[k]);
  // ...but another normalized value: the batch statistics differ.
  double diff = 0;
  for (int k = 0; k < 16; ++k) diff = std::max(diff, static_cast<double>(std::fabs(wa.layers[0].y[k] - wb.layers[0].y[k])));
  CHECK(diff > 0.05);
  net.eval();
  net.forward(a.data(), 32, wa);
  net.forward(b.data(), 32, wb);
  for (int k = 0; k < 16; ++k) CHECK(wa.layers[0].y[k] == wb.layers[0].y[k]);
  for (int c = 0; c < 2; ++c) CHECK(wa.logits[c] == wb.logits[c]);
}
