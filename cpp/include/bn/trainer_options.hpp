// Options of the live trainer and their validation. The defaults are the
// member initializers below (those of docs/api.md); names, ranges and enum
// values are in the option schema (cpp/src/option_schema.cpp), which reads
// these defaults back. The JS wrapper checks the same schema first; these
// checks keep the C++ core safe on its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bn/option_schema.hpp"

namespace bn {

struct TrainerOptions {
  std::string dataset = "spiral";
  int samples = 400;
  double noise = 0.1;
  std::vector<int> hidden = {16, 16};
  std::string activation = "relu";
  bool batch_norm = true;
  std::string optimizer = "sgd";
  double lr = 0.1;
  int batch_size = 32;                // also <= training points, and >= 2 with batch norm
  std::uint32_t seed = 1;
  std::string init = "auto";          // auto: kaiming for relu, else xavier
  double test_fraction = 0.2;
  // The network (bn/mlp.hpp); the rules that tie these to the others are in
  // resolve_network_options (bn/trainer_network.hpp).
  std::string norm = "batch";         // "none" when batch_norm is false
  int groups = 1;                     // norm "group": divides every hidden width
  std::string norm_placement = "before";
  bool residual = false;
  std::optional<double> momentum = 0.1;   // nullopt: cumulative average
};

// Training points for these options: samples - round(samples * test_fraction).
int training_points(const TrainerOptions& o);

// Throws std::invalid_argument whose message names the first bad option:
// every field against the schema, then the rules that tie options together.
void validate_trainer_options(const TrainerOptions& o);

// Options from a JS-like object (any subset of the schema's names; unknown
// names, bad values and broken cross-option rules throw, naming the option).
TrainerOptions read_trainer_options(const OptionValue& options);

}  // namespace bn
