// Determinism across builds: the loss sequences in tests/data/trainer_losses.json
// were written by the native build (g++, glibc) with
//   build/native/bn_tests "[.generate-trainer-losses]"
// and every build (native, WASM SIMD, WASM scalar under Node) must reproduce
// them bit for bit: the kernels keep one order of operations, tanh is our own,
// and only exp/log/sin/cos come from the C library, where glibc and
// Emscripten's musl agree on every value these runs reach. A C library that
// differs in a last bit fails this test on purpose: the page promises the same
// numbers in every browser and in Node.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bn/trainer.hpp"

namespace {

const std::string kPath = std::string(BN_SOURCE_DIR) + "/tests/data/trainer_losses.json";

struct Config {
  const char* name;
  bn::TrainerOptions options;
};

std::vector<Config> configs() {
  std::vector<Config> c;
  bn::TrainerOptions o;
  c.push_back({"defaults", o});
  o.dataset = "moons"; o.activation = "tanh"; o.optimizer = "momentum"; o.hidden = {8, 12, 5}; o.seed = 7;
  c.push_back({"moons tanh momentum", o});
  o = {};
  o.dataset = "circles"; o.activation = "sigmoid"; o.optimizer = "adam"; o.lr = 0.01; o.batch_norm = false; o.seed = 3;
  c.push_back({"circles sigmoid adam no-bn", o});
  o = {};
  o.dataset = "xor"; o.hidden = {32}; o.batch_size = 10; o.init = "xavier"; o.seed = 99;
  c.push_back({"xor xavier batch 10", o});
  o = {};
  o.dataset = "gaussians"; o.samples = 100; o.noise = 0.5; o.test_fraction = 0.0; o.batch_size = 100;
  c.push_back({"gaussians full batch", o});
  o = {};
  o.dataset = "moons"; o.hidden.assign(30, 16); o.residual = true; o.lr = 0.05; o.seed = 5;
  c.push_back({"moons 30 residual BN layers", o});
  o = {};
  o.dataset = "circles"; o.activation = "tanh"; o.hidden.assign(12, 8); o.norm_placement = "after";
  o.momentum = std::nullopt; o.optimizer = "momentum"; o.lr = 0.05; o.seed = 11;
  c.push_back({"circles tanh 12 layers BN after, cumulative statistics", o});
  return c;
}

// 20 calls of step(10), then the eval-mode loss and accuracy on all points.
std::vector<double> run(const bn::TrainerOptions& o) {
  bn::Trainer t(o);
  std::vector<double> out;
  for (int c = 0; c < 20; ++c) out.push_back(t.step(10));
  const bn::Evaluation e = t.evaluate();
  out.push_back(e.loss);
  out.push_back(e.accuracy);
  return out;
}

}  // namespace

TEST_CASE("writes tests/data/trainer_losses.json from this build", "[.generate-trainer-losses]") {
  nlohmann::json j;
  j["about"] = "Trainer loss sequences (20 x step(10), then evaluate().loss and accuracy) "
               "written by the native build; see tests/cpp/test_trainer_determinism.cpp";
  for (const Config& c : configs()) j["runs"][c.name] = run(c.options);
  std::ofstream(kPath) << j.dump(1) << "\n";
  SUCCEED("wrote " + kPath);
}

TEST_CASE("every build reproduces the native loss sequences of tests/data/trainer_losses.json") {
  std::ifstream in(kPath);
  REQUIRE(in.good());
  const nlohmann::json j = nlohmann::json::parse(in);
  for (const Config& c : configs()) {
    INFO(c.name);
    const std::vector<double> expected = j.at("runs").at(c.name).get<std::vector<double>>();
    const std::vector<double> got = run(c.options);
    REQUIRE(got.size() == expected.size());
    for (std::size_t k = 0; k < got.size(); ++k) {
      INFO("entry " << k << ": got " << got[k] << ", native wrote " << expected[k]);
      CHECK(std::memcmp(&got[k], &expected[k], sizeof(double)) == 0);   // bit for bit (NaN included)
    }
  }
}
