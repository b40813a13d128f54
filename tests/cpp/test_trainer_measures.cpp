// What a training step leaves behind, measured on request: layer_stats()
// (bn/layer_stats.hpp) and Santurkar et al.'s landscape measures
// (bn/landscape.hpp), each against a direct computation, and both leaving
// the trainer exactly as it was.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "bn/loss.hpp"
#include "bn/trainer.hpp"

using Catch::Matchers::Contains;

namespace {

double mean_of(const std::vector<float>& v) {
  double s = 0;
  for (float f : v) s += f;
  return s / v.size();
}

double std_of(const std::vector<float>& v) {
  const double m = mean_of(v);
  double s = 0;
  for (float f : v) s += (f - m) * (f - m);
  return std::sqrt(s / v.size());
}

double norm_of(const float* v, std::size_t n) {
  double s = 0;
  for (std::size_t j = 0; j < n; ++j) s += static_cast<double>(v[j]) * v[j];
  return std::sqrt(s);
}

std::vector<float> flat_parameters(bn::Mlp& net, bool grads) {
  std::vector<float> out;
  for (const bn::ParamRef& p : net.parameters())
    out.insert(out.end(), grads ? p.grad : p.value, (grads ? p.grad : p.value) + p.size);
  return out;
}

}  // namespace

TEST_CASE("layer_stats: statistics of the last step's batch per hidden layer, as computed directly") {
  for (const char* activation : {"relu", "tanh", "sigmoid"}) {
    for (bool batch_norm : {true, false}) {
      INFO(activation << " batch_norm " << batch_norm);
      bn::TrainerOptions o;
      o.activation = activation;
      o.batch_norm = batch_norm;
      o.hidden = {8, 8, 8};
      o.lr = 0.5;
      bn::Trainer t(o);
      REQUIRE_THROWS_WITH(t.layer_stats(), Contains("call step(n)"));
      t.step(30);
      const std::vector<bn::LayerStats> s = t.layer_stats();
      REQUIRE(s.size() == 3);
      for (int l = 0; l < 3; ++l) {
        const bn::LayerActivations a = t.activations(l);
        // Placement "before": the activation's input is gamma * x-hat + beta,
        // with gamma and beta as the forward saw them, before the SGD update
        // p <- p - lr g that followed it.
        std::vector<float> act_in = a.pre;
        if (batch_norm) {
          const bn::BatchNorm1d& n = *t.network().norm(l);
          for (int i = 0; i < a.batch; ++i)
            for (int k = 0; k < a.width; ++k) {
              const double gamma = n.gamma()[k] + o.lr * n.dgamma()[k];
              const double beta = n.beta()[k] + o.lr * n.dbeta()[k];
              act_in[i * a.width + k] = static_cast<float>(gamma * a.xhat[i * a.width + k] + beta);
            }
        }
        CHECK(s[l].pre_mean == Approx(mean_of(act_in)).margin(1e-5));
        CHECK(s[l].pre_std == Approx(std_of(act_in)).epsilon(1e-4));
        CHECK(s[l].act_mean == Approx(mean_of(a.activated)).margin(1e-6));
        CHECK(s[l].act_std == Approx(std_of(a.activated)).epsilon(1e-6));
        CHECK(s[l].out_std == Approx(std_of(a.activated)).epsilon(1e-6));   // no residual: the output is h
        int flat = 0;
        for (float h : a.activated) {
          if (o.activation == "relu") flat += h <= 0.0f;
          if (o.activation == "tanh") flat += std::fabs(h) > 0.99f;
          if (o.activation == "sigmoid") flat += h < 0.01f || h > 0.99f;
        }
        CHECK(s[l].saturation == Approx(static_cast<double>(flat) / a.activated.size()));
        const bn::Linear& lin = t.network().linear(l);
        CHECK(s[l].grad_norm == Approx(norm_of(lin.dweight(), lin.weights().size())));
        CHECK(s[l].weight_norm == Approx(norm_of(lin.weights().data(), lin.weights().size())));
        CHECK(s[l].grad_norm > 0);
      }
    }
  }
}

TEST_CASE("layer_stats on a deep residual net: the residual stream is each block's output") {
  bn::TrainerOptions o;
  o.hidden.assign(12, 8);
  o.residual = true;
  bn::Trainer t(o);
  t.step(3);
  const auto s = t.layer_stats();
  REQUIRE(s.size() == 12);
  // The stream adds a block's f(a) to its input at every block (block 0 has 2 inputs: no residual).
  CHECK(s[11].out_std > s[1].out_std);
  for (const bn::LayerStats& l : s) CHECK(l.pre_std == Approx(1.0).epsilon(0.01));   // BN output, gamma ~ 1
}

TEST_CASE("landscape: loss and gradient along the gradient direction, and the ICS of each layer") {
  bn::TrainerOptions o;
  o.hidden = {8, 8, 8};
  o.activation = "tanh";
  o.lr = 0.1;
  bn::Trainer t(o);
  REQUIRE_THROWS_WITH(t.landscape({}), Contains("call step(n)"));
  t.step(20);
  bn::LandscapeOptions tiny;
  tiny.steps = 1;
  tiny.max_scale = 0.001;   // eta = 1e-4: first order, L(w - eta g) ~ L(w) - eta |g|^2
  const bn::Landscape near = t.landscape(tiny);
  REQUIRE(near.eta.size() == 1);
  CHECK(near.eta[0] == Approx(1e-4));
  CHECK(near.loss_at[0] == Approx(near.loss - 1e-4 * near.grad_norm * near.grad_norm).epsilon(1e-4));
  const bn::Landscape l = t.landscape({});
  REQUIRE(l.eta.size() == 8);
  CHECK(l.eta.back() == Approx(0.4));
  CHECK(l.loss == near.loss);
  CHECK(l.loss_min <= l.loss_max);
  double worst = 0, beta = 0;
  for (std::size_t k = 0; k < 8; ++k) {
    worst = std::max(worst, l.grad_change[k]);
    beta = std::max(beta, l.grad_change[k] / (l.eta[k] * l.grad_norm));
  }
  CHECK(l.grad_change_max == worst);
  CHECK(l.beta_smoothness == Approx(beta));
  REQUIRE(l.ics.size() == 3);
  CHECK(l.ics[0] == 0.0);
  CHECK(l.ics_cosine[0] == 1.0);

  // ICS of layer 1 by hand: block 0 (W, b, gamma, beta) takes w - lr g, the
  // rest stays; the gradient of W_1 is compared with the one at w.
  bn::Pcg32 unused(0);
  bn::Mlp probe(t.network().config(), unused);
  probe.copy_parameters_from(t.network());
  const int m = o.batch_size;
  std::vector<float> x(2 * m);
  std::vector<std::uint8_t> y(m);
  for (int r = 0; r < m; ++r) {
    const int i = t.last_batch_indices()[r];
    x[2 * r] = t.data().x[2 * i];
    x[2 * r + 1] = t.data().x[2 * i + 1];
    y[r] = t.data().y[i];
  }
  bn::MlpWorkspace ws = probe.make_workspace(m);
  auto grad_w1 = [&] {
    bn::softmax_cross_entropy(probe.forward(x.data(), m, ws), y.data(), m, 2, ws.dlogits.data());
    probe.backward(x.data(), ws);
    const bn::Linear& lin = probe.linear(1);
    return std::vector<float>(lin.dweight(), lin.dweight() + lin.weights().size());
  };
  const std::vector<float> g1 = grad_w1();
  for (const bn::ParamRef& p : probe.block_parameters(0))
    for (int k = 0; k < p.size; ++k) p.value[k] = static_cast<float>(p.value[k] - 0.1 * p.grad[k]);
  const std::vector<float> g1_after = grad_w1();
  double d2 = 0, dot = 0, n1 = 0, n2 = 0;
  for (std::size_t j = 0; j < g1.size(); ++j) {
    d2 += (static_cast<double>(g1[j]) - g1_after[j]) * (static_cast<double>(g1[j]) - g1_after[j]);
    dot += static_cast<double>(g1[j]) * g1_after[j];
    n1 += static_cast<double>(g1[j]) * g1[j];
    n2 += static_cast<double>(g1_after[j]) * g1_after[j];
  }
  CHECK(l.ics[1] == Approx(std::sqrt(d2)).epsilon(1e-3));
  CHECK(l.ics_cosine[1] == Approx(dot / std::sqrt(n1 * n2)).epsilon(1e-4));
  CHECK(l.ics[1] > 0);
}

TEST_CASE("landscape and layer_stats change nothing: parameters, gradients, statistics, the next steps") {
  bn::TrainerOptions o;
  o.hidden = {8, 8, 8, 8};
  o.residual = true;
  o.optimizer = "adam";
  o.lr = 0.01;
  bn::Trainer a(o), b(o);
  a.step(15);
  b.step(15);
  const std::vector<float> params = flat_parameters(a.network(), false);
  const std::vector<float> grads = flat_parameters(a.network(), true);
  const std::vector<float> running = a.network().norm(2)->running_var();
  const auto stats = a.layer_stats();
  a.landscape({});
  a.layer_stats();
  CHECK(flat_parameters(a.network(), false) == params);
  CHECK(flat_parameters(a.network(), true) == grads);
  CHECK(a.network().norm(2)->running_var() == running);
  CHECK(a.network().norm(2)->num_batches_tracked() == b.network().norm(2)->num_batches_tracked());
  CHECK(a.layer_stats()[3].pre_std == stats[3].pre_std);
  for (int c = 0; c < 5; ++c) CHECK(a.step(7) == b.step(7));
  CHECK(a.evaluate().loss == b.evaluate().loss);
}

TEST_CASE("landscape: bad options are named") {
  bn::TrainerOptions o;
  bn::Trainer t(o);
  t.step(2);
  bn::LandscapeOptions bad;
  bad.steps = 0;
  REQUIRE_THROWS_WITH(t.landscape(bad), Contains("steps must be an integer in [1, 64]"));
  bad.steps = 4;
  bad.max_scale = std::nan("");
  REQUIRE_THROWS_WITH(t.landscape(bad), Contains("maxScale must be"));
}
