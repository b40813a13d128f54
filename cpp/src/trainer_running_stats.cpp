// Trainer::running_stats: a BatchNorm layer's running statistics against the
// population statistics of its input over the training split.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "bn/trainer.hpp"
#include "eval_mode_scope.hpp"

namespace bn {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Per feature, the mean and the sum of squared deviations M2 of the rows seen
// so far, merged chunk by chunk (Chan, Golub and LeVeque's pairwise update):
// a chunk of m rows with mean c and sum of squared deviations C2 joins n rows
// with mean u and M2 as
//   d = c - u,  u <- u + d m / (n + m),  M2 <- M2 + C2 + d^2 n m / (n + m).
// Each chunk's own c and C2 take two passes over its values, in double, so
// the result equals a two-pass float64 computation over all rows up to the
// rounding of the merges.
struct ColumnMoments {
  std::vector<double> mean, m2;
  double n = 0.0;

  explicit ColumnMoments(int features) : mean(features, 0.0), m2(features, 0.0) {}

  void add(const float* x, int m, int features) {
    for (int k = 0; k < features; ++k) {
      double c = 0.0;
      for (int r = 0; r < m; ++r) c += x[static_cast<long>(r) * features + k];
      c /= m;
      double c2 = 0.0;
      for (int r = 0; r < m; ++r) {
        const double d = x[static_cast<long>(r) * features + k] - c;
        c2 += d * d;
      }
      const double total = n + m, d = c - mean[k];
      mean[k] += d * m / total;
      m2[k] += c2 + d * d * n * m / total;
    }
    n += m;
  }
};

}  // namespace

RunningStats Trainer::running_stats(int layer) {
  const int layers = static_cast<int>(options_.hidden.size());
  if (layer < 0 || layer >= layers)
    throw std::invalid_argument("layerIndex must be an integer in [0, " + std::to_string(layers - 1) +
                                "] (a hidden layer), got " + std::to_string(layer));
  const BatchNorm1d* norm = mlp_.norm(layer);
  if (!norm)
    throw std::invalid_argument("layerIndex " + std::to_string(layer) + ": hidden layer " +
                                std::to_string(layer) + " has no BatchNorm1d (norm \"" + options_.norm +
                                "\"); running statistics exist with norm \"batch\" only");
  RunningStats s;
  s.layer = layer;
  s.features = options_.hidden[layer];
  s.rows = static_cast<int>(data_.train_index.size());
  s.running_mean = norm->running_mean();
  s.running_var = norm->running_var();
  s.population_mean.assign(s.features, kNaN);
  s.population_var.assign(s.features, kNaN);
  if (diverged_) return s;
  // The normalization's input: z before the activation, h after it.
  const bool before = options_.norm_placement == "before";
  ColumnMoments moments(s.features);
  try {
    EvalModeScope eval_mode(mlp_);
    pass_rows(mlp_, eval_ws_, data_.train_index, false, [&](int, int m) {
      const MlpWorkspace::Layer& w = eval_ws_.layers[layer];
      moments.add(before ? w.z.data() : w.h.data(), m, s.features);
    });
  } catch (const std::invalid_argument&) {
    return s;   // values that are not finite: no population statistics
  }
  for (int k = 0; k < s.features; ++k) {
    s.population_mean[k] = moments.mean[k];
    s.population_var[k] = moments.m2[k] / (moments.n - 1.0);
  }
  return s;
}

}  // namespace bn
