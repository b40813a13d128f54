// The rules of a descriptor (bn/option_schema.hpp) and their messages. The
// same rules, word for word, are in web/js/validate.js (checkValue): a bad
// option gets the same Error from the JS wrapper and from the C++ core.
// Messages are built by appending to one string (cold code, kept small: every
// string temporary costs an exception landing pad in WebAssembly).
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "bn/option_schema.hpp"

namespace bn {
namespace {

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

bool is_integer_in(const OptionValue& v, double min, double max) {
  return v.kind == OptionValue::Kind::number && std::isfinite(v.number) && std::floor(v.number) == v.number &&
         v.number >= min && v.number <= max;
}

// " in [a, b]", " >= a", " <= b" or "" (validate.js: integerRange).
void put_integer_range(std::string& out, double min, double max) {
  const bool lo = std::isfinite(min), hi = std::isfinite(max);
  if (lo && hi) {
    out += " in [";
    out += js_number(min);
    out += ", ";
    out += js_number(max);
    out += ']';
  } else if (lo || hi) {
    out += lo ? " >= " : " <= ";
    out += js_number(lo ? min : max);
  }
}

// " > a", " >= a and <= b", " <= b" or "" (validate.js: numberBounds).
void put_number_bounds(std::string& out, const OptionSpec& s) {
  const bool lo = std::isfinite(s.min), hi = std::isfinite(s.max);
  if (lo) {
    out += s.min_exclusive ? " > " : " >= ";
    out += js_number(s.min);
  }
  if (lo && hi) out += " and";
  if (hi) {
    out += " <= ";
    out += js_number(s.max);
  }
}

// validate.js's describe() of a string: cut to 40 UTF-16 units + "…", then JSON.
void put_cut_string(std::string& out, const std::string& s) {
  std::size_t i = 0;
  for (int units = 0; i < s.size();) {
    const unsigned char lead = static_cast<unsigned char>(s[i]);
    const std::size_t len = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    units += len == 4 ? 2 : 1;
    if (units > 40) break;
    i += len;
  }
  out += json_string(i < s.size() ? s.substr(0, i) + "\xe2\x80\xa6" : s);   // …
}

void put_described(std::string& out, const OptionValue& v) {
  switch (v.kind) {
    case OptionValue::Kind::absent: out += "undefined"; return;
    case OptionValue::Kind::null: out += "null"; return;
    case OptionValue::Kind::boolean: out += v.boolean ? "true" : "false"; return;
    case OptionValue::Kind::number: out += js_number(v.number); return;
    case OptionValue::Kind::string: put_cut_string(out, v.text); return;
    case OptionValue::Kind::list:
      if (!v.text.empty()) {
        out += v.text;
      } else {
        out += "an array of length ";
        out += std::to_string(v.list.size());
      }
      return;
    case OptionValue::Kind::object: out += "a object"; return;
    case OptionValue::Kind::other: out += v.text; return;
  }
}

// The rule a value breaks, as the message words it after the name.
void put_rule(std::string& out, const OptionSpec& s) {
  switch (s.type) {
    case OptionType::boolean: out += " must be true or false"; return;
    case OptionType::integer:
      out += " must be an integer";
      put_integer_range(out, s.min, s.max);
      return;
    case OptionType::number:
      out += " must be a finite number";
      put_number_bounds(out, s);
      if (s.nullable) out += ", or null";
      return;
    case OptionType::choice:
      out += " must be one of ";
      for (std::size_t i = 0; i < s.values->size(); ++i) {
        if (i > 0) out += ", ";
        out += json_string((*s.values)[i]);
      }
      return;
    case OptionType::integer_list:
      out += " must be an array of ";
      out += std::to_string(s.min_length);
      out += " to ";
      out += std::to_string(s.max_length);
      out += ' ';
      out += s.item_label;
      return;
  }
}

[[noreturn]] void fail_with(std::string message, const OptionValue& got) {
  message += ", got ";
  put_described(message, got);
  fail(message);
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
  out += '"';
  return out;
}

OptionValue OptionValue::of(const std::vector<int>& xs) {
  OptionValue v;
  v.kind = Kind::list;
  for (const int x : xs) v.list.push_back(of(static_cast<double>(x)));
  return v;
}

std::string describe(const OptionValue& v) {
  std::string out;
  put_described(out, v);
  return out;
}

std::size_t parse_choice(const char* option, const NameList& values, const std::string& value) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (value == values[i]) return i;
  OptionSpec spec;
  spec.name = option;
  spec.type = OptionType::choice;
  spec.values = &values;
  check_value(spec, OptionValue::of(value));   // throws: value is not in the list
  return values.size();
}

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
      for (const char* allowed : *s.values) ok = ok || (v.kind == Kind::string && v.text == allowed);
      break;
    case OptionType::integer_list: {
      ok = v.kind == Kind::list && static_cast<int>(v.list.size()) >= s.min_length &&
           static_cast<int>(v.list.size()) <= s.max_length;
      for (std::size_t i = 0; ok && i < v.list.size(); ++i) {
        if (is_integer_in(v.list[i], s.min, s.max)) continue;
        std::string message = s.name;   // the entry's own message: NAME[i] must be an integer ...
        message += '[';
        message += std::to_string(i);
        message += "] must be an integer";
        put_integer_range(message, s.min, s.max);
        fail_with(message, v.list[i]);
      }
      break;
    }
  }
  if (ok) return;
  std::string message = s.name;   // built only for a message
  put_rule(message, s);
  fail_with(message, v);
}

void check_known_keys(const char* owner, const std::vector<const char*>& names,
                      const OptionValue& options) {
  using Kind = OptionValue::Kind;
  if (options.kind == Kind::absent) return;
  if (options.kind != Kind::object) fail_with(std::string(owner) + " options must be an object", options);
  for (const auto& field : options.fields) {
    bool known = false;
    for (const char* name : names) known = known || field.first == name;
    if (known) continue;
    std::string message = "unknown ";
    message += owner;
    message += " option ";
    message += json_string(field.first);
    message += " (expected ";
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i > 0) message += ", ";
      message += names[i];
    }
    message += ')';
    fail(message);
  }
}

const OptionSpec& spec_named(const std::vector<OptionSpec>& specs, const char* name) {
  for (const OptionSpec& s : specs)
    if (std::strcmp(s.name, name) == 0) return s;
  throw std::logic_error(std::string("option schema: no entry named ") + name);
}

}  // namespace bn
