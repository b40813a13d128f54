#include "bn/datasets.hpp"

#include <cmath>
#include <stdexcept>

#include "bn/option_schema.hpp"
#include "bn/rng.hpp"

namespace bn {
namespace {

constexpr double kPi = 3.141592653589793;
constexpr std::uint64_t kDataStream = 0xda7a;

struct Point {
  double x, y;
};

// Point j of `per_class` points of class `label` (noise is added by the caller).
Point clean_point(DatasetKind kind, int label, int j, int per_class, Pcg32& rng) {
  const double t = static_cast<double>(j) / per_class;   // in [0, 1)
  switch (kind) {
    case DatasetKind::spiral: {
      const double angle = 3.5 * kPi * t + kPi * label;
      return {t * std::sin(angle), t * std::cos(angle)};
    }
    case DatasetKind::moons: {
      const double a = per_class > 1 ? kPi * j / (per_class - 1) : 0.0;
      return label == 0 ? Point{std::cos(a) - 0.5, std::sin(a) - 0.25}
                        : Point{0.5 - std::cos(a), 0.25 - std::sin(a)};
    }
    case DatasetKind::circles: {
      const double a = 2.0 * kPi * rng.uniform();
      const double r = label == 0 ? 1.0 : 0.5;
      return {r * std::cos(a), r * std::sin(a)};
    }
    case DatasetKind::xor_quadrants: {
      const double ax = 0.1 + 0.9 * rng.uniform(), ay = 0.1 + 0.9 * rng.uniform();
      const double sx = rng.uniform() < 0.5 ? -1.0 : 1.0;
      const double sy = label == 0 ? sx : -sx;   // label 1: opposite signs, x * y < 0
      return {sx * ax, sy * ay};
    }
    case DatasetKind::gaussians:
      return label == 0 ? Point{-0.5, -0.5} : Point{0.5, 0.5};
  }
  return {0.0, 0.0};
}

}  // namespace

const NameList& dataset_names() {
  static const char* const names[] = {"spiral", "moons", "circles", "xor", "gaussians"};
  static const NameList list{names, 5};
  return list;
}

DatasetKind parse_dataset(const std::string& name) {
  return static_cast<DatasetKind>(parse_choice("dataset", dataset_names(), name));
}

const char* dataset_name(DatasetKind kind) { return dataset_names()[static_cast<std::size_t>(kind)]; }

Dataset make_dataset(DatasetKind kind, int samples, double noise, double test_fraction,
                     std::uint64_t seed) {
  if (samples < 2) throw std::invalid_argument("samples must be an integer >= 2");
  if (!(noise >= 0.0) || !std::isfinite(noise)) throw std::invalid_argument("noise must be a finite number >= 0");
  if (!(test_fraction >= 0.0 && test_fraction < 1.0))
    throw std::invalid_argument("testFraction must be a number in [0, 1)");
  Pcg32 rng(seed, kDataStream);
  Dataset d;
  d.samples = samples;
  d.x.resize(2 * static_cast<std::size_t>(samples));
  d.y.resize(samples);
  const int per_class[2] = {(samples + 1) / 2, samples / 2};
  const double blob_std = 0.25 + noise;
  for (int i = 0; i < samples; ++i) {
    const int label = i % 2, j = i / 2;
    const Point p = clean_point(kind, label, j, per_class[label], rng);
    const double spread = kind == DatasetKind::gaussians ? blob_std : noise;
    const double nx = rng.normal(), ny = rng.normal();
    d.x[2 * i] = static_cast<float>(p.x + spread * nx);
    d.x[2 * i + 1] = static_cast<float>(p.y + spread * ny);
    d.y[i] = static_cast<std::uint8_t>(label);
  }
  // Test split: the first round(samples * test_fraction) of a random order.
  const int tests = static_cast<int>(std::lround(samples * test_fraction));
  std::vector<int> order(samples);
  for (int i = 0; i < samples; ++i) order[i] = i;
  shuffle(order.data(), samples, rng);
  d.is_test.assign(samples, 0);
  for (int k = 0; k < tests; ++k) d.is_test[order[k]] = 1;
  for (int i = 0; i < samples; ++i) (d.is_test[i] ? d.test_index : d.train_index).push_back(i);
  return d;
}

}  // namespace bn
