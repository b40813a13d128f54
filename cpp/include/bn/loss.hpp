// Softmax cross-entropy over two or more classes, averaged over the batch
// (torch.nn.functional.cross_entropy with reduction "mean").
#pragma once

#include <cstdint>

namespace bn {

struct LossResult {
  double loss = 0.0;   // mean over the batch
  int correct = 0;     // rows whose largest logit is the label (ties -> lowest class)
};

// loss_i = logsumexp(z_i) - z_i,label_i, computed as
//   mx = max_c z_ic;  lse = mx + log(sum_c exp(z_ic - mx)).
// When dlogits is not null: dlogits_ic = (softmax(z_i)_c - [c == label_i]) / m.
LossResult softmax_cross_entropy(const float* logits, const std::uint8_t* labels, int m,
                                 int classes, float* dlogits);

// Probability of class 1 of a two-class row: 1 / (1 + exp(z0 - z1)).
float class1_probability(const float* logits2);

}  // namespace bn
