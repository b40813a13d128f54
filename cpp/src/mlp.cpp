// Mlp: construction, modes, parameters. The forward and backward passes are
// in mlp_pass.cpp.
#include "bn/mlp.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace bn {

Mlp::Mlp(const MlpConfig& config, Pcg32& init_rng) : config_(config) {
  if (config.inputs < 1 || config.classes < 2) throw std::invalid_argument("Mlp: inputs >= 1 and classes >= 2");
  if (config.hidden.empty()) throw std::invalid_argument("hidden must list at least one layer width");
  int fan_in = config.inputs;
  residual_.assign(config.hidden.size(), 0);
  for (std::size_t l = 0; l < config.hidden.size(); ++l) {
    const int width = config.hidden[l];
    if (width < 1) throw std::invalid_argument("hidden layer widths must be >= 1");
    linears_.emplace_back(fan_in, width, config.init, init_rng);
    norms_.push_back(make_hidden_norm(config.norm, width, config.groups, config.momentum));
    residual_[l] = config.residual && fan_in == width;
    fan_in = width;
  }
  linears_.emplace_back(fan_in, config.classes, config.init, init_rng);
}

void Mlp::copy_parameters_from(const Mlp& other) {
  // other.parameters() only to read: its values are not written.
  std::vector<ParamRef> to = parameters(), from = const_cast<Mlp&>(other).parameters();
  bool same = to.size() == from.size();
  for (std::size_t q = 0; same && q < to.size(); ++q) same = to[q].size == from[q].size;
  if (!same) throw std::invalid_argument("copy_parameters_from: the networks differ");
  for (std::size_t q = 0; q < to.size(); ++q) std::copy(from[q].value, from[q].value + from[q].size, to[q].value);
}

MlpWorkspace Mlp::make_workspace(int capacity) const {
  MlpWorkspace ws;
  ws.capacity = capacity;
  const std::size_t rows = static_cast<std::size_t>(capacity);
  int widest = config_.inputs;
  for (int l = 0; l < hidden_layers(); ++l) {
    MlpWorkspace::Layer w;
    const std::size_t n = rows * width(l);
    w.z.resize(n);
    w.h.resize(n);
    if (norms_[l]) w.y.resize(n);
    if (residual_[l]) w.out.resize(n);
    ws.layers.push_back(std::move(w));
    widest = std::max(widest, width(l));
  }
  ws.logits.resize(rows * config_.classes);
  ws.dlogits.resize(rows * config_.classes);
  for (std::vector<float>* g : {&ws.d_out, &ws.d_in, &ws.d_mid, &ws.dz}) g->resize(rows * widest);
  return ws;
}

void Mlp::train() {
  training_ = true;
  for (auto& n : norms_)
    if (n) n->set_training(true);
}

void Mlp::eval() {
  training_ = false;
  for (auto& n : norms_)
    if (n) n->set_training(false);
}

void Mlp::reset_running_stats() {
  for (int l = 0; l < hidden_layers(); ++l)
    if (BatchNorm1d* b = norm(l)) b->reset_running_stats();
}

void Mlp::copy_running_stats_from(const Mlp& other) {
  if (other.config_.hidden != config_.hidden || other.config_.norm != config_.norm)
    throw std::invalid_argument("copy_running_stats_from: the networks differ");
  for (int l = 0; l < hidden_layers(); ++l)
    if (BatchNorm1d* b = norm(l)) b->copy_running_stats_from(*other.norm(l));
}

const float* Mlp::activation_input(int layer, const MlpWorkspace& ws) const {
  const MlpWorkspace::Layer& w = ws.layers[layer];
  return norms_[layer] && config_.placement == NormPlacement::before ? w.y.data() : w.z.data();
}

const float* Mlp::block_output(int layer, const MlpWorkspace& ws) const {
  const MlpWorkspace::Layer& w = ws.layers[layer];
  if (residual_[layer]) return w.out.data();
  return norms_[layer] && config_.placement == NormPlacement::after ? w.y.data() : w.h.data();
}

std::vector<ParamRef> Mlp::block_parameters(int block) {
  if (block < 0 || block > hidden_layers()) throw std::out_of_range("Mlp::block_parameters: no such block");
  Linear& lin = linears_[block];
  std::vector<ParamRef> p = {{lin.weight(), lin.dweight(), lin.in() * lin.out()},
                             {lin.bias(), lin.dbias(), lin.out()}};
  if (block < hidden_layers() && norms_[block])
    for (const ParamRef& q : norms_[block]->parameters()) p.push_back(q);
  return p;
}

std::vector<ParamRef> Mlp::parameters() {
  std::vector<ParamRef> p;
  for (int l = 0; l <= hidden_layers(); ++l)
    for (const ParamRef& q : block_parameters(l)) p.push_back(q);
  return p;
}

}  // namespace bn
