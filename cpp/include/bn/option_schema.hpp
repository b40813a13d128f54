// The option schema: one descriptor per option of every layer and of the
// trainer (name, type, range or enum values, default, what it means). The
// validators and their messages here, the JS validators (web/js/validate.js,
// through the optionSchema() binding exposed as bn.schema) and the page
// controls all read it, so a name, range or default is written once: in
// cpp/src/option_schema.cpp (ranges, enum values) and in the options struct
// (the default, read back from a default-constructed struct).
//
// Values arrive as OptionValue, a JSON-like value the bindings build from a
// JS value (and the C++ structs convert to), so that C++ can name the bad
// option and describe the bad value exactly as the JS side does.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bn/name_list.hpp"

namespace bn {

// A JS value as the validators see it.
struct OptionValue {
  enum class Kind { absent, null, boolean, number, string, list, object, other };
  Kind kind = Kind::absent;   // absent: undefined (the option takes its default)
  bool boolean = false;
  double number = 0.0;
  std::string text;           // string: the value; list: how to describe it if not
                              // "an array of length N"; other: its description
  std::vector<OptionValue> list;
  std::vector<std::pair<std::string, OptionValue>> fields;   // object: own keys in order

  static OptionValue null_value() { OptionValue v; v.kind = Kind::null; return v; }
  static OptionValue of(bool b) { OptionValue v; v.kind = Kind::boolean; v.boolean = b; return v; }
  static OptionValue of(double x) { OptionValue v; v.kind = Kind::number; v.number = x; return v; }
  static OptionValue of(std::string s) { OptionValue v; v.kind = Kind::string; v.text = std::move(s); return v; }
  static OptionValue of(const std::vector<int>& xs);
  static OptionValue described(std::string what) { OptionValue v; v.kind = Kind::other; v.text = std::move(what); return v; }
};

enum class OptionType { boolean, integer, number, choice, integer_list };

// One option (or argument): its rule and its meaning. Names and texts point
// at string literals, enum values at the enum's own name list.
struct OptionSpec {
  static constexpr double kUnbounded = std::numeric_limits<double>::infinity();
  const char* name = "";
  OptionType type = OptionType::number;
  const char* doc = "";
  double min = -kUnbounded, max = kUnbounded;   // integer, number; integer_list: each entry
  bool min_exclusive = false;                   // number: min itself is refused
  bool nullable = false;                        // number: null is allowed too
  const NameList* values = nullptr;             // choice
  int min_length = 0, max_length = 0;           // integer_list
  const char* item_label = "";                  // integer_list: what an entry is ("layer widths")
  OptionValue default_value;                    // absent for arguments without a default
};

// JS's String(number) (shortest round trip: 0.1, 1e-7, 4294967295, NaN).
std::string js_number(double x);
// JSON.stringify of a string (UTF-8 in, UTF-8 out).
std::string json_string(const std::string& s);
// validate.js's describe(): how a message shows the value it got.
std::string describe(const OptionValue& v);
// Throws std::invalid_argument with the schema's message when v breaks spec.
void check_value(const OptionSpec& spec, const OptionValue& v);

// The member of the struct Options an option lives in; the constructor
// overload picks the kind from the member's type.
template <typename Options>
struct OptionMember {
  enum class Kind { flag, int32, uint32, real, optional_real, text, int_list };
  Kind kind;
  bool Options::*flag = nullptr;
  int Options::*int32 = nullptr;
  std::uint32_t Options::*uint32 = nullptr;
  double Options::*real = nullptr;
  std::optional<double> Options::*optional_real = nullptr;
  std::string Options::*text = nullptr;
  std::vector<int> Options::*int_list = nullptr;
  OptionMember(bool Options::*m) : kind(Kind::flag), flag(m) {}
  OptionMember(int Options::*m) : kind(Kind::int32), int32(m) {}
  OptionMember(std::uint32_t Options::*m) : kind(Kind::uint32), uint32(m) {}
  OptionMember(double Options::*m) : kind(Kind::real), real(m) {}
  OptionMember(std::optional<double> Options::*m) : kind(Kind::optional_real), optional_real(m) {}
  OptionMember(std::string Options::*m) : kind(Kind::text), text(m) {}
  OptionMember(std::vector<int> Options::*m) : kind(Kind::int_list), int_list(m) {}
};

// An option of the struct Options: its spec and its member.
template <typename Options>
struct OptionField {
  OptionSpec spec;
  OptionMember<Options> member;
};
template <typename Options>
using OptionTable = std::vector<OptionField<Options>>;

// The value of f's member in o, as the validators see it.
template <typename Options>
OptionValue field_value(const OptionField<Options>& f, const Options& o) {
  using Kind = typename OptionMember<Options>::Kind;
  const OptionMember<Options>& m = f.member;
  switch (m.kind) {
    case Kind::flag: return OptionValue::of(o.*m.flag);
    case Kind::int32: return OptionValue::of(static_cast<double>(o.*m.int32));
    case Kind::uint32: return OptionValue::of(static_cast<double>(o.*m.uint32));
    case Kind::real: return OptionValue::of(o.*m.real);
    case Kind::optional_real:
      return o.*m.optional_real ? OptionValue::of(*(o.*m.optional_real)) : OptionValue::null_value();
    case Kind::text: return OptionValue::of(o.*m.text);
    case Kind::int_list: return OptionValue::of(o.*m.int_list);
  }
  return OptionValue{};
}

// Sets f's member in o from v (already checked against f.spec).
template <typename Options>
void set_field(const OptionField<Options>& f, Options& o, const OptionValue& v) {
  using Kind = typename OptionMember<Options>::Kind;
  const OptionMember<Options>& m = f.member;
  switch (m.kind) {
    case Kind::flag: o.*m.flag = v.boolean; return;
    case Kind::int32: o.*m.int32 = static_cast<int>(v.number); return;
    case Kind::uint32: o.*m.uint32 = static_cast<std::uint32_t>(v.number); return;
    case Kind::real: o.*m.real = v.number; return;
    case Kind::optional_real:
      o.*m.optional_real = v.kind == OptionValue::Kind::null ? std::nullopt : std::optional<double>(v.number);
      return;
    case Kind::text: o.*m.text = v.text; return;
    case Kind::int_list:
      (o.*m.int_list).clear();
      for (const OptionValue& x : v.list) (o.*m.int_list).push_back(static_cast<int>(x.number));
      return;
  }
}

// The tables (cpp/src/option_schema.cpp). Arguments are the non-option
// parameters whose range the schema owns (BatchNorm1d's features, Trainer's
// step(n) and predictGrid(res)).
struct BatchNormOptions;
struct TrainerOptions;
struct LayerNormOptions;
struct GroupNormOptions;
struct InstanceNormOptions;
const OptionTable<BatchNormOptions>& batchnorm_option_table();   // BatchNorm1d and BatchNorm2d
const OptionTable<LayerNormOptions>& layernorm_option_table();
const OptionTable<GroupNormOptions>& groupnorm_option_table();
const OptionTable<InstanceNormOptions>& instancenorm_option_table();
const OptionTable<TrainerOptions>& trainer_option_table();
// tr.landscape({ steps, maxScale }): its arguments, with their defaults.
const std::vector<OptionSpec>& landscape_arguments();
const std::vector<OptionSpec>& batchnorm_arguments();
const std::vector<OptionSpec>& batchnorm2d_arguments();
const std::vector<OptionSpec>& layernorm_arguments();
const std::vector<OptionSpec>& groupnorm_arguments();
const std::vector<OptionSpec>& instancenorm_arguments();
const std::vector<OptionSpec>& trainer_arguments();
// The argument (or option) `name` of a list; std::logic_error if there is none.
const OptionSpec& spec_named(const std::vector<OptionSpec>& specs, const char* name);

// The whole schema as JSON text, every group in order (the optionSchema()
// binding exports it; cpp/src/option_schema_json.cpp describes the shape).
std::string option_schema_json();

// Checks every field of o against its spec (the first bad one throws).
template <typename Options>
void check_fields(const OptionTable<Options>& table, const Options& o) {
  for (const OptionField<Options>& f : table) check_value(f.spec, field_value(f, o));
}

// Options from a JS-like object: unknown keys, a non-object and bad values
// throw std::invalid_argument naming the option; absent keys keep the
// struct's default. `owner` names the options in messages ("Trainer").
void check_known_keys(const char* owner, const std::vector<const char*>& names,
                      const OptionValue& options);
template <typename Options>
Options read_options(const char* owner, const OptionTable<Options>& table,
                     const OptionValue& options) {
  std::vector<const char*> names;
  for (const OptionField<Options>& f : table) names.push_back(f.spec.name);
  check_known_keys(owner, names, options);
  Options o;
  for (const OptionField<Options>& f : table)
    for (const auto& [key, value] : options.fields)
      if (key == f.spec.name && value.kind != OptionValue::Kind::absent) {
        check_value(f.spec, value);
        set_field(f, o, value);
      }
  return o;
}

}  // namespace bn
