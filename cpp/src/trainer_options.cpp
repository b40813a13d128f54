#include "bn/trainer_options.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "bn/activations.hpp"
#include "bn/datasets.hpp"
#include "bn/linear.hpp"
#include "bn/optimizer.hpp"

namespace bn {
namespace {

void fail(const std::string& message) { throw std::invalid_argument(message); }

}  // namespace

int training_points(const TrainerOptions& o) {
  return o.samples - static_cast<int>(std::lround(o.samples * o.test_fraction));
}

void validate_trainer_options(const TrainerOptions& o) {
  parse_dataset(o.dataset);
  parse_activation(o.activation);
  parse_optimizer(o.optimizer);
  if (o.init != "auto") parse_init(o.init);
  if (o.samples < TrainerOptions::kMinSamples || o.samples > TrainerOptions::kMaxSamples)
    fail("samples must be an integer in [" + std::to_string(TrainerOptions::kMinSamples) + ", " +
         std::to_string(TrainerOptions::kMaxSamples) + "], got " + std::to_string(o.samples));
  if (!std::isfinite(o.noise) || o.noise < 0.0 || o.noise > TrainerOptions::kMaxNoise)
    fail("noise must be a finite number in [0, 2]");
  if (o.hidden.empty() || static_cast<int>(o.hidden.size()) > TrainerOptions::kMaxLayers)
    fail("hidden must list 1 to 8 layer widths, got " + std::to_string(o.hidden.size()));
  for (std::size_t l = 0; l < o.hidden.size(); ++l)
    if (o.hidden[l] < 1 || o.hidden[l] > TrainerOptions::kMaxWidth)
      fail("hidden[" + std::to_string(l) + "] must be an integer in [1, 256], got " +
           std::to_string(o.hidden[l]));
  if (!std::isfinite(o.lr) || o.lr <= 0.0) fail("lr must be a finite number > 0");
  if (!std::isfinite(o.test_fraction) || o.test_fraction < 0.0 ||
      o.test_fraction > TrainerOptions::kMaxTestFraction)
    fail("testFraction must be a finite number in [0, 0.5]");
  const int train = training_points(o);
  if (o.batch_size < 1 || o.batch_size > train)
    fail("batchSize must be an integer in [1, " + std::to_string(train) +
         "] (the number of training points), got " + std::to_string(o.batch_size));
  if (o.batch_norm && o.batch_size < 2)
    fail("batchSize must be >= 2 with batchNorm: Expected more than 1 value per channel when training");
}

}  // namespace bn
