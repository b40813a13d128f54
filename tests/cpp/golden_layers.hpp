// The golden cases of the layers other than BatchNorm1d on 2-D
// (tests/data/golden_{batchnorm,layernorm,groupnorm,instancenorm}.json,
// written by tests/reference/golden_layers.py), and how to build our layer
// and the float64 reference for a case.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bn/batchnorm.hpp"
#include "bn/any_norm_layer.hpp"
#include "bn/batchnorm2d.hpp"
#include "bn/groupnorm.hpp"
#include "bn/instancenorm.hpp"
#include "bn/layernorm.hpp"
#include "bn/norm_ref.hpp"
#include "golden_data.hpp"

namespace golden {

struct LayerStep : StepData {
  bn::Shape shape;
};

struct LayerCase {
  std::string file, name, layer;
  nlohmann::json args;
  bool large_offset = false;
  std::map<std::string, std::vector<float>> init;
  std::vector<LayerStep> steps;

  bool affine() const {
    if (layer == "LayerNorm") return args.value("elementwise_affine", true);
    return args.value("affine", layer != "InstanceNorm2d");
  }
  bool tracks_running() const {
    if (layer == "BatchNorm1d" || layer == "BatchNorm2d") return true;
    return layer == "InstanceNorm2d" && args.value("track_running_stats", false);
  }
  double eps() const { return args.value("eps", 1e-5); }
  std::optional<double> momentum() const {
    if (!args.contains("momentum")) return 0.1;
    if (args.at("momentum").is_null()) return std::nullopt;
    return args.at("momentum").get<double>();
  }
};

inline const char* const kLayerFiles[] = {"golden_batchnorm.json", "golden_layernorm.json",
                                         "golden_groupnorm.json", "golden_instancenorm.json"};

inline std::vector<LayerCase> load_layer_cases(const std::string& file) {
  const nlohmann::json doc = load_json(file);
  std::vector<LayerCase> cases;
  for (const auto& c : doc.at("cases")) {
    LayerCase k;
    k.file = file;
    k.name = c.at("name").get<std::string>();
    k.layer = c.at("layer").get<std::string>();
    k.args = c.at("args");
    k.large_offset = c.at("large_offset").get<bool>();
    for (const auto& [name, values] : c.at("init").items()) k.init[name] = floats(values);
    for (const auto& s : c.at("steps")) {
      LayerStep st;
      read_step(s, st);
      st.shape = s.at("shape").get<bn::Shape>();
      k.steps.push_back(std::move(st));
    }
    cases.push_back(std::move(k));
  }
  return cases;
}

// A case of golden.json (BatchNorm1d on [batch, features]) in this form.
inline LayerCase as_layer_case(const Case& c) {
  LayerCase k;
  k.file = "golden.json";
  k.name = c.name;
  k.layer = "BatchNorm1d";
  k.args = {{"num_features", c.features}, {"eps", c.eps}, {"affine", c.affine}};
  k.args["momentum"] = c.momentum ? nlohmann::json(*c.momentum) : nlohmann::json(nullptr);
  k.large_offset = c.large_offset;
  k.init = c.init;
  for (const Step& s : c.steps) {
    LayerStep st;
    static_cast<StepData&>(st) = s;
    st.shape = {s.batch, c.features};
    k.steps.push_back(std::move(st));
  }
  return k;
}

// Every layer case: golden.json's BatchNorm1d on 2-D (through the shape API)
// and the other layers' files.
inline const std::vector<LayerCase>& all_layer_cases() {
  static const std::vector<LayerCase> all = [] {
    std::vector<LayerCase> out;
    for (const Case& c : load_cases()) out.push_back(as_layer_case(c));
    for (const char* f : kLayerFiles)
      for (LayerCase& c : load_layer_cases(f)) out.push_back(std::move(c));
    return out;
  }();
  return all;
}

// Our layer for torch's constructor arguments (missing ones take torch's defaults).
inline std::unique_ptr<bn::AnyNormLayer> make_layer(const std::string& layer, const nlohmann::json& a) {
  const double eps = a.value("eps", 1e-5);
  if (layer == "BatchNorm1d" || layer == "BatchNorm2d") {
    bn::BatchNormOptions o;
    o.eps = eps;
    o.affine = a.value("affine", true);
    if (a.contains("momentum"))
      o.momentum = a.at("momentum").is_null() ? std::nullopt : std::optional<double>(a.at("momentum").get<double>());
    const int c = a.at("num_features").get<int>();
    if (layer == "BatchNorm1d") return bn::make_any<bn::BatchNorm1d>(c, o);
    return bn::make_any<bn::BatchNorm2d>(c, o);
  }
  if (layer == "LayerNorm")
    return bn::make_any<bn::LayerNorm>(a.at("normalized_shape").get<bn::Shape>(),
                                           bn::LayerNormOptions{eps, a.value("elementwise_affine", true)});
  if (layer == "GroupNorm")
    return bn::make_any<bn::GroupNorm>(a.at("num_groups").get<int>(), a.at("num_channels").get<int>(),
                                           bn::GroupNormOptions{eps, a.value("affine", true)});
  if (layer == "InstanceNorm2d")
    return bn::make_any<bn::InstanceNorm2d>(
        a.at("num_features").get<int>(),
        bn::InstanceNormOptions{eps, a.value("momentum", 0.1), a.value("affine", false),
                                a.value("track_running_stats", false)});
  throw std::runtime_error("unknown layer " + layer);
}

// The case's layer with its initial parameters and running statistics.
inline std::unique_ptr<bn::AnyNormLayer> make_layer(const LayerCase& c) {
  auto layer = make_layer(c.layer, c.args);
  auto given = [&](const char* name) -> const float* {
    auto it = c.init.find(name);
    return it == c.init.end() ? nullptr : it->second.data();
  };
  layer->set_params(given("gamma"), given("beta"), given("running_mean"), given("running_var"));
  return layer;
}

// The float64 reference's view of an input of this shape.
inline bn::ref::View ref_view(const LayerCase& c, const bn::Shape& shape) {
  if (c.layer == "LayerNorm") return bn::ref::layer_norm_view(shape, c.args.at("normalized_shape").size());
  if (c.layer == "GroupNorm") return bn::ref::group_norm_view(shape, c.args.at("num_groups").get<int>());
  if (c.layer == "InstanceNorm2d") return bn::ref::instance_norm_view(shape);
  return bn::ref::batch_norm_view(shape);
}

}  // namespace golden
