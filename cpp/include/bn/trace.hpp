// Every intermediate of one BatchNorm1d forward pass, for teaching and tests.
#pragma once

#include <vector>

namespace bn {

struct Trace {
  bool training = false;
  int batch = 0;
  int features = 0;
  // Per feature (`features` entries): the statistics used to normalize.
  // Training: batch mean and biased batch variance. Eval: running estimates.
  std::vector<float> mean, var, std, inv_std;   // std = sqrt(var + eps)
  // Per element (batch * features entries, row-major).
  std::vector<float> x_centered, xhat, y;       // x - mean, (x - mean) / std, gamma * xhat + beta
};

}  // namespace bn
