// Our Trainer against the same runs in PyTorch (tests/data/trainer_torch.json,
// written by tests/reference/make_trainer_golden.py: the same points, initial
// weights and batches, torch.nn doing the arithmetic): losses step by step,
// evaluate() in eval and train mode, layer statistics, and recalibrate() as
// torch.optim.swa_utils.update_bn. Float32 rounding differs in the last bits
// (another order of operations) and training amplifies it (a deep sigmoid
// net with momentum: 1e-6 at step 5, 1e-4 at step 20, 1e-3 at step 28), so
// the first 10 losses must agree to 1e-4 relative, the figures 10 steps
// later to 2e-3 (gradient norms 1e-2), accuracies within 5 points in 400.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "bn/trainer.hpp"

namespace {

const std::string kPath = std::string(BN_SOURCE_DIR) + "/tests/data/trainer_torch.json";

bn::TrainerOptions options_from(const nlohmann::json& j) {
  bn::TrainerOptions o;
  if (j.contains("dataset")) o.dataset = j["dataset"];
  if (j.contains("samples")) o.samples = j["samples"];
  if (j.contains("hidden")) o.hidden = j["hidden"].get<std::vector<int>>();
  if (j.contains("activation")) o.activation = j["activation"];
  if (j.contains("batchNorm")) o.batch_norm = j["batchNorm"];
  if (j.contains("optimizer")) o.optimizer = j["optimizer"];
  if (j.contains("lr")) o.lr = j["lr"];
  if (j.contains("batchSize")) o.batch_size = j["batchSize"];
  if (j.contains("seed")) o.seed = j["seed"];
  if (j.contains("residual")) o.residual = j["residual"];
  if (j.contains("normPlacement")) o.norm_placement = j["normPlacement"];
  if (j.contains("momentum")) {
    if (j["momentum"].is_null()) o.momentum = std::nullopt;
    else o.momentum = j["momentum"].get<double>();
  }
  return o;
}

void check_figures(const bn::Figures& ours, const nlohmann::json& torch, const std::string& prefix) {
  auto key = [&](const char* k) {
    if (prefix.empty()) return std::string(k);
    std::string s = prefix + k;
    s[prefix.size()] = static_cast<char>(std::toupper(s[prefix.size()]));
    return s;
  };
  CHECK(ours.loss == Approx(torch[key("loss")].get<double>()).epsilon(2e-3));
  CHECK(ours.train_loss == Approx(torch[key("trainLoss")].get<double>()).epsilon(2e-3));
  CHECK(ours.test_loss == Approx(torch[key("testLoss")].get<double>()).epsilon(2e-3));
  CHECK(ours.accuracy == Approx(torch[key("accuracy")].get<double>()).margin(0.0126));
  CHECK(ours.test_accuracy == Approx(torch[key("testAccuracy")].get<double>()).margin(0.0376));
}

}  // namespace

TEST_CASE("the Trainer reproduces PyTorch on the same data, weights and batches") {
  std::ifstream in(kPath);
  REQUIRE(in.good());
  const nlohmann::json j = nlohmann::json::parse(in);
  REQUIRE(j["cases"].size() >= 5);
  for (const nlohmann::json& c : j["cases"]) {
    INFO(c["name"].get<std::string>());
    bn::Trainer t(options_from(c["options"]));
    for (const nlohmann::json& loss : c["losses"]) CHECK(t.step(1) == Approx(loss.get<double>()).epsilon(1e-4));
    t.step(10);
    const bn::Evaluation e = t.evaluate();
    CHECK_FALSE(e.diverged);
    check_figures(e, c["evaluation"], "");
    check_figures(e.train_mode, c["evaluation"], "trainMode");
    const std::vector<bn::LayerStats> stats = t.layer_stats();
    REQUIRE(stats.size() == c["layerStats"].size());
    for (std::size_t l = 0; l < stats.size(); ++l) {
      const nlohmann::json& s = c["layerStats"][l];
      CHECK(stats[l].pre_std == Approx(s["preStd"].get<double>()).epsilon(2e-3));
      CHECK(stats[l].out_std == Approx(s["outStd"].get<double>()).epsilon(2e-3));
      CHECK(stats[l].pre_mean == Approx(s["preMean"].get<double>()).margin(1e-3).epsilon(1e-2));
      CHECK(stats[l].saturation == Approx(s["saturation"].get<double>()).margin(0.01));
      CHECK(stats[l].grad_norm == Approx(s["gradNorm"].get<double>()).epsilon(1e-2));
    }
    t.recalibrate();
    check_figures(t.evaluate(), c["recalibrated"], "");
  }
}
