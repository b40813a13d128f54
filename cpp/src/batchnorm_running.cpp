// Resetting and copying the running statistics (PyTorch's
// reset_running_stats() and loading the buffers of a state_dict). Their
// update is in norm_core_running.cpp.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "bn/batchnorm.hpp"
#include "bn/norm_core.hpp"

namespace bn {

void NormCore::reset_running() {
  std::fill(running_mean_.begin(), running_mean_.end(), 0.0f);
  std::fill(running_var_.begin(), running_var_.end(), 1.0f);
  num_batches_tracked_ = 0;
  running_mean_huge_ = false;
}

void NormCore::copy_running_from(const NormCore& other) {
  running_mean_ = other.running_mean_;   // same sizes: copies, no allocation
  running_var_ = other.running_var_;
  num_batches_tracked_ = other.num_batches_tracked_;
  running_mean_huge_ = other.running_mean_huge_;
}

void BatchNorm1d::copy_running_stats_from(const BatchNorm1d& other) {
  if (other.features_ != features_)
    throw std::invalid_argument("copy_running_stats_from: the layers have " + std::to_string(features_) + " and " +
                                std::to_string(other.features_) + " features");
  core_.copy_running_from(other.core_);
}

}  // namespace bn
