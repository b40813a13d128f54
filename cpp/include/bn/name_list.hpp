// The names of an enum's values, indexed by the value (string literals: no
// construction code, no allocation), and parsing a name against them with
// the option schema's message ("dataset must be one of ...").
#pragma once

#include <cstddef>
#include <string>

namespace bn {

struct NameList {
  const char* const* names;
  std::size_t count;
  std::size_t size() const { return count; }
  const char* operator[](std::size_t i) const { return names[i]; }
  const char* const* begin() const { return names; }
  const char* const* end() const { return names + count; }
};

// The index of `value` in `values`, or std::invalid_argument
// "OPTION must be one of "a", "b", got "value"" (cpp/src/option_check.cpp).
std::size_t parse_choice(const char* option, const NameList& values, const std::string& value);

}  // namespace bn
