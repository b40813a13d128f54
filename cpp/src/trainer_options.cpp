#include "bn/trainer_options.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "bn/trainer_network.hpp"

namespace bn {

int training_points(const TrainerOptions& o) {
  return o.samples - static_cast<int>(std::lround(o.samples * o.test_fraction));
}

void validate_trainer_options(const TrainerOptions& o) {
  check_fields(trainer_option_table(), o);
  const int train = training_points(o);
  if (o.batch_size > train)
    throw std::invalid_argument("batchSize must be an integer in [1, " + std::to_string(train) +
                                "] (the number of training points), got " + std::to_string(o.batch_size));
  if (o.batch_norm && o.batch_size < 2)
    throw std::invalid_argument(
        "batchSize must be >= 2 with batchNorm: Expected more than 1 value per channel when training");
}

TrainerOptions read_trainer_options(const OptionValue& options) {
  TrainerOptions o = read_options("Trainer", trainer_option_table(), options);
  resolve_given_options(options, o);
  validate_trainer_options(o);
  return o;
}

}  // namespace bn
