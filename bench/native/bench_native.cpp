// Native (g++) benchmark of the C++ core, printed as one JSON line:
//   build/native/bn_bench_native [--quick]            BatchNorm1d
//   build/native/bn_bench_native --trainer [--quick]  Trainer steps/s
// Per shape of bench/data.mjs: training forward + backward (dx, dgamma, dbeta)
// through the pointer API (copies in and out, as the JS API does) and the
// eval-mode forward; plus a sample of the outputs on the check shape.
// Trainer: the default options (2-16-16-2, BatchNorm1d, SGD lr 0.1, batch
// 32), stepped kStepsPerCall steps per call as the JS benchmark does; and
// the deep networks of bench/deep-networks.mjs (written out below), stepped
// kDeepStepsPerCall steps per call.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_data.hpp"
#include "bench_timing.hpp"
#include "bn/batchnorm.hpp"
#include "bn/trainer.hpp"

namespace {

using nlohmann::json;
using bn::bench::Timing;

constexpr int kShapes[][2] = {{32, 16}, {256, 256}, {1024, 1024}, {4096, 1024}};
constexpr double kEps = 1e-5;

json to_json(const Timing& t) {
  return {{"medianMs", t.median_ms}, {"minMs", t.min_ms}, {"maxMs", t.max_ms}, {"clock", "cpu"},
          {"wall", {{"medianMs", t.wall.median_ms}, {"minMs", t.wall.min_ms}, {"maxMs", t.wall.max_ms}}},
          {"samples", t.samples}, {"callsPerSample", t.calls_per_sample}};
}

struct Case {
  int batch, features;
  bn::bench::CaseData d;
  bn::BatchNorm1d layer, eval_layer;
  std::vector<float> y, dx, dgamma, dbeta;

  Case(int m, int n)
      : batch(m), features(n), d(bn::bench::case_data(m, n)),
        layer(n, options()), eval_layer(n, options()),
        y(d.x.size()), dx(d.x.size()), dgamma(n), dbeta(n) {
    layer.set_params(d.gamma.data(), d.beta.data(), nullptr, nullptr);
    eval_layer.set_params(d.gamma.data(), d.beta.data(), d.gamma.data(), d.gamma.data());
    eval_layer.eval();
  }
  static bn::BatchNormOptions options() {
    bn::BatchNormOptions o;
    o.eps = kEps;
    return o;
  }
  void train_step() {
    layer.forward(d.x.data(), batch, y.data());
    layer.backward(d.dy.data(), dx.data(), dgamma.data(), dbeta.data());
  }
  void eval_forward() { eval_layer.forward(d.x.data(), batch, y.data()); }
};

constexpr int kStepsPerCall = 100;

json time_trainer(const bn::TrainerOptions& options, int steps_per_call, bool quick) {
  bn::Trainer trainer{options};
  const Timing t = bn::bench::measure([&] { trainer.step(steps_per_call); }, quick);
  return {{"stepsPerCall", steps_per_call}, {"stepMs", to_json(t)},
          {"stepsPerSecond", 1000.0 * steps_per_call / t.median_ms}};
}

json trainer_bench(bool quick) { return time_trainer(bn::TrainerOptions{}, kStepsPerCall, quick); }

// bench/deep-networks.mjs: width 32, batch 64, SGD lr 0.01; depth 20, 50, 100 residual.
constexpr int kDeepStepsPerCall = 10;
json deep_trainer_bench(bool quick) {
  struct Deep { const char* key; int depth; bool residual; };
  json out;
  for (const Deep& d : {Deep{"depth20", 20, false}, Deep{"depth50", 50, false}, Deep{"depth100res", 100, true}}) {
    bn::TrainerOptions o;
    o.hidden.assign(d.depth, 32);
    o.residual = d.residual;
    o.batch_size = 64;
    o.lr = 0.01;
    out[d.key] = time_trainer(o, kDeepStepsPerCall, quick);
  }
  return out;
}

json head(const std::vector<float>& v) {
  return json(std::vector<double>(v.begin(), v.begin() + 8));
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, trainer = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    else if (std::strcmp(argv[i], "--trainer") == 0) trainer = true;
  }
  if (trainer) {
    std::puts(json{{"engine", "ours-native"}, {"trainer", trainer_bench(quick)}, {"deep", deep_trainer_bench(quick)}}.dump().c_str());
    return 0;
  }
  json out = {{"engine", "ours-native"}};
#if defined(__VERSION__)
  out["info"] = {{"compiler", std::string("g++ ") + __VERSION__}};
#endif
  {
    Case c(32, 16);
    c.train_step();
    out["check"] = {{"y", head(c.y)}, {"dx", head(c.dx)}, {"dgamma", head(c.dgamma)}, {"dbeta", head(c.dbeta)}};
  }
  for (const auto& s : kShapes) {
    Case c(s[0], s[1]);
    const std::string key = std::to_string(s[0]) + "x" + std::to_string(s[1]);
    out["trainStep"][key] = to_json(bn::bench::measure([&] { c.train_step(); }, quick));
    out["evalForward"][key] = to_json(bn::bench::measure([&] { c.eval_forward(); }, quick));
  }
  std::puts(out.dump().c_str());
  return 0;
}
