// The rules of a descriptor (bn/option_schema.hpp) and their messages. The
// same rules, word for word, are in web/js/validate.js (checkValue): a bad
// option gets the same Error from the JS wrapper and from the C++ core.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "bn/option_schema.hpp"

namespace bn {
namespace {

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

// JSON.stringify of a string, after validate.js's cut to 40 UTF-16 units + "…".
std::string json_quote(const std::string& s) {
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
  std::string out = "\"";
  for (const char c : cut) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\u%04x", static_cast<unsigned>(c));
          out += hex;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
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

OptionValue OptionValue::of(const std::vector<int>& xs) {
  OptionValue v;
  v.kind = Kind::list;
  for (const int x : xs) v.list.push_back(of(static_cast<double>(x)));
  return v;
}

// ECMAScript Number::toString: the shortest digits that read back as x, in
// plain notation for exponents -7 < e < 21, else d.ddde+X.
std::string js_number(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x == 0.0) return "0";
  const std::string sign = x < 0 ? "-" : "";
  x = std::fabs(x);
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  const std::string s(buf);
  const std::size_t e = s.find('e');
  std::string digits;
  for (std::size_t i = 0; i < e; ++i)
    if (s[i] != '.') digits += s[i];
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int k = static_cast<int>(digits.size());
  const int n = std::atoi(s.c_str() + e + 1) + 1;   // x = 0.digits * 10^n
  if (k <= n && n <= 21) return sign + digits + std::string(static_cast<std::size_t>(n - k), '0');
  if (0 < n && n <= 21) return sign + digits.substr(0, n) + "." + digits.substr(n);
  if (-6 < n && n <= 0) return sign + "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
  const int exponent = n - 1;
  return sign + digits.substr(0, 1) + (k > 1 ? "." + digits.substr(1) : "") + "e" +
         (exponent >= 0 ? "+" : "-") + std::to_string(std::abs(exponent));
}

std::string describe(const OptionValue& v) {
  switch (v.kind) {
    case OptionValue::Kind::absent: return "undefined";
    case OptionValue::Kind::null: return "null";
    case OptionValue::Kind::boolean: return v.boolean ? "true" : "false";
    case OptionValue::Kind::number: return js_number(v.number);
    case OptionValue::Kind::string: return json_quote(v.text);
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

void check_value(const OptionSpec& s, const OptionValue& v) {
  using Kind = OptionValue::Kind;
  const auto got = [&v] { return ", got " + describe(v); };   // built only for a message
  switch (s.type) {
    case OptionType::boolean:
      if (v.kind != Kind::boolean) fail(std::string(s.name) + " must be true or false" + got());
      return;
    case OptionType::integer:
      if (v.kind != Kind::number || !is_integer(v.number) || v.number < s.min || v.number > s.max)
        fail(std::string(s.name) + " must be an integer" + integer_range(s.min, s.max) + got());
      return;
    case OptionType::number:
      if (s.nullable && v.kind == Kind::null) return;
      if (v.kind != Kind::number || !std::isfinite(v.number) || v.number > s.max ||
          (s.min_exclusive ? v.number <= s.min : v.number < s.min))
        fail(std::string(s.name) + " must be a finite number" + number_bounds(s) + (s.nullable ? ", or null" : "") + got());
      return;
    case OptionType::choice: {
      if (v.kind == Kind::string)
        for (const std::string& allowed : *s.values)
          if (v.text == allowed) return;
      std::string list;
      for (const std::string& allowed : *s.values) list += (list.empty() ? "" : ", ") + json_quote(allowed);
      fail(std::string(s.name) + " must be one of " + list + got());
    }
    case OptionType::integer_list: {
      const int n = static_cast<int>(v.list.size());
      if (v.kind != Kind::list || n < s.min_length || n > s.max_length)
        fail(std::string(s.name) + " must be an array of " + std::to_string(s.min_length) + " to " +
             std::to_string(s.max_length) + " " + std::string(s.item_label) + got());
      for (int i = 0; i < n; ++i) {
        const OptionValue& entry = v.list[static_cast<std::size_t>(i)];
        if (entry.kind != Kind::number || !is_integer(entry.number) || entry.number < s.min ||
            entry.number > s.max)
          fail(std::string(s.name) + "[" + std::to_string(i) + "] must be an integer" +
               integer_range(s.min, s.max) + ", got " + describe(entry));
      }
      return;
    }
  }
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
    fail("unknown " + std::string(owner) + " option " + json_quote(field.first) + " (expected " + expected + ")");
  }
}

const OptionSpec& spec_named(const std::vector<OptionSpec>& specs, const char* name) {
  for (const OptionSpec& s : specs)
    if (std::strcmp(s.name, name) == 0) return s;
  throw std::logic_error("option schema: no entry named " + std::string(name));
}

}  // namespace bn
