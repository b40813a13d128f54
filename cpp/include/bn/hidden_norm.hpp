// The normalization of one hidden layer of the trainer's network, behind one
// interface so that the network does not depend on which one it is. For a
// hidden layer of width D, on a minibatch of m rows (row-major [m x D]):
//   batch  bn::BatchNorm1d(D): per unit, statistics over the m rows
//          (running statistics for eval mode, PyTorch's momentum convention)
//   layer  LayerNorm over [D]: per row, statistics over its D units
//   group  GroupNorm(groups, D) on [m, D]: per row and group of D / groups units
//   none   no normalization layer
// Each has a learnable per-unit scale gamma (ones) and shift beta (zeros).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bn/batchnorm.hpp"
#include "bn/name_list.hpp"
#include "bn/optimizer.hpp"

namespace bn {

enum class Norm { batch, layer, group, none };
enum class NormPlacement { before, after };   // before or after the activation

// The names, in the enums' order (the option schema lists them).
const NameList& norm_names();             // batch, layer, group, none
const NameList& norm_placement_names();   // before, after
// One of the names; throws std::invalid_argument naming `norm` / `normPlacement`.
Norm parse_norm(const std::string& name);
const char* norm_name(Norm norm);
NormPlacement parse_norm_placement(const std::string& name);
const char* norm_placement_name(NormPlacement placement);

class HiddenNorm {
 public:
  virtual ~HiddenNorm() = default;

  // Training mode (batch statistics) or eval mode (running statistics, for
  // batch norm; the others normalize each row by itself in both modes).
  virtual void set_training(bool training) = 0;

  // y = gamma * normalize(x) + beta for m rows; throws std::invalid_argument
  // (changing nothing) for non-finite x or a batch it cannot normalize.
  virtual void forward(const float* x, int m, float* y) = 0;
  // dx for the last forward, given dy; keeps dgamma, dbeta for parameters().
  virtual void backward(const float* dy, float* dx) = 0;
  // gamma and beta with their gradients.
  virtual std::vector<ParamRef> parameters() = 0;

  // The BatchNorm1d inside (running statistics), or nullptr for the others.
  virtual BatchNorm1d* batch_norm() { return nullptr; }
  virtual const BatchNorm1d* batch_norm() const { return nullptr; }
};

// The normalization for a hidden layer of `width` units; nullptr for
// Norm::none. momentum: BatchNorm's running-statistics momentum (nullopt: a
// cumulative average). Throws std::invalid_argument naming `groups` when
// width is not a multiple of groups.
std::unique_ptr<HiddenNorm> make_hidden_norm(Norm norm, int width, int groups,
                                             std::optional<double> momentum);

}  // namespace bn
