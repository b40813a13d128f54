// The helpers the option tables are written with (cpp/src/option_schema.cpp,
// cpp/src/option_schema_layers.cpp): one call per option, the default read
// back from a default-constructed options struct.
#pragma once

#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "bn/option_schema.hpp"

namespace bn::option_fields {

constexpr double kNone = OptionSpec::kUnbounded;


inline OptionSpec spec(const char* name, OptionType type, const char* doc) {
  OptionSpec s;
  s.name = name;
  s.type = type;
  s.doc = doc;
  return s;
}

inline OptionSpec integer_spec(const char* name, double min, double max, const char* doc) {
  OptionSpec s = spec(name, OptionType::integer, doc);
  s.min = min;
  s.max = max;
  return s;
}

// The field of member m, its default read back from a default-constructed struct.
template <typename O>
OptionField<O> field(OptionSpec s, OptionMember<O> m) {
  OptionField<O> f{std::move(s), m};
  f.spec.default_value = field_value(f, O{});
  return f;
}

template <typename O>
OptionField<O> boolean(const char* name, bool O::*m, const char* doc) {
  return field<O>(spec(name, OptionType::boolean, doc), m);
}

// An integer member of type M; the range must fit M (checked once, here).
template <typename O, typename M>
OptionField<O> integer(const char* name, M O::*m, double min, double max, const char* doc) {
  if (!(min >= static_cast<double>(std::numeric_limits<M>::lowest()) &&
        max <= static_cast<double>(std::numeric_limits<M>::max())))
    throw std::logic_error(std::string("option schema: the range of ") + name + " does not fit its member");
  return field<O>(integer_spec(name, min, max, doc), m);
}

// A number member (double), or one that may also be null (std::optional<double>).
template <typename O, typename M>
OptionField<O> number(const char* name, M O::*m, double min, bool min_exclusive, double max,
                      const char* doc) {
  OptionSpec s = spec(name, OptionType::number, doc);
  s.min = min;
  s.min_exclusive = min_exclusive;
  s.max = max;
  s.nullable = std::is_same_v<M, std::optional<double>>;
  return field<O>(std::move(s), m);
}

template <typename O>
OptionField<O> choice(const char* name, std::string O::*m, const NameList& values,
                      const char* doc) {
  OptionSpec s = spec(name, OptionType::choice, doc);
  s.values = &values;
  return field<O>(std::move(s), m);
}

template <typename O>
OptionField<O> integer_list(const char* name, std::vector<int> O::*m, int min_length, int max_length,
                            double min, double max, const char* item_label, const char* doc) {
  OptionSpec s = spec(name, OptionType::integer_list, doc);
  s.min_length = min_length;
  s.max_length = max_length;
  s.min = min;
  s.max = max;
  s.item_label = item_label;
  return field<O>(std::move(s), m);
}

}  // namespace bn::option_fields
