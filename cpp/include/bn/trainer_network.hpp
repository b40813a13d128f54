// The trainer's network options (norm, groups, normPlacement, residual,
// momentum, and the depth and size limits they bring), checked and turned
// into the MlpConfig the trainer builds.
#pragma once

#include <cstdint>

#include "bn/mlp.hpp"
#include "bn/option_schema.hpp"
#include "bn/trainer_options.hpp"

namespace bn {

// Limits on the work of one Trainer: batchSize * (sum of hidden widths)
// values per buffer of a training step, and n * batchSize * parameters
// (about the multiply-adds of the forward passes) per call of step(n).
constexpr std::int64_t kMaxBatchUnits = std::int64_t{1} << 22;
constexpr std::int64_t kMaxWorkPerCall = std::int64_t{1} << 34;

// Resolves norm from batch_norm (batch_norm false with norm "batch" means
// "none"; afterwards batch_norm == (norm == "batch")) and checks the rules
// that tie the network options to the others (groups divides every width,
// batch size 2 with batch norm, the size of one batch); throws
// std::invalid_argument naming the option. Runs before
// validate_trainer_options (which checks each option against the schema).
void resolve_network_options(TrainerOptions& o);

// The rules that depend on which options were given (`given`: the options
// object as read, absent fields left out; o: read from it): batchNorm and
// norm both given must agree (batchNorm true is norm "batch", false is
// "none"; else std::invalid_argument naming both); one of them given sets
// the other; batchSize left out is the default 32, or the number of
// training points when there are fewer. web/js/trainer-api.js applies the
// same rules, with the same messages, before it calls the core.
void resolve_given_options(const OptionValue& given, TrainerOptions& o);

// The network for resolved options (init already resolved to kaiming/xavier).
MlpConfig network_config(const TrainerOptions& o);

}  // namespace bn
