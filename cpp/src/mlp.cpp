#include "bn/mlp.hpp"

#include <stdexcept>

namespace bn {

Mlp::Mlp(const MlpConfig& config, Pcg32& init_rng) : config_(config) {
  if (config.inputs < 1 || config.classes < 2) throw std::invalid_argument("Mlp: inputs >= 1 and classes >= 2");
  if (config.hidden.empty()) throw std::invalid_argument("hidden must list at least one layer width");
  int fan_in = config.inputs;
  for (int width : config.hidden) {
    if (width < 1) throw std::invalid_argument("hidden layer widths must be >= 1");
    linears_.emplace_back(fan_in, width, config.init, init_rng);
    if (config.batch_norm) norms_.push_back(std::make_unique<BatchNorm1d>(width));
    fan_in = width;
  }
  linears_.emplace_back(fan_in, config.classes, config.init, init_rng);
}

MlpWorkspace Mlp::make_workspace(int capacity) const {
  MlpWorkspace ws;
  ws.capacity = capacity;
  const std::size_t rows = static_cast<std::size_t>(capacity);
  for (int width : config_.hidden) {
    MlpWorkspace::Layer l;
    const std::size_t n = rows * width;
    l.z.resize(n); l.h.resize(n); l.dh.resize(n); l.dy.resize(n);
    if (config_.batch_norm) { l.y.resize(n); l.dz.resize(n); }
    ws.layers.push_back(std::move(l));
  }
  ws.logits.resize(rows * config_.classes);
  ws.dlogits.resize(rows * config_.classes);
  return ws;
}

void Mlp::train() {
  training_ = true;
  for (auto& n : norms_) n->train();
}

void Mlp::eval() {
  training_ = false;
  for (auto& n : norms_) n->eval();
}

const float* Mlp::forward(const float* x, int m, MlpWorkspace& ws) {
  if (m < 1 || m > ws.capacity) throw std::invalid_argument("Mlp::forward: rows must be in [1, workspace capacity]");
  const float* a = x;
  for (int l = 0; l < hidden_layers(); ++l) {
    MlpWorkspace::Layer& w = ws.layers[l];
    linears_[l].forward(a, m, w.z.data());
    const float* y = w.z.data();
    if (config_.batch_norm) {
      norms_[l]->forward(w.z.data(), m, w.y.data());
      y = w.y.data();
    }
    activation_forward(config_.activation, y, m * width(l), w.h.data());
    a = w.h.data();
  }
  linears_.back().forward(a, m, ws.logits.data());
  ws.batch = m;
  return ws.logits.data();
}

void Mlp::backward(const float* x, MlpWorkspace& ws) {
  const int m = ws.batch, last = hidden_layers();
  linears_[last].backward(ws.layers[last - 1].h.data(), ws.dlogits.data(), m,
                          ws.layers[last - 1].dh.data());
  for (int l = last - 1; l >= 0; --l) {
    MlpWorkspace::Layer& w = ws.layers[l];
    activation_backward(config_.activation, w.h.data(), w.dh.data(), m * width(l), w.dy.data());
    const float* dz = w.dy.data();
    if (config_.batch_norm) {
      norms_[l]->backward(w.dy.data(), w.dz.data(), nullptr, nullptr);
      dz = w.dz.data();
    }
    const float* input = l > 0 ? ws.layers[l - 1].h.data() : x;
    linears_[l].backward(input, dz, m, l > 0 ? ws.layers[l - 1].dh.data() : nullptr);
  }
}

std::vector<ParamRef> Mlp::parameters() {
  std::vector<ParamRef> p;
  for (int l = 0; l <= hidden_layers(); ++l) {
    Linear& lin = linears_[l];
    p.push_back({lin.weight(), lin.dweight(), lin.in() * lin.out()});
    p.push_back({lin.bias(), lin.dbias(), lin.out()});
    if (config_.batch_norm && l < hidden_layers()) {
      BatchNorm1d& n = *norms_[l];
      p.push_back({n.gamma_data(), n.dgamma(), n.features()});
      p.push_back({n.beta_data(), n.dbeta(), n.features()});
    }
  }
  return p;
}

}  // namespace bn
