// Replays every case of tests/data/golden.json (torch.nn.BatchNorm1d, see
// tests/reference/make_golden.py) through bn::BatchNorm1d and through the
// float64 reference bn::ref, and checks them against torch float32 and
// against the float64 truth, through the 2-D row API the trainer and the
// bindings use. The same cases also run through the shape API in
// tests/cpp/test_golden_layers.cpp, with the checks every layer shares
// there: the free-running replay of the running estimates, and the
// large-offset cases at least 100x more accurate than torch float32.
//
// Error measure ("normwise"): max_i |a_i - t_i| / max_i |t_i| per array.
// The hidden test "golden: accuracy report" (run it by name) prints one line
// "BN_ACCURACY {...}" with the measured errors; tests/reference/accuracy.mjs
// reads it for the native column.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "bn/batchnorm.hpp"
#include "bn/batchnorm_ref.hpp"
#include "golden_checks.hpp"
#include "golden_data.hpp"

namespace {

using golden::Case;
using golden::check_array;
using golden::normwise;
using golden::Step;

const std::vector<Case>& cases() {
  static const std::vector<Case> all = golden::load_cases();
  return all;
}

// What our layer gives for one step.
struct Ours {
  std::vector<float> y, dx, dgamma, dbeta, running_mean, running_var;
  std::int64_t num_batches_tracked = 0;
};

bn::BatchNorm1d make_layer(const Case& c) {
  bn::BatchNorm1d layer(c.features, {c.eps, c.momentum, c.affine});
  auto given = [&](const char* name) -> const float* {
    auto it = c.init.find(name);
    return it == c.init.end() ? nullptr : it->second.data();
  };
  layer.set_params(given("gamma"), given("beta"), given("running_mean"), given("running_var"));
  return layer;
}

std::vector<float> as_floats(const std::vector<double>& v) { return {v.begin(), v.end()}; }

// Runs the case's steps in order on one layer, as torch did. With
// `sync_running_stats`, each step starts from the running estimates torch
// held before it (the float32 state the truth of that step starts from), so
// the step is compared on exactly the same inputs; the step counter and all
// else carry over from our own previous step.
std::vector<Ours> replay(const Case& c, bool sync_running_stats) {
  bn::BatchNorm1d layer = make_layer(c);
  std::vector<Ours> out;
  for (std::size_t k = 0; k < c.steps.size(); ++k) {
    const Step& s = c.steps[k];
    if (sync_running_stats && k > 0) {
      const auto mean = as_floats(c.steps[k - 1].torch.running_mean);
      const auto var = as_floats(c.steps[k - 1].torch.running_var);
      layer.set_params(nullptr, nullptr, mean.data(), var.data());
    }
    s.training ? layer.train() : layer.eval();
    const std::size_t total = static_cast<std::size_t>(s.batch) * c.features;
    Ours o;
    o.y.resize(total);
    o.dx.resize(total);
    o.dgamma.resize(c.features);
    o.dbeta.resize(c.features);
    layer.forward(s.x.data(), s.batch, o.y.data());
    layer.backward(s.dy.data(), o.dx.data(), o.dgamma.data(), o.dbeta.data());
    o.running_mean = layer.running_mean();
    o.running_var = layer.running_var();
    o.num_batches_tracked = layer.num_batches_tracked();
    out.push_back(std::move(o));
  }
  return out;
}

std::string where(const Case& c, std::size_t step) {
  return c.name + ", step " + std::to_string(step) + " (" + (c.steps[step].training ? "train" : "eval") + ")";
}

// The size of the terms dx is computed from: max_ik |gamma_k invstd_k dy_ik|.
// With batch 2, dx_ik = gamma_k invstd_k (dy_ik - mean dy - xhat_ik mean(dy xhat))
// cancels to O(eps / var) of those terms, so float32 rounding is measured
// against them, not against |dx|.
double dx_term_scale(const Case& c, std::size_t k) {
  const Step& s = c.steps[k];
  const int n = c.features, m = s.batch;
  double scale = 0;
  for (int f = 0; f < n; ++f) {
    double var;
    if (s.training) {
      double mean = 0, sq = 0;
      for (int i = 0; i < m; ++i) mean += s.x[i * n + f];
      mean /= m;
      for (int i = 0; i < m; ++i) sq += (s.x[i * n + f] - mean) * (s.x[i * n + f] - mean);
      var = sq / m;
    } else if (k > 0) {
      var = c.steps[k - 1].torch.running_var[f];
    } else {
      auto it = c.init.find("running_var");
      var = it == c.init.end() ? 1.0 : it->second[f];
    }
    auto g = c.init.find("gamma");
    const double gamma = c.affine && g != c.init.end() ? g->second[f] : 1.0;
    for (int i = 0; i < m; ++i)
      scale = std::max(scale, std::abs(gamma * s.dy[i * n + f]) / std::sqrt(var + c.eps));
  }
  return scale;
}

}  // namespace

TEST_CASE("golden: the data file holds the cases the issue asks for") {
  const auto& all = cases();
  REQUIRE(all.size() >= 10);
  bool large_offset = false, affine_false = false, momentum_null = false, batch2 = false,
       one_feature = false, eval_after_train = false;
  for (const Case& c : all) {
    large_offset |= c.large_offset;
    affine_false |= !c.affine;
    momentum_null |= !c.momentum.has_value();
    one_feature |= c.features == 1;
    bool trained = false;
    for (const Step& s : c.steps) {
      batch2 |= s.batch == 2;
      eval_after_train |= trained && !s.training;
      trained |= s.training;
      REQUIRE(s.x.size() == static_cast<std::size_t>(s.batch) * c.features);
      REQUIRE(s.dy.size() == s.x.size());
      REQUIRE(s.truth.y.size() == s.x.size());
      // The stored torch error is the one the arrays give.
      CHECK(normwise(s.torch.y, s.truth.y) == Approx(s.torch_y_normwise).epsilon(1e-9));
      CHECK(normwise(s.torch.dx, s.truth.dx) == Approx(s.torch_dx_normwise).epsilon(1e-9));
    }
  }
  CHECK(large_offset);
  CHECK(affine_false);
  CHECK(momentum_null);
  CHECK(batch2);
  CHECK(one_feature);
  CHECK(eval_after_train);
}

TEST_CASE("golden: BatchNorm1d matches torch float32 and the float64 truth on every step") {
  for (const Case& c : cases()) {
    const std::vector<Ours> ours = replay(c, true);
    for (std::size_t k = 0; k < c.steps.size(); ++k) {
      const Step& s = c.steps[k];
      const Ours& o = ours[k];
      INFO(where(c, k));
      check_array("y", o.y, s.torch.y, s.truth.y, 1e-6, golden::max_abs(s.truth.y));
      check_array("dx", o.dx, s.torch.dx, s.truth.dx, 2e-6,
                  std::max(golden::max_abs(s.truth.dx), dx_term_scale(c, k)));
      if (c.affine) {
        check_array("dgamma", o.dgamma, s.torch.dgamma, s.truth.dgamma, 1e-6,
                    golden::max_abs(s.truth.dgamma));
        check_array("dbeta", o.dbeta, s.torch.dbeta, s.truth.dbeta, 1e-6,
                    golden::max_abs(s.truth.dbeta));
      }
      // State after the step: the counter exactly, the running estimates
      // within float32 rounding of the truth (once rounded, 2^-24 relative).
      CHECK(o.num_batches_tracked == s.torch.num_batches_tracked);
      CHECK(o.num_batches_tracked == s.truth.num_batches_tracked);
      check_array("running_mean", o.running_mean, s.torch.running_mean, s.truth.running_mean,
                  2e-7, golden::max_abs(s.truth.running_mean));
      check_array("running_var", o.running_var, s.torch.running_var, s.truth.running_var,
                  2e-7, golden::max_abs(s.truth.running_var));
    }
  }
}

TEST_CASE("golden: bn::ref (float64) reproduces the torch float64 truth") {
  for (const Case& c : cases()) {
    const int n = c.features;
    auto vec = [&](const std::vector<double>& v) {
      bn::ref::Vector out = xt::zeros<double>({static_cast<std::size_t>(n)});
      for (int f = 0; f < n; ++f) out(f) = v[f];
      return out;
    };
    auto initial = [&](const char* name, double fill) {
      bn::ref::Vector out = xt::zeros<double>({static_cast<std::size_t>(n)});
      auto it = c.init.find(name);
      for (int f = 0; f < n; ++f) out(f) = it == c.init.end() ? fill : it->second[f];
      return out;
    };
    const bn::ref::Vector gamma = initial("gamma", 1.0), beta = initial("beta", 0.0);
    // Each truth step starts from torch's float32 state after the step before.
    bn::ref::Vector running_mean = initial("running_mean", 0.0);
    bn::ref::Vector running_var = initial("running_var", 1.0);
    long tracked = 0;
    for (std::size_t k = 0; k < c.steps.size(); ++k) {
      const Step& s = c.steps[k];
      INFO(where(c, k));
      const std::size_t m = static_cast<std::size_t>(s.batch);
      bn::ref::Matrix x = xt::zeros<double>({m, static_cast<std::size_t>(n)}), dy = x;
      for (std::size_t j = 0; j < s.x.size(); ++j) {
        x.data()[j] = s.x[j];
        dy.data()[j] = s.dy[j];
      }
      const bn::ref::Forward f =
          s.training ? bn::ref::forward_train(x, gamma, beta, c.eps)
                     : bn::ref::forward_eval(x, gamma, beta, running_mean, running_var, c.eps);
      const bn::ref::Backward b = bn::ref::backward(dy, f, gamma);
      // Both in float64, summing in other orders: x - mean near 1000 and
      // the batch-2 cancellation in dx cost a few digits, far below float32.
      CHECK(normwise(f.y.data(), s.truth.y) <= 1e-9);
      CHECK(normwise(b.dx.data(), s.truth.dx) <= 1e-9);
      if (c.affine) {
        CHECK(normwise(b.dgamma.data(), s.truth.dgamma) <= 1e-9);
        CHECK(normwise(b.dbeta.data(), s.truth.dbeta) <= 1e-9);
      }
      if (s.training) {
        bn::ref::update_running(running_mean, running_var, f, s.batch, c.momentum, tracked + 1);
        CHECK(normwise(running_mean.data(), s.truth.running_mean) <= 1e-9);
        CHECK(normwise(running_var.data(), s.truth.running_var) <= 1e-9);
      }
      running_mean = vec(s.torch.running_mean);
      running_var = vec(s.torch.running_var);
      tracked = static_cast<long>(s.torch.num_batches_tracked);
    }
  }
}

// Not a check of its own, so hidden (runs only when named): prints the
// measured errors for tests/reference/accuracy.mjs.
TEST_CASE("golden: accuracy report", "[.report]") {
  std::string json = "{\"build\":\"native\",\"steps\":[";
  bool first = true;
  for (const Case& c : cases()) {
    const std::vector<Ours> ours = replay(c, true);
    for (std::size_t k = 0; k < c.steps.size(); ++k) {
      const Step& s = c.steps[k];
      char line[512];
      std::snprintf(line, sizeof line,
                    "%s{\"case\":%d,\"step\":%d,\"y\":%.17g,\"dx\":%.17g,\"y_elem\":%.17g,\"dx_elem\":%.17g}",
                    first ? "" : ",", static_cast<int>(&c - cases().data()), static_cast<int>(k),
                    normwise(ours[k].y, s.truth.y), normwise(ours[k].dx, s.truth.dx),
                    golden::elementwise(ours[k].y, s.truth.y),
                    golden::elementwise(ours[k].dx, s.truth.dx));
      json += line;
      first = false;
    }
  }
  json += "]}";
  std::printf("BN_ACCURACY %s\n", json.c_str());
  SUCCEED("accuracy report printed");
}
