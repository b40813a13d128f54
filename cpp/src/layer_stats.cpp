#include "bn/layer_stats.hpp"

#include <cmath>

namespace bn {
namespace {

struct MeanStd {
  double mean, std;
};

// mean = (1/n) sum v;  std = sqrt((1/n) sum (v - mean)^2), two passes in double
MeanStd mean_std(const float* v, long n) {
  double s = 0.0;
  for (long j = 0; j < n; ++j) s += v[j];
  const double mean = s / static_cast<double>(n);
  double s2 = 0.0;
  for (long j = 0; j < n; ++j) s2 += (v[j] - mean) * (v[j] - mean);
  return {mean, std::sqrt(s2 / static_cast<double>(n))};
}

bool flat(Activation a, float h) {
  switch (a) {
    case Activation::relu: return h <= 0.0f;
    case Activation::tanh: return std::fabs(h) > kTanhSaturation;
    case Activation::sigmoid: return h < kSigmoidSaturation || h > 1.0 - kSigmoidSaturation;
  }
  return false;
}

// ||v||_2 in double
double norm2(const float* v, long n) {
  double s = 0.0;
  for (long j = 0; j < n; ++j) s += static_cast<double>(v[j]) * v[j];
  return std::sqrt(s);
}

}  // namespace

std::vector<LayerStats> layer_stats(const Mlp& net, const MlpWorkspace& ws) {
  std::vector<LayerStats> out(static_cast<std::size_t>(net.hidden_layers()));
  const Activation act = net.config().activation;
  for (int l = 0; l < net.hidden_layers(); ++l) {
    const long n = static_cast<long>(ws.batch) * net.width(l);
    const float* h = ws.layers[l].h.data();
    const MeanStd pre = mean_std(net.activation_input(l, ws), n);
    const MeanStd post = mean_std(h, n);
    const MeanStd block = mean_std(net.block_output(l, ws), n);
    long saturated = 0;
    for (long j = 0; j < n; ++j) saturated += flat(act, h[j]);
    const Linear& lin = net.linear(l);
    const long weights = static_cast<long>(lin.in()) * lin.out();
    out[static_cast<std::size_t>(l)] = {pre.mean, pre.std, post.mean, post.std, block.mean, block.std,
                   static_cast<double>(saturated) / static_cast<double>(n),
                   norm2(lin.dweight(), weights), norm2(lin.weights().data(), weights)};
  }
  return out;
}

}  // namespace bn
