#include "bn/norm_layout.hpp"

#include "bn/option_schema.hpp"

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace bn {
namespace {

constexpr std::int64_t kMaxElements =
    std::numeric_limits<std::size_t>::max() / (8 * sizeof(float)) <
            static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max())
        ? static_cast<std::int64_t>(std::numeric_limits<std::size_t>::max() / (8 * sizeof(float)))
        : std::numeric_limits<std::int32_t>::max();

}  // namespace

std::int64_t max_elements() { return kMaxElements; }

std::string shape_string(const std::int64_t* dims, int rank) {
  std::string out = "[";
  for (int i = 0; i < rank; ++i) {
    if (i > 0) out += ", ";
    out += js_number(static_cast<double>(dims[i]));   // exact: sizes are far below 2^53
  }
  return out + "]";
}

std::int64_t checked_product(const char* name, const Shape& shape, std::size_t from,
                             std::size_t to) {
  if (shape.size() > static_cast<std::size_t>(kMaxRank))
    throw std::invalid_argument(std::string(name) + " " + shape_string(shape) + " has more than " +
                                std::to_string(kMaxRank) + " dimensions");
  for (std::int64_t d : shape)
    if (d < 1)
      throw std::invalid_argument(std::string(name) + " must hold sizes >= 1, got " +
                                  shape_string(shape));
  std::int64_t total = 1;
  for (std::int64_t d : shape) {
    if (d > kMaxElements / total)
      throw std::invalid_argument(std::string(name) + " " + shape_string(shape) +
                                  " has too many elements (at most " +
                                  js_number(static_cast<double>(kMaxElements)) + ")");
    total *= d;
  }
  std::int64_t product = 1;
  for (std::size_t i = from; i < to && i < shape.size(); ++i) product *= shape[i];
  return product;
}

}  // namespace bn
