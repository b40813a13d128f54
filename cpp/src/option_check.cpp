// The rules of a descriptor (bn/option_schema.hpp) and their messages. The
// same rules, word for word, are in web/js/validate.js (checkValue): a bad
// option gets the same Error from the JS wrapper and from the C++ core.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "bn/option_schema.hpp"

namespace bn {
namespace {

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

// validate.js's describe() of a string: cut to 40 UTF-16 units + "…", then JSON.
std::string quote_cut(const std::string& s) {
  std::string cut;
  int units = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char lead = static_cast<unsigned char>(s[i]);
    const std::size_t len = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    units += len == 4 ? 2 : 1;
    if (units > 40) break;
    cut += s.substr(i, len);
    i += len;
  }
  if (i < s.size()) cut += "\xe2\x80\xa6";   // …
  return json_string(cut);
}

bool is_integer(double x) { return std::isfinite(x) && std::floor(x) == x; }

// " in [a, b]", " >= a", " <= b" or "" (validate.js: integerRange).
std::string integer_range(double min, double max) {
  const bool lo = std::isfinite(min), hi = std::isfinite(max);
  if (lo && hi) return " in [" + js_number(min) + ", " + js_number(max) + "]";
  if (lo) return " >= " + js_number(min);
  if (hi) return " <= " + js_number(max);
  return "";
}

// " > a", " >= a and <= b", ... (validate.js: numberBounds).
std::string number_bounds(const OptionSpec& s) {
  std::string lower, upper;
  if (std::isfinite(s.min)) lower = (s.min_exclusive ? " > " : " >= ") + js_number(s.min);
  if (std::isfinite(s.max)) upper = " <= " + js_number(s.max);
  return lower + (!lower.empty() && !upper.empty() ? " and" : "") + upper;
}

}  // namespace

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    const char* escape = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                       : c == '\t' ? "\\t" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : nullptr;
    if (escape) {
      out += escape;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += "\\u00";
      out += "0123456789abcdef"[(c >> 4) & 0xf];
      out += "0123456789abcdef"[c & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

OptionValue OptionValue::of(const std::vector<int>& xs) {
  OptionValue v;
  v.kind = Kind::list;
  for (const int x : xs) v.list.push_back(of(static_cast<double>(x)));
  return v;
}

std::string describe(const OptionValue& v) {
  switch (v.kind) {
    case OptionValue::Kind::absent: return "undefined";
    case OptionValue::Kind::null: return "null";
    case OptionValue::Kind::boolean: return v.boolean ? "true" : "false";
    case OptionValue::Kind::number: return js_number(v.number);
    case OptionValue::Kind::string: return quote_cut(v.text);
    case OptionValue::Kind::list:
      return v.text.empty() ? "an array of length " + std::to_string(v.list.size()) : v.text;
    case OptionValue::Kind::object: return "a object";
    case OptionValue::Kind::other: return v.text;
  }
  return "?";
}

std::size_t parse_choice(const char* name, const std::vector<std::string>& values,
                         const std::string& value) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] == value) return i;
  OptionSpec spec;
  spec.name = name;
  spec.type = OptionType::choice;
  spec.values = &values;
  check_value(spec, OptionValue::of(value));   // throws: value is not in the list
  return values.size();
}

namespace {

// The rule a value breaks, as the message words it after the name.
std::string rule(const OptionSpec& s) {
  switch (s.type) {
    case OptionType::boolean: return " must be true or false";
    case OptionType::integer: return " must be an integer" + integer_range(s.min, s.max);
    case OptionType::number:
      return " must be a finite number" + number_bounds(s) + (s.nullable ? ", or null" : "");
    case OptionType::choice: {
      std::string list;
      for (const std::string& allowed : *s.values) list += (list.empty() ? "" : ", ") + json_string(allowed);
      return " must be one of " + list;
    }
    case OptionType::integer_list:
      return " must be an array of " + std::to_string(s.min_length) + " to " + std::to_string(s.max_length) +
             " " + s.item_label;
  }
  return "";
}

bool is_integer_in(const OptionValue& v, double min, double max) {
  return v.kind == OptionValue::Kind::number && is_integer(v.number) && v.number >= min && v.number <= max;
}

}  // namespace

void check_value(const OptionSpec& s, const OptionValue& v) {
  using Kind = OptionValue::Kind;
  bool ok = false;
  switch (s.type) {
    case OptionType::boolean: ok = v.kind == Kind::boolean; break;
    case OptionType::integer: ok = is_integer_in(v, s.min, s.max); break;
    case OptionType::number:
      ok = (s.nullable && v.kind == Kind::null) ||
           (v.kind == Kind::number && std::isfinite(v.number) && v.number <= s.max &&
            (s.min_exclusive ? v.number > s.min : v.number >= s.min));
      break;
    case OptionType::choice:
      for (const std::string& allowed : *s.values) ok = ok || (v.kind == Kind::string && v.text == allowed);
      break;
    case OptionType::integer_list: {
      const int n = static_cast<int>(v.list.size());
      ok = v.kind == Kind::list && n >= s.min_length && n <= s.max_length;
      for (int i = 0; ok && i < n; ++i) {
        const OptionValue& entry = v.list[static_cast<std::size_t>(i)];
        if (!is_integer_in(entry, s.min, s.max))   // the entry's own message
          fail(s.name + ("[" + std::to_string(i) + "] must be an integer") + integer_range(s.min, s.max) +
               ", got " + describe(entry));
      }
      break;
    }
  }
  if (!ok) fail(s.name + rule(s) + ", got " + describe(v));   // built only for a message
}

void check_known_keys(const char* owner, const std::vector<const char*>& names,
                      const OptionValue& options) {
  using Kind = OptionValue::Kind;
  if (options.kind == Kind::absent) return;
  if (options.kind != Kind::object)
    fail(std::string(owner) + " options must be an object, got " + describe(options));
  for (const auto& field : options.fields) {
    bool known = false;
    for (const char* name : names) known = known || field.first == name;
    if (known) continue;
    std::string expected;
    for (const char* name : names) expected += (expected.empty() ? "" : ", ") + std::string(name);
    fail("unknown " + std::string(owner) + " option " + json_string(field.first) + " (expected " + expected + ")");
  }
}

const OptionSpec& spec_named(const std::vector<OptionSpec>& specs, const char* name) {
  for (const OptionSpec& s : specs)
    if (std::strcmp(s.name, name) == 0) return s;
  throw std::logic_error("option schema: no entry named " + std::string(name));
}

}  // namespace bn
