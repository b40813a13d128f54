// The network's blocks (bn/mlp.hpp): residual connections, normalization
// before or after the activation, gradients against finite differences for
// every combination, deep copies, and the running statistics' controls.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "bn/loss.hpp"
#include "bn/mlp.hpp"

using Catch::Matchers::Contains;

namespace {

std::vector<float> normal_floats(std::size_t n, std::uint64_t seed) {
  bn::Pcg32 rng(seed, 77);
  std::vector<float> v(n);
  for (float& f : v) f = static_cast<float>(rng.normal());
  return v;
}

struct Variant {
  bn::Norm norm;
  bn::NormPlacement placement;
  bool residual;
  std::string name() const {
    return std::string(bn::norm_name(norm)) + " " + bn::norm_placement_name(placement) +
           (residual ? " residual" : "");
  }
};

std::vector<Variant> variants() {
  std::vector<Variant> v;
  for (bn::Norm norm : {bn::Norm::batch, bn::Norm::layer, bn::Norm::group, bn::Norm::none})
    for (bn::NormPlacement p : {bn::NormPlacement::before, bn::NormPlacement::after})
      for (bool residual : {false, true}) v.push_back({norm, p, residual});
  return v;
}

bn::MlpConfig config_for(const Variant& v, std::vector<int> hidden, bn::Activation act) {
  bn::MlpConfig c;
  c.hidden = std::move(hidden);
  c.activation = act;
  c.norm = v.norm;
  c.groups = 2;   // group: 2 groups (every width here is even)
  c.placement = v.placement;
  c.residual = v.residual;
  c.init = bn::Init::xavier;
  return c;
}

std::vector<std::uint8_t> alternating_labels(int m) {
  std::vector<std::uint8_t> labels(m);
  for (int i = 0; i < m; ++i) labels[i] = static_cast<std::uint8_t>(i % 2);
  return labels;
}

double loss_of(bn::Mlp& net, const std::vector<float>& x, const std::vector<std::uint8_t>& labels,
               bn::MlpWorkspace& ws, int m) {
  return bn::softmax_cross_entropy(net.forward(x.data(), m, ws), labels.data(), m, 2, nullptr).loss;
}

}  // namespace

TEST_CASE("deep blocks: gradients agree with finite differences for every placement, with and without residuals") {
  for (const Variant& v : variants()) {
    INFO(v.name());
    // hidden[0] = 2 = the input width: block 0 is residual too when asked.
    bn::Pcg32 rng(21);
    bn::Mlp net(config_for(v, {2, 4, 4, 4}, bn::Activation::tanh), rng);
    CHECK(net.residual(0) == v.residual);
    CHECK_FALSE(net.residual(1));   // 2 -> 4: widths differ
    // W, b per block, gamma, beta per normalization, the output's W, b.
    CHECK(net.parameters().size() == (v.norm != bn::Norm::none ? 18u : 10u));
    CHECK(net.residual(2) == v.residual);
    const int m = 8;
    const auto x = normal_floats(2 * m, 5);
    const auto labels = alternating_labels(m);
    bn::MlpWorkspace ws = net.make_workspace(m);
    bn::softmax_cross_entropy(net.forward(x.data(), m, ws), labels.data(), m, 2, ws.dlogits.data());
    net.backward(x.data(), ws);
    int checked = 0;
    for (const bn::ParamRef& p : net.parameters()) {
      const std::vector<float> grad(p.grad, p.grad + p.size);
      for (int k = 0; k < p.size; k += 2) {
        const float saved = p.value[k];
        // 3e-3: LayerNorm over 4 units curves enough that e = 1e-2 is off by 0.005
        // on one entry (truncation error; 1e-3 and 3e-3 agree everywhere).
        const float e = 3e-3f;
        p.value[k] = saved + e;
        const double lp = loss_of(net, x, labels, ws, m);
        p.value[k] = saved - e;
        const double lm = loss_of(net, x, labels, ws, m);
        p.value[k] = saved;
        CHECK(grad[k] == Approx((lp - lm) / (2.0 * e)).margin(2e-3).epsilon(0.03));
        ++checked;
      }
    }
    CHECK(checked >= 30);
  }
}

TEST_CASE("a block computes Linear, Norm, activation in the placement's order, plus its input on a residual path") {
  const int m = 16;
  const auto x = normal_floats(2 * m, 9);
  for (const Variant& v : variants()) {
    INFO(v.name());
    bn::Pcg32 rng(4);
    bn::Mlp net(config_for(v, {6, 6, 6}, bn::Activation::relu), rng);
    bn::MlpWorkspace ws = net.make_workspace(m);
    net.forward(x.data(), m, ws);
    for (int l = 1; l < 3; ++l) {
      const bn::MlpWorkspace::Layer& w = ws.layers[l];
      const float* a = net.block_output(l - 1, ws);
      const float* f = v.norm != bn::Norm::none && v.placement == bn::NormPlacement::after ? w.y.data() : w.h.data();
      for (int j = 0; j < m * 6; ++j) {
        const float* act_in = net.activation_input(l, ws);
        CHECK(w.h[j] == std::max(act_in[j], 0.0f));
        CHECK(net.block_output(l, ws)[j] == (v.residual ? a[j] + f[j] : f[j]));
      }
      if (v.norm == bn::Norm::none) continue;
      // The normalization's output has mean 0 and variance var / (var + eps)
      // (gamma 1, beta 0; var that of its input, z before the activation, h
      // after) over what it normalizes: per unit over the m rows (batch), per
      // row over its 6 units (layer), per row and group of 3 units (group).
      const std::vector<float>& in = v.placement == bn::NormPlacement::before ? w.z : w.h;
      auto check_standard = [&](auto index, int count, int sets) {
        for (int set = 0; set < sets; ++set) {
          auto moments = [&](const std::vector<float>& a, double& mean, double& var) {
            mean = var = 0;
            for (int i = 0; i < count; ++i) mean += a[index(set, i)] / count;
            for (int i = 0; i < count; ++i) var += (a[index(set, i)] - mean) * (a[index(set, i)] - mean) / count;
          };
          double mean_in, var_in, mean_y, var_y;
          moments(in, mean_in, var_in);
          moments(w.y, mean_y, var_y);
          CHECK(mean_y == Approx(0.0).margin(1e-5));
          CHECK(var_y == Approx(var_in / (var_in + 1e-5)).epsilon(1e-4).margin(1e-6));
        }
      };
      if (v.norm == bn::Norm::batch) check_standard([](int k, int i) { return i * 6 + k; }, m, 6);
      if (v.norm == bn::Norm::layer) check_standard([](int row, int k) { return row * 6 + k; }, 6, m);
      if (v.norm == bn::Norm::group) check_standard([](int set, int k) { return set * 3 + k; }, 3, 2 * m);
    }
  }
}

TEST_CASE("copy_parameters_from: the same outputs from another network's parameters, kept independent") {
  bn::Pcg32 rng(8), other_rng(99);
  bn::MlpConfig c;
  c.hidden = {8, 8};
  bn::Mlp net(c, rng), copy(c, other_rng);
  const int m = 10;
  const auto x = normal_floats(2 * m, 3);
  bn::MlpWorkspace wa = net.make_workspace(m), wb = copy.make_workspace(m);
  net.forward(x.data(), m, wa);
  copy.forward(x.data(), m, wb);
  CHECK(wa.logits != wb.logits);   // other weights
  copy.copy_parameters_from(net);
  copy.forward(x.data(), m, wb);
  CHECK(wa.logits == wb.logits);
  copy.parameters()[0].value[0] += 1.0f;
  net.forward(x.data(), m, wa);
  copy.forward(x.data(), m, wb);
  CHECK(wa.logits != wb.logits);
  c.hidden = {8, 9};
  bn::Mlp other(c, other_rng);
  REQUIRE_THROWS_WITH(other.copy_parameters_from(net), Contains("the networks differ"));
}

TEST_CASE("running statistics: reset (PyTorch's reset_running_stats) and copied between networks") {
  bn::Pcg32 rng(2), other_rng(9);
  bn::MlpConfig c;
  c.hidden = {5, 5, 5};
  bn::Mlp net(c, rng);
  c.momentum = std::nullopt;
  bn::Mlp twin(c, other_rng);
  const int m = 12;
  const auto x = normal_floats(2 * m, 4);
  bn::MlpWorkspace ws = net.make_workspace(m);
  net.forward(x.data(), m, ws);
  net.forward(x.data(), m, ws);
  twin.forward(x.data(), m, ws);   // one workspace serves any network of this architecture
  net.copy_running_stats_from(twin);
  for (int l = 0; l < 3; ++l) {
    CHECK(net.norm(l)->running_mean() == twin.norm(l)->running_mean());
    CHECK(net.norm(l)->running_var() == twin.norm(l)->running_var());
    CHECK(net.norm(l)->num_batches_tracked() == 1);
  }
  CHECK(net.norm(0)->options().momentum == 0.1);   // only the statistics are copied
  net.reset_running_stats();
  for (int l = 0; l < 3; ++l) {
    CHECK(net.norm(l)->num_batches_tracked() == 0);
    CHECK(net.norm(l)->running_mean() == std::vector<float>(5, 0.0f));
    CHECK(net.norm(l)->running_var() == std::vector<float>(5, 1.0f));
  }
  // Momentum null: the first batch's factor is 1/1, so the running mean is its mean.
  twin.reset_running_stats();
  twin.forward(x.data(), m, ws);
  const std::vector<float> first = twin.norm(0)->running_mean();
  twin.forward(x.data(), m, ws);
  CHECK(twin.norm(0)->running_mean() == first);   // the same batch again: factor 1/2, same mean
  c.hidden = {5, 4, 5};
  bn::Mlp different(c, other_rng);
  REQUIRE_THROWS_WITH(net.copy_running_stats_from(different), Contains("the networks differ"));
}

TEST_CASE("norm and normPlacement names; each normalization made by name, groups that do not divide refused") {
  CHECK(bn::parse_norm("batch") == bn::Norm::batch);
  CHECK(bn::parse_norm("none") == bn::Norm::none);
  REQUIRE_THROWS_WITH(bn::parse_norm("instance"), Contains("norm must be one of"));
  REQUIRE_THROWS_WITH(bn::parse_norm_placement("middle"), Contains("normPlacement must be"));
  CHECK(bn::make_hidden_norm(bn::Norm::none, 4, 1, 0.1) == nullptr);
  CHECK(bn::make_hidden_norm(bn::Norm::batch, 4, 1, 0.1)->batch_norm()->features() == 4);
  CHECK(bn::make_hidden_norm(bn::Norm::layer, 4, 1, 0.1)->batch_norm() == nullptr);
  CHECK(bn::make_hidden_norm(bn::Norm::group, 4, 2, 0.1)->parameters().size() == 2u);
  REQUIRE_THROWS_WITH(bn::make_hidden_norm(bn::Norm::group, 6, 4, 0.1), Contains("groups must divide"));
}
