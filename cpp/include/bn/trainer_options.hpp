// Options of the live trainer, with the defaults of shared/API.md, and their
// validation (the JS wrapper checks the same rules first; these checks keep
// the C++ core safe on its own).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bn {

struct TrainerOptions {
  std::string dataset = "spiral";     // spiral | moons | circles | xor | gaussians
  int samples = 400;                  // [kMinSamples, kMaxSamples]
  double noise = 0.1;                 // [0, kMaxNoise]
  std::vector<int> hidden = {16, 16}; // 1..kMaxLayers widths in 1..kMaxWidth
  std::string activation = "relu";    // relu | tanh | sigmoid
  bool batch_norm = true;
  std::string optimizer = "sgd";      // sgd | momentum | adam
  double lr = 0.1;                    // finite, > 0
  int batch_size = 32;                // [1, training points]; >= 2 with batch norm
  std::uint32_t seed = 1;
  std::string init = "auto";          // auto (kaiming for relu, else xavier) | kaiming | xavier
  double test_fraction = 0.2;         // held-out share of the points, [0, kMaxTestFraction]

  static constexpr int kMinSamples = 10;
  static constexpr int kMaxSamples = 20000;
  static constexpr double kMaxNoise = 2.0;
  static constexpr int kMaxLayers = 8;
  static constexpr int kMaxWidth = 256;
  static constexpr double kMaxTestFraction = 0.5;
};

// Training points for these options: samples - round(samples * test_fraction).
int training_points(const TrainerOptions& o);

// Throws std::invalid_argument whose message names the first bad option.
void validate_trainer_options(const TrainerOptions& o);

}  // namespace bn
