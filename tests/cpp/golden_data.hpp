// The golden cases of tests/data/golden.json (written by
// tests/reference/make_golden.py from torch.nn.BatchNorm1d), read into plain
// structs, and the error measures the tests and the accuracy report share.
// The other layers' files: golden_layers.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace golden {

// One array set: torch float32 outputs or the float64 truth of one step.
struct Outputs {
  std::vector<double> y, dx, dgamma, dbeta, running_mean, running_var;
  std::int64_t num_batches_tracked = 0;
};

// What every golden step holds, whatever the layer.
struct StepData {
  bool training = true;
  std::vector<float> x, dy;
  Outputs torch, truth;
  double torch_y_normwise = 0, torch_dx_normwise = 0;   // as make_golden.py stored them
};

struct Step : StepData {
  int batch = 0;
};

struct Case {
  std::string name;
  int features = 0;
  double eps = 1e-5;
  std::optional<double> momentum;
  bool affine = true;
  bool large_offset = false;
  std::map<std::string, std::vector<float>> init;   // gamma, beta, running_mean, running_var
  std::vector<Step> steps;
};

// float32 arrays are stored as the shortest decimals that read back to the
// float32 value through a double: round them to float after reading.
inline std::vector<double> doubles(const nlohmann::json& j, bool float32) {
  std::vector<double> out = j.get<std::vector<double>>();
  if (float32)
    for (double& v : out) v = static_cast<float>(v);
  return out;
}

inline std::vector<float> floats(const nlohmann::json& j) {
  std::vector<float> out;
  out.reserve(j.size());
  for (const auto& v : j) out.push_back(static_cast<float>(v.get<double>()));
  return out;
}

// float32: torch's float32 outputs (rounded to float), else the float64 truth.
inline Outputs read_outputs(const nlohmann::json& j, bool float32) {
  Outputs o;
  o.y = doubles(j.at("y"), float32);
  o.dx = doubles(j.at("dx"), float32);
  if (j.contains("dgamma")) o.dgamma = doubles(j.at("dgamma"), float32);
  if (j.contains("dbeta")) o.dbeta = doubles(j.at("dbeta"), float32);
  if (j.contains("running_mean")) {   // layers that track running statistics
    o.running_mean = doubles(j.at("running_mean"), float32);
    o.running_var = doubles(j.at("running_var"), float32);
    o.num_batches_tracked = j.at("num_batches_tracked").get<std::int64_t>();
  }
  return o;
}

// A file of tests/data, parsed.
inline nlohmann::json load_json(const std::string& name) {
  const std::string path = BN_SOURCE_DIR "/tests/data/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path + " (run tests/reference/make_golden.py)");
  return nlohmann::json::parse(in);
}

inline void read_step(const nlohmann::json& s, StepData& st) {
  st.training = s.at("mode").get<std::string>() == "train";
  st.x = floats(s.at("x"));
  st.dy = floats(s.at("dy"));
  st.torch = read_outputs(s.at("torch"), true);
  st.truth = read_outputs(s.at("truth"), false);
  st.torch_y_normwise = s.at("torch_error").at("y").at("normwise").get<double>();
  st.torch_dx_normwise = s.at("torch_error").at("dx").at("normwise").get<double>();
}

inline std::vector<Case> load_cases() {
  const nlohmann::json doc = load_json("golden.json");
  std::vector<Case> cases;
  for (const auto& c : doc.at("cases")) {
    Case k;
    k.name = c.at("name").get<std::string>();
    k.features = c.at("features").get<int>();
    k.eps = c.at("eps").get<double>();
    if (!c.at("momentum").is_null()) k.momentum = c.at("momentum").get<double>();
    k.affine = c.at("affine").get<bool>();
    k.large_offset = c.at("large_offset").get<bool>();
    for (const auto& [name, values] : c.at("init").items()) k.init[name] = floats(values);
    for (const auto& s : c.at("steps")) {
      Step st;
      read_step(s, st);
      st.batch = s.at("batch").get<int>();
      k.steps.push_back(std::move(st));
    }
    cases.push_back(std::move(k));
  }
  return cases;
}

inline double max_abs(const std::vector<double>& t) {
  double s = 0;
  for (double v : t) s = std::max(s, std::abs(v));
  return s;
}

// Normwise relative error: max_i |a_i - t_i| / max_i |t_i| (absolute when t = 0).
template <class A>
double normwise(const A& a, const std::vector<double>& t) {
  double diff = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    diff = std::max(diff, std::abs(static_cast<double>(a[i]) - t[i]));
  const double scale = max_abs(t);
  return scale > 0 ? diff / scale : diff;
}

// Elementwise relative error with a floor:
// max_i |a_i - t_i| / max(|t_i|, floor * max_j |t_j|), floor = 1e-3.
template <class A>
double elementwise(const A& a, const std::vector<double>& t, double floor = 1e-3) {
  const double low = floor * max_abs(t);
  double worst = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    double denom = std::max(std::abs(t[i]), low);
    if (denom == 0) denom = 1;
    worst = std::max(worst, std::abs(static_cast<double>(a[i]) - t[i]) / denom);
  }
  return worst;
}

}  // namespace golden
