#include "bn/loss.hpp"

#include <cmath>
#include <stdexcept>

namespace bn {

LossResult softmax_cross_entropy(const float* logits, const std::uint8_t* labels, int m,
                                 int classes, float* dlogits) {
  constexpr int kMaxClasses = 16;
  if (classes < 2 || classes > kMaxClasses) throw std::invalid_argument("classes must be in [2, 16]");
  LossResult r;
  double total = 0.0;
  double e[kMaxClasses];
  for (int i = 0; i < m; ++i) {
    const float* z = logits + static_cast<long>(i) * classes;
    int best = 0;
    for (int c = 1; c < classes; ++c)
      if (z[c] > z[best]) best = c;
    const double mx = z[best];
    double sum = 0.0;
    for (int c = 0; c < classes; ++c) sum += (e[c] = std::exp(static_cast<double>(z[c]) - mx));
    total += mx + std::log(sum) - z[labels[i]];   // logsumexp - z_label
    if (best == labels[i]) ++r.correct;
    if (dlogits) {
      float* d = dlogits + static_cast<long>(i) * classes;
      for (int c = 0; c < classes; ++c)   // softmax_c = e_c / sum
        d[c] = static_cast<float>((e[c] / sum - (c == labels[i] ? 1.0 : 0.0)) / m);
    }
  }
  r.loss = total / m;
  return r;
}

float class1_probability(const float* logits2) {
  return static_cast<float>(1.0 / (1.0 + std::exp(static_cast<double>(logits2[0]) - logits2[1])));
}

}  // namespace bn
