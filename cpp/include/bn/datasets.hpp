// Toy 2-D, two-class datasets, generated from a seed with bn::Pcg32 (so the
// same options give the same points in every build).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bn/name_list.hpp"

namespace bn {

enum class DatasetKind { spiral, moons, circles, xor_quadrants, gaussians };

// The names, indexed by DatasetKind: "spiral", "moons", "circles", "xor",
// "gaussians" (the option schema's `dataset` values).
const NameList& dataset_names();
// One of dataset_names(); throws std::invalid_argument naming `dataset`.
DatasetKind parse_dataset(const std::string& name);
const char* dataset_name(DatasetKind kind);

struct Dataset {
  int samples = 0;
  std::vector<float> x;                // samples * 2, row-major: x[2i] = x, x[2i + 1] = y
  std::vector<std::uint8_t> y;         // label 0 or 1 (point i has label i % 2: balanced)
  std::vector<std::uint8_t> is_test;   // 1 for the held-out test points
  std::vector<int> train_index;        // ascending
  std::vector<int> test_index;         // ascending
};

// `samples` points (>= 2), half of each class; `noise` (>= 0) is the
// standard deviation of Gaussian noise added to each coordinate (for
// "gaussians", each blob's standard deviation is 0.25 + noise). Shapes, all
// within about [-1.5, 1.5]^2:
//   spiral     two interleaved arms, r = t, angle = 3.5 pi t + pi * label, t in [0, 1)
//   moons      sklearn's make_moons, centred: (cos a, sin a) and (1 - cos a, 0.5 - sin a), minus (0.5, 0.25)
//   circles    radius 1 (label 0) around radius 0.5 (label 1)
//   xor        uniform points with |x|, |y| in [0.1, 1]; label 1 where x * y < 0
//   gaussians  two blobs at (-0.5, -0.5) (label 0) and (0.5, 0.5) (label 1)
// round(samples * test_fraction) points, picked at random, form the test split.
Dataset make_dataset(DatasetKind kind, int samples, double noise, double test_fraction,
                     std::uint64_t seed);

}  // namespace bn
