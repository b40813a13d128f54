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

// A copy of the network to probe, in training mode (its running statistics
// move, the network's do not), with its parameters listed once.
struct Probe {
  Mlp net;
  MlpWorkspace ws;
  std::vector<ParamRef> params;
  Probe(const Mlp& source, int m) : net(source), ws(net.make_workspace(m)), params(net.parameters()) {
    net.train();
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
    grad.clear();
    for (const ParamRef& p : params) grad.insert(grad.end(), p.grad, p.grad + p.size);
    for (float v : grad)
      if (!std::isfinite(v)) return false;
    return true;
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

Landscape measure_landscape(const Mlp& net, const float* x, const std::uint8_t* labels, int m,
                            double lr, const LandscapeOptions& o) {
  check_fields(landscape_option_table(), o);
  Probe probe(net, m);
  Landscape r;
  r.lr = lr;
  std::vector<float> w, g, g_at;
  for (const ParamRef& p : probe.params) w.insert(w.end(), p.value, p.value + p.size);
  if (!probe.run(x, labels, m, r.loss, g))
    throw std::domain_error("the loss of the network is not finite: there is no landscape to measure");
  r.grad_norm = std::sqrt(dot(g, g, 0, g.size()));
  r.loss_min = kInf;
  r.loss_max = r.grad_change_max = r.beta_smoothness = -kInf;
  bool all_finite = true;
  for (int k = 1; k <= o.steps; ++k) {
    const double eta = lr * o.max_scale * k / o.steps;
    probe.set(w, g, eta, 0, w.size());
    double loss = kNaN;
    const bool ok = probe.run(x, labels, m, loss, g_at);
    const double change = ok ? distance(g_at, g, 0, g.size()) : kNaN;
    r.eta.push_back(eta);
    r.loss_at.push_back(ok ? loss : kNaN);
    r.grad_change.push_back(change);
    if (!ok) { all_finite = false; continue; }
    r.loss_min = std::min(r.loss_min, loss);
    r.loss_max = std::max(r.loss_max, loss);
    r.grad_change_max = std::max(r.grad_change_max, change);
    r.beta_smoothness = std::max(r.beta_smoothness, r.grad_norm > 0 ? change / (eta * r.grad_norm) : 0.0);
  }
  if (!all_finite) r.loss_max = r.grad_change_max = r.beta_smoothness = kInf;
  if (r.loss_min == kInf) r.loss_min = kNaN;

  // Internal covariate shift: update blocks 0..i-1 one more at a time.
  std::vector<std::size_t> start = {0};   // flat offset of each block's parameters
  for (int b = 0; b <= probe.net.hidden_layers(); ++b) {
    std::size_t n = 0;
    for (const ParamRef& p : probe.net.block_parameters(b)) n += static_cast<std::size_t>(p.size);
    start.push_back(start.back() + n);
  }
  probe.set(w, g, 0.0, 0, w.size());
  r.ics.push_back(0.0);
  r.ics_cosine.push_back(1.0);
  for (int i = 1; i < probe.net.hidden_layers(); ++i) {
    probe.set(w, g, lr, start[i - 1], start[i]);
    const std::size_t wb = start[i], we = wb + static_cast<std::size_t>(probe.net.linear(i).in()) * probe.net.linear(i).out();
    double loss = kNaN;
    if (!probe.run(x, labels, m, loss, g_at)) {
      r.ics.push_back(kNaN);
      r.ics_cosine.push_back(kNaN);
      continue;
    }
    r.ics.push_back(distance(g, g_at, wb, we));
    const double norms = std::sqrt(dot(g, g, wb, we) * dot(g_at, g_at, wb, we));
    r.ics_cosine.push_back(norms > 0 ? dot(g, g_at, wb, we) / norms : kNaN);
  }
  return r;
}

}  // namespace bn
