// What BatchNorm1d and BatchNorm2d share: the plan of a batch norm over
// [N, C, *spatial] and its NormConfig.
#pragma once

#include "bn/norm_core.hpp"
#include "bn/norm_layout.hpp"
#include "bn/params.hpp"

namespace bn::detail {

// Validates features and options (bn/params.hpp) and builds the config:
// C parameters, C running statistics, counted batches.
NormConfig batch_norm_config(int features, const BatchNormOptions& options);

// One statistic per channel over the N * S values x[n, c, s] (S the product
// of the spatial sizes): layout [N, C, S]. Refuses, naming shape and in
// PyTorch's words, a rank outside [min_rank, max_rank] ("expected <ranks>
// input (got 3D input)"), a channel count other than `channels` and, with
// check_mode in training, N * S = 1 ("Expected more than 1 value per channel
// when training").
ForwardPlan batch_norm_plan(const Shape& shape, int channels, bool training, bool check_mode,
                            int min_rank, int max_rank, const char* ranks);

}  // namespace bn::detail
