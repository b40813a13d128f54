// The network in eval mode for a scope's life (back to training mode when it
// ends, also by an exception). Internal to the trainer's sources.
#pragma once

#include "bn/mlp.hpp"

namespace bn {

struct EvalModeScope {
  Mlp& mlp;
  explicit EvalModeScope(Mlp& m) : mlp(m) { mlp.eval(); }
  ~EvalModeScope() { mlp.train(); }
  EvalModeScope(const EvalModeScope&) = delete;
  EvalModeScope& operator=(const EvalModeScope&) = delete;
};

}  // namespace bn
