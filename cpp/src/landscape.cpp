#include "bn/landscape.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "bn/loss.hpp"
#include "bn/option_schema.hpp"

namespace bn {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// The probed network (in training mode: its running statistics move, which
// nothing here reads), its workspace and its parameters listed once.
struct Probe {
  Mlp& net;
  MlpWorkspace& ws;
  const std::vector<ParamRef>& params;
  std::size_t size() const {
    std::size_t n = 0;
    for (const ParamRef& p : params) n += static_cast<std::size_t>(p.size);
    return n;
  }

  // L and every parameter's gradient (flattened in parameters() order);
  // false when a value in the network is not finite.
  bool run(const float* x, const std::uint8_t* labels, int m, double& loss, std::vector<float>& grad) {
    try {
      const float* logits = net.forward(x, m, ws);
      loss = softmax_cross_entropy(logits, labels, m, net.config().classes, ws.dlogits.data()).loss;
      if (!std::isfinite(loss)) return false;
      net.backward(x, ws);
    } catch (const std::invalid_argument&) {
      return false;   // a normalization refused non-finite values
    }
    std::size_t at = 0;
    bool finite = true;
    for (const ParamRef& p : params)
      for (int k = 0; k < p.size; ++k, ++at) finite &= std::isfinite(grad[at] = p.grad[k]);
    return finite;
  }

  // parameters <- w - eta g, for the parameters [begin, end) of the flat list
  void set(const std::vector<float>& w, const std::vector<float>& g, double eta, std::size_t begin,
           std::size_t end) {
    std::size_t at = 0;
    for (const ParamRef& p : params)
      for (int k = 0; k < p.size; ++k, ++at)
        if (at >= begin && at < end) p.value[k] = static_cast<float>(w[at] - eta * g[at]);
  }
};

double distance(const std::vector<float>& a, const std::vector<float>& b, std::size_t begin, std::size_t end) {
  double s = 0.0;
  for (std::size_t j = begin; j < end; ++j) s += (static_cast<double>(a[j]) - b[j]) * (static_cast<double>(a[j]) - b[j]);
  return std::sqrt(s);
}

double dot(const std::vector<float>& a, const std::vector<float>& b, std::size_t begin, std::size_t end) {
  double s = 0.0;
  for (std::size_t j = begin; j < end; ++j) s += static_cast<double>(a[j]) * b[j];
  return s;
}

}  // namespace

Landscape measure_landscape(Mlp& net, MlpWorkspace& ws, const std::vector<ParamRef>& params, const float* x,
                            const std::uint8_t* labels, int m, double lr, const LandscapeOptions& o) {
  check_value(spec_named(landscape_arguments(), "steps"), OptionValue::of(static_cast<double>(o.steps)));
  check_value(spec_named(landscape_arguments(), "maxScale"), OptionValue::of(o.max_scale));
  net.train();
  Probe probe{net, ws, params};
  const std::size_t total = probe.size();
  std::vector<float> w(total), g(total), g_at(total);
  std::size_t at = 0;
  for (const ParamRef& p : probe.params)
    for (int k = 0; k < p.size; ++k) w[at++] = p.value[k];
  Landscape r;
  r.lr = lr;
  if (!probe.run(x, labels, m, r.loss, g))
    throw std::domain_error("the loss of the network is not finite: there is no landscape to measure");
  r.grad_norm = std::sqrt(dot(g, g, 0, total));
  r.eta.assign(o.steps, kNaN);
  r.loss_at.assign(o.steps, kNaN);
  r.grad_change.assign(o.steps, kNaN);
  r.loss_min = kInf;
  r.loss_max = r.grad_change_max = r.beta_smoothness = -kInf;
  bool all_finite = true;
  for (int k = 0; k < o.steps; ++k) {
    const double eta = r.eta[k] = lr * o.max_scale * (k + 1) / o.steps;
    probe.set(w, g, eta, 0, total);
    double loss = kNaN;
    if (!probe.run(x, labels, m, loss, g_at)) {
      all_finite = false;
      continue;
    }
    const double change = r.grad_change[k] = distance(g_at, g, 0, total);
    r.loss_at[k] = loss;
    r.loss_min = std::min(r.loss_min, loss);
    r.loss_max = std::max(r.loss_max, loss);
    r.grad_change_max = std::max(r.grad_change_max, change);
    r.beta_smoothness = std::max(r.beta_smoothness, r.grad_norm > 0 ? change / (eta * r.grad_norm) : 0.0);
  }
  if (!all_finite) r.loss_max = r.grad_change_max = r.beta_smoothness = kInf;
  if (r.loss_min == kInf) r.loss_min = kNaN;

  // Internal covariate shift: blocks 0..i-1 take their step, one more each
  // time; start[b] is the flat offset of block b's parameters.
  const int layers = probe.net.hidden_layers();
  std::vector<std::size_t> start(layers + 2, 0);
  for (int b = 0; b <= layers; ++b) {
    std::size_t n = 0;
    for (const ParamRef& p : probe.net.block_parameters(b)) n += static_cast<std::size_t>(p.size);
    start[b + 1] = start[b] + n;
  }
  probe.set(w, g, 0.0, 0, total);
  r.ics.assign(layers, kNaN);
  r.ics_cosine.assign(layers, kNaN);
  r.ics[0] = 0.0;
  r.ics_cosine[0] = 1.0;
  for (int i = 1; i < layers; ++i) {
    probe.set(w, g, lr, start[i - 1], start[i]);
    const std::size_t wb = start[i], we = wb + static_cast<std::size_t>(probe.net.linear(i).in()) * probe.net.linear(i).out();
    double loss = kNaN;
    if (!probe.run(x, labels, m, loss, g_at)) continue;
    r.ics[i] = distance(g, g_at, wb, we);
    const double norms = std::sqrt(dot(g, g, wb, we) * dot(g_at, g_at, wb, we));
    if (norms > 0) r.ics_cosine[i] = dot(g, g_at, wb, we) / norms;
  }
  return r;
}

}  // namespace bn
