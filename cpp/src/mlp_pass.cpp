// Mlp: the forward and backward passes (the block structure is in mlp.hpp).
#include <stdexcept>
#include <utility>

#include "bn/mlp.hpp"

namespace bn {
namespace {

// out_j = a_j + f_j: the residual connection.
void add(const float* a, const float* f, int n, float* out) {
  for (int j = 0; j < n; ++j) out[j] = a[j] + f[j];
}

// d_j += g_j: the skip path's share of the gradient of a block's input.
void accumulate(const float* g, int n, float* d) {
  for (int j = 0; j < n; ++j) d[j] += g[j];
}

}  // namespace

const float* Mlp::forward(const float* x, int m, MlpWorkspace& ws) {
  if (m < 1 || m > ws.capacity) throw std::invalid_argument("Mlp::forward: rows must be in [1, workspace capacity]");
  const Activation act = config_.activation;
  const float* a = x;
  for (int l = 0; l < hidden_layers(); ++l) {
    MlpWorkspace::Layer& w = ws.layers[l];
    const int n = m * width(l);
    linears_[l].forward(a, m, w.z.data());
    HiddenNorm* norm = norms_[l].get();
    const float* f = w.h.data();
    if (!norm) {
      activation_forward(act, w.z.data(), n, w.h.data());
    } else if (config_.placement == NormPlacement::before) {
      norm->forward(w.z.data(), m, w.y.data());
      activation_forward(act, w.y.data(), n, w.h.data());
    } else {
      activation_forward(act, w.z.data(), n, w.h.data());
      norm->forward(w.h.data(), m, w.y.data());
      f = w.y.data();
    }
    if (residual_[l]) {
      add(a, f, n, w.out.data());
      f = w.out.data();
    }
    a = f;
  }
  linears_.back().forward(a, m, ws.logits.data());
  ws.batch = m;
  return ws.logits.data();
}

// With d = dL/d(block output) (d_out), per block from the last:
//   f's gradient is d; through the activation (dact = d * act'(.)) and the
//   normalization's backward in the order the forward ran them, to dz;
//   the linear layer gives dL/da = dz W (into d_in), plus d itself on the
//   residual path; then d_in becomes the next block's d.
void Mlp::backward(const float* x, MlpWorkspace& ws) {
  const int m = ws.batch, last = hidden_layers();
  const Activation act = config_.activation;
  float* d = ws.d_out.data();
  float* d_in = ws.d_in.data();
  linears_[last].backward(block_output(last - 1, ws), ws.dlogits.data(), m, d);
  for (int l = last - 1; l >= 0; --l) {
    MlpWorkspace::Layer& w = ws.layers[l];
    const int n = m * width(l);
    HiddenNorm* norm = norms_[l].get();
    if (!norm) {
      activation_backward(act, w.h.data(), d, n, ws.dz.data());
    } else if (config_.placement == NormPlacement::before) {
      activation_backward(act, w.h.data(), d, n, ws.d_mid.data());
      norm->backward(ws.d_mid.data(), ws.dz.data());
    } else {
      norm->backward(d, ws.d_mid.data());
      activation_backward(act, w.h.data(), ws.d_mid.data(), n, ws.dz.data());
    }
    const float* input = l > 0 ? block_output(l - 1, ws) : x;
    linears_[l].backward(input, ws.dz.data(), m, l > 0 ? d_in : nullptr);
    if (l > 0 && residual_[l]) accumulate(d, n, d_in);
    std::swap(d, d_in);
  }
}

}  // namespace bn
