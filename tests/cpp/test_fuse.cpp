// Batch norm folded into the Linear / Conv2d layer before it (bn/fuse.hpp):
//   - the golden cases of tests/data/golden_fuse.json (torch.nn.utils.fusion,
//     tests/reference/make_golden_fuse.py): within 0.5 float32 ulp of the
//     float64 truth (one rounding), and within a few ulps of torch float32;
//   - fused = unfused in eval (Linear -> BatchNorm1d and Conv2d -> batch norm
//     per channel) to float32 rounding, and != in train mode;
//   - every bad input is an std::invalid_argument naming the parameter.
// The hidden test "fuse: accuracy report" prints one line BN_FUSE_ACCURACY {...}.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bn/batchnorm.hpp"
#include "bn/fuse.hpp"
#include "bn/rng.hpp"
#include "fuse_testing.hpp"

using Catch::Matchers::Contains;
using fuse_testing::ulp32;

namespace {

struct GoldenFuse {
  std::string name, kind;
  long out = 0, in = 0, kh = 1, kw = 1;
  double eps = 1e-5;
  bool affine = true, has_bias = false;
  std::vector<float> weight, bias, running_mean, running_var, gamma, beta;
  std::vector<double> torch_weight, torch_bias, truth_weight, truth_bias;
};

std::vector<float> floats(const nlohmann::json& j) {
  std::vector<float> out;
  for (const auto& v : j) out.push_back(static_cast<float>(v.get<double>()));
  return out;
}
std::vector<double> doubles(const nlohmann::json& j) { return j.get<std::vector<double>>(); }

const std::vector<GoldenFuse>& golden_cases() {
  static const std::vector<GoldenFuse> all = [] {
    const std::string path = BN_SOURCE_DIR "/tests/data/golden_fuse.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path + " (run tests/reference/make_golden_fuse.py)");
    const nlohmann::json doc = nlohmann::json::parse(in);
    std::vector<GoldenFuse> cases;
    for (const auto& c : doc.at("cases")) {
      GoldenFuse g;
      g.name = c.at("name").get<std::string>();
      g.kind = c.at("kind").get<std::string>();
      g.out = c.at("outFeatures").get<long>();
      g.in = c.at("inFeatures").get<long>();
      if (g.kind == "conv") g.kh = c.at("kernelSize")[0].get<long>(), g.kw = c.at("kernelSize")[1].get<long>();
      g.eps = c.at("eps").get<double>();
      g.affine = c.at("affine").get<bool>();
      g.weight = floats(c.at("weight"));
      g.has_bias = !c.at("bias").is_null();
      if (g.has_bias) g.bias = floats(c.at("bias"));
      g.running_mean = floats(c.at("runningMean"));
      g.running_var = floats(c.at("runningVar"));
      if (g.affine) g.gamma = floats(c.at("gamma")), g.beta = floats(c.at("beta"));
      g.torch_weight = doubles(c.at("torch").at("weight"));
      g.torch_bias = doubles(c.at("torch").at("bias"));
      g.truth_weight = doubles(c.at("truth").at("weight"));
      g.truth_bias = doubles(c.at("truth").at("bias"));
      cases.push_back(std::move(g));
    }
    return cases;
  }();
  return all;
}

bn::FusedLinear fuse(const GoldenFuse& g) {
  const bn::EvalNormParams stats{g.running_mean.data(), g.running_var.data(), g.affine ? g.gamma.data() : nullptr,
                                 g.affine ? g.beta.data() : nullptr, g.out, g.eps};
  const float* bias = g.has_bias ? g.bias.data() : nullptr;
  if (g.kind == "conv")
    return bn::fuse_conv_bn_eval(g.weight.data(), g.weight.size(), bias, g.bias.size(), g.out, g.in, g.kh, g.kw, stats);
  return bn::fuse_linear_bn_eval(g.weight.data(), g.weight.size(), bias, g.bias.size(), g.out, g.in, stats);
}

// Size of the terms summed into b'_k = a_k (b_k - mu_k) + beta_k: the float32
// spacing there is the rounding a float32 computation cannot avoid.
double bias_terms(const GoldenFuse& g, long k) {
  const double gamma = g.affine ? g.gamma[k] : 1.0, beta = g.affine ? g.beta[k] : 0.0;
  const double a = gamma / std::sqrt(static_cast<double>(g.running_var[k]) + g.eps);
  return std::abs(a) * (std::abs(g.has_bias ? g.bias[k] : 0.0) + std::abs(g.running_mean[k])) + std::abs(beta);
}

struct Errors { double ours = 0, torch = 0, ours_vs_torch = 0; };   // in float32 ulps

// Worst errors of one case: weight in ulps of the true value, bias in ulps
// of its terms' size.
Errors errors_of(const GoldenFuse& g, const bn::FusedLinear& f) {
  Errors e;
  auto take = [&](double ours, double torch, double truth, double scale) {
    const double u = ulp32(scale);
    e.ours = std::max(e.ours, std::abs(ours - truth) / ulp32(truth));
    e.torch = std::max(e.torch, std::abs(torch - truth) / u);
    e.ours_vs_torch = std::max(e.ours_vs_torch, std::abs(ours - torch) / u);
  };
  for (std::size_t i = 0; i < f.weight.size(); ++i) take(f.weight[i], g.torch_weight[i], g.truth_weight[i], g.truth_weight[i]);
  for (long k = 0; k < g.out; ++k) take(f.bias[k], g.torch_bias[k], g.truth_bias[k], std::max(std::abs(g.truth_bias[k]), bias_terms(g, k)));
  return e;
}

}  // namespace

TEST_CASE("fuse: the golden cases are within 0.5 ulp of the float64 truth and a few ulps of torch", "[fuse]") {
  REQUIRE(golden_cases().size() >= 12);
  for (const GoldenFuse& g : golden_cases()) {
    INFO(g.name);
    const bn::FusedLinear f = fuse(g);
    REQUIRE(f.weight.size() == g.truth_weight.size());
    REQUIRE(f.bias.size() == g.truth_bias.size());
    const Errors e = errors_of(g, f);
    CHECK(e.ours <= 0.5 * (1 + 1e-9));   // one rounding of the exact value
    CHECK(e.ours_vs_torch <= 8);          // torch rounds after every operation
  }
}

TEST_CASE("fuse: accuracy report", "[.fuse-report]") {
  Errors worst;
  for (const GoldenFuse& g : golden_cases()) {
    const Errors e = errors_of(g, fuse(g));
    worst = {std::max(worst.ours, e.ours), std::max(worst.torch, e.torch), std::max(worst.ours_vs_torch, e.ours_vs_torch)};
  }
  // Over 20 seeds: the worst eval gap, and the smallest and largest worst train-mode gap.
  double linear_eval = 0, conv_eval = 0, train_min = 1e300, train_max = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const fuse_testing::PathGap linear = fuse_testing::linear_paths(seed), conv = fuse_testing::conv_paths(seed);
    linear_eval = std::max(linear_eval, linear.eval_ulps);
    conv_eval = std::max(conv_eval, conv.eval_ulps);
    train_min = std::min({train_min, linear.train_gap, conv.train_gap});
    train_max = std::max({train_max, linear.train_gap, conv.train_gap});
  }
  std::printf("BN_FUSE_ACCURACY {\"cases\":%zu,\"oursVsTruthUlps\":%.4g,\"torchVsTruthUlps\":%.4g,\"oursVsTorchUlps\":%.4g,"
              "\"linearEvalUlps\":%.4g,\"convEvalUlps\":%.4g,\"trainGapMin\":%.4g,\"trainGapMax\":%.4g}\n",
              golden_cases().size(), worst.ours, worst.torch, worst.ours_vs_torch, linear_eval, conv_eval, train_min, train_max);
}

TEST_CASE("fuse: fused = unfused in eval to float32 rounding, and not in train mode", "[fuse]") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    INFO("seed " << seed);
    const fuse_testing::PathGap linear = fuse_testing::linear_paths(seed);
    CHECK(linear.eval_ulps <= 4);
    CHECK(linear.train_gap > 0.05);   // batch statistics are not the running ones
    const fuse_testing::PathGap conv = fuse_testing::conv_paths(seed);
    CHECK(conv.eval_ulps <= 4);
    CHECK(conv.train_gap > 0.05);
  }
}

TEST_CASE("fuse: every bad input names its parameter", "[fuse]") {
  const std::vector<float> w(6, 1.0f), b(2, 0.0f), mean(2, 0.0f), var(2, 1.0f), gamma(2, 1.0f), beta(2, 0.0f);
  const bn::EvalNormParams stats{mean.data(), var.data(), gamma.data(), beta.data(), 2, 1e-5};
  auto linear = [&](const std::vector<float>& weight, long out, long in, const bn::EvalNormParams& s, const float* bias = nullptr,
                    std::size_t bias_size = 0) {
    return bn::fuse_linear_bn_eval(weight.data(), weight.size(), bias, bias_size, out, in, s);
  };
  CHECK(linear(w, 2, 3, stats).weight.size() == 6);
  CHECK_THROWS_WITH(linear(w, 2, 0, stats), Contains("inFeatures must be an integer >= 1"));
  CHECK_THROWS_WITH(linear(w, 0, 3, stats), Contains("outFeatures must be an integer >= 1"));
  CHECK_THROWS_WITH(linear(w, 3, 2, stats), Contains("outFeatures is 3 but the layer normalizes 2 channels"));
  CHECK_THROWS_WITH(linear(std::vector<float>(5, 1.0f), 2, 3, stats),
                    Contains("weight must have outFeatures·inFeatures = 6 entries ([outFeatures, inFeatures], row-major), got 5"));
  CHECK_THROWS_WITH(linear(w, 2, 3, stats, b.data(), 1), Contains("bias must have outFeatures = 2 entries"));
  std::vector<float> bad = w;
  bad[4] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH(linear(bad, 2, 3, stats), Contains("weight must hold finite float32 numbers; entry 4 is NaN"));
  bad[4] = std::numeric_limits<float>::infinity();
  CHECK_THROWS_WITH(linear(bad, 2, 3, stats), Contains("entry 4 is Infinity in float32"));
  const std::vector<float> nan_bias = {0.0f, std::numeric_limits<float>::quiet_NaN()};
  CHECK_THROWS_WITH(linear(w, 2, 3, stats, nan_bias.data(), 2), Contains("bias must hold finite float32 numbers; entry 1"));
  const std::vector<float> negative = {1.0f, -1.0f};
  bn::EvalNormParams s = stats;
  s.running_var = negative.data();
  CHECK_THROWS_WITH(linear(w, 2, 3, s), Contains("layer runningVar must be >= 0; entry 1 is -1"));
  s = stats;
  s.eps = 0;
  CHECK_THROWS_WITH(linear(w, 2, 3, s), Contains("layer eps must be a finite number > 0, got 0"));
  s = stats;
  s.running_mean = nullptr;
  CHECK_THROWS_WITH(linear(w, 2, 3, s), Contains("layer has no running statistics"));
  const std::vector<float> huge = {1e30f, 1.0f}, zero_var = {0.0f, 1.0f};
  s = stats;
  s.gamma = huge.data();
  s.running_var = zero_var.data();
  s.eps = 1e-30;
  CHECK_THROWS_WITH(linear(std::vector<float>(6, 1e10f), 2, 3, s), Contains("the fused weight of output channel 0") &&
                    Contains("beyond float32"));

  auto conv = [&](std::size_t size, long out, long in, long kh, long kw) {
    const std::vector<float> weight(size, 1.0f);
    return bn::fuse_conv_bn_eval(weight.data(), weight.size(), nullptr, 0, out, in, kh, kw, stats);
  };
  CHECK(conv(2 * 3 * 2 * 2, 2, 3, 2, 2).weight.size() == 24);
  CHECK_THROWS_WITH(conv(24, 2, 3, 0, 2), Contains("kernelSize[0] must be an integer >= 1"));
  CHECK_THROWS_WITH(conv(24, 2, 3, 2, 0), Contains("kernelSize[1] must be an integer >= 1"));
  CHECK_THROWS_WITH(conv(24, 2, 0, 2, 2), Contains("inChannels must be an integer >= 1"));
  CHECK_THROWS_WITH(conv(24, 3, 3, 2, 2), Contains("outChannels is 3 but the layer normalizes 2 channels"));
  CHECK_THROWS_WITH(conv(23, 2, 3, 2, 2), Contains("weight must have outChannels·inChannels·kh·kw = 24 entries"));
}
