// Options of a BatchNorm1d layer, with PyTorch's defaults.
#pragma once

#include <optional>

namespace bn {

struct BatchNormOptions {
  double eps = 1e-5;                      // added to the variance; must be > 0
  std::optional<double> momentum = 0.1;   // in [0, 1]; nullopt = cumulative average
  bool affine = true;                     // learnable gamma (ones) and beta (zeros)
};

// Throws std::invalid_argument naming the option when it is out of range
// (features not positive, eps not finite or <= 0, momentum not in [0, 1]).
void validate_options(int features, const BatchNormOptions& options);

}  // namespace bn
