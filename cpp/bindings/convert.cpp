// The seam's cold paths (convert.hpp): the message of a caught exception,
// and JS values -> bn::OptionValue for the option validators.
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>

#include "convert.hpp"

namespace bn::bindings {

std::string error_message(const std::exception& e, const char* for_what) {
  if (dynamic_cast<const std::bad_alloc*>(&e) || dynamic_cast<const std::length_error*>(&e))
    return std::string(kOutOfMemory) + " while allocating " + for_what;
  return e.what();
}

double max_elements() {
  constexpr std::uint64_t by_bytes = std::numeric_limits<std::size_t>::max() / (8 * sizeof(float));
  constexpr std::uint64_t by_int = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
  return static_cast<double>(by_bytes < by_int ? by_bytes : by_int);
}

int count_argument(const char* name, double value, double per, const char* per_label) {
  const double max = std::floor(max_elements() / per);
  if (value >= 1 && value <= max && std::floor(value) == value) return static_cast<int>(value);
  std::string message = std::string(name) + " must be an integer in [1, " + js_number(max) + "]";
  if (per_label) message += " for " + js_number(per) + " " + per_label;
  message += ", got " + js_number(value);
  if (std::isfinite(value) && std::floor(value) == value && value > max) {
    message += per_label ? " (" + std::string(name) + " × " + per_label + " = " + js_number(value * per) +
                               " values; one WebAssembly buffer holds at most " + js_number(max_elements()) + ")"
                         : " (one WebAssembly buffer holds at most " + js_number(max_elements()) + " values)";
  }
  throw std::invalid_argument(message);
}

Shape shape_argument(const emscripten::val& v) {
  const OptionValue list = option_value(v);
  const bool rank_ok = list.kind == OptionValue::Kind::list && !list.list.empty() &&
                       list.list.size() <= static_cast<std::size_t>(kMaxRank);
  Shape shape;
  for (const OptionValue& d : list.list) {
    if (!rank_ok || d.kind != OptionValue::Kind::number || !(d.number >= 1 && d.number <= max_elements()) ||
        std::floor(d.number) != d.number)
      break;
    shape.push_back(static_cast<std::int64_t>(d.number));
  }
  if (!rank_ok || shape.size() != list.list.size())
    throw std::invalid_argument("shape must be an array of 1 to " + std::to_string(kMaxRank) +
                                " integers >= 1, got " + describe(list));
  return shape;
}

OptionValue option_value(const emscripten::val& v) {
  using emscripten::val;
  if (v.isUndefined()) return OptionValue{};
  if (v.isNull()) return OptionValue::null_value();
  if (v.isTrue() || v.isFalse()) return OptionValue::of(v.isTrue());
  if (v.isNumber()) return OptionValue::of(v.as<double>());
  if (v.isString()) return OptionValue::of(v.as<std::string>());
  const bool is_view = val::global("ArrayBuffer").call<bool>("isView", v);
  const bool is_list = is_view ? !v.instanceof(val::global("DataView"))
                               : val::global("Array").call<bool>("isArray", v);
  const std::string length = is_view ? val::global("String")(v["length"]).as<std::string>() : "";
  if (is_list) {
    OptionValue list;
    list.kind = OptionValue::Kind::list;
    if (is_view) list.text = "a " + v["constructor"]["name"].as<std::string>() + " of length " + length;
    const unsigned n = v["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) list.list.push_back(option_value(v[i]));
    return list;
  }
  if (is_view) return OptionValue::described("a DataView of length " + length);
  const std::string type = v.typeOf().as<std::string>();
  if (type != "object") return OptionValue::described("a " + type);
  OptionValue object;
  object.kind = OptionValue::Kind::object;
  const val keys = val::global("Object").call<val>("keys", v);
  const unsigned n = keys["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) {
    const std::string key = keys[i].as<std::string>();
    object.fields.emplace_back(key, option_value(v[key]));
  }
  return object;
}

}  // namespace bn::bindings
