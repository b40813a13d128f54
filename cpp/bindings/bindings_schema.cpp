// optionSchema(): the option schema of the core (cpp/src/option_schema.cpp)
// as plain JS objects, exposed as bn.schema. The JS validators and the pages
// read it; docs/api.md ("Option schema") describes its shape.
#include <emscripten/bind.h>

#include <cmath>
#include <string>

#include "bn/option_schema.hpp"
#include "convert.hpp"

namespace bn::bindings {

using emscripten::val;

namespace {

val to_js(const OptionValue& v) {
  switch (v.kind) {
    case OptionValue::Kind::null: return val::null();
    case OptionValue::Kind::boolean: return val(v.boolean);
    case OptionValue::Kind::number: return val(v.number);
    case OptionValue::Kind::string: return val(v.text);
    case OptionValue::Kind::list: {
      val out = val::array();
      for (const OptionValue& x : v.list) out.call<void>("push", to_js(x));
      return out;
    }
    default: return val::undefined();
  }
}

const char* type_name(OptionType t) {
  switch (t) {
    case OptionType::boolean: return "boolean";
    case OptionType::integer: return "integer";
    case OptionType::number: return "number";
    case OptionType::choice: return "enum";
    case OptionType::integer_list: return "array";
  }
  return "?";
}

// Only the bounds that exist (JSON has no Infinity).
void set_bounds(val& out, double min, double max) {
  if (std::isfinite(min)) out.set("min", min);
  if (std::isfinite(max)) out.set("max", max);
}

val group(const std::vector<OptionSpec>& specs) {
  val out = val::object();
  for (const OptionSpec& s : specs) out.set(s.name, descriptor(s));
  return out;
}

}  // namespace

val descriptor(const OptionSpec& s) {
  val out = val::object();
  out.set("type", std::string(type_name(s.type)));
  if (s.default_value.kind != OptionValue::Kind::absent) out.set("default", to_js(s.default_value));
  switch (s.type) {
    case OptionType::integer:
      set_bounds(out, s.min, s.max);
      break;
    case OptionType::number:
      set_bounds(out, s.min, s.max);
      if (s.min_exclusive) out.set("minExclusive", true);
      if (s.nullable) out.set("nullable", true);
      break;
    case OptionType::choice: {
      val values = val::array();
      for (const std::string& name : *s.values) values.call<void>("push", name);
      out.set("values", values);
      break;
    }
    case OptionType::integer_list: {
      out.set("minLength", s.min_length);
      out.set("maxLength", s.max_length);
      val items = val::object();
      items.set("type", std::string("integer"));
      set_bounds(items, s.min, s.max);
      out.set("items", items);
      out.set("itemLabel", val(s.item_label));
      break;
    }
    case OptionType::boolean:
      break;
  }
  out.set("doc", val(s.doc));
  return out;
}

// { BatchNorm1d: { arguments: {...}, options: {...} }, Trainer: {...} };
// undefined only if the tables themselves are broken (a bug the C++ tests catch).
val optionSchema() {
  std::string error;
  return catching(error, "the option schema", [] {
    val out = val::object();
    for (const SchemaGroup& g : option_schema()) {
      val entry = val::object();
      entry.set("arguments", group(g.arguments));
      entry.set("options", group(g.options));
      out.set(g.name, entry);
    }
    return out;
  });
}

}  // namespace bn::bindings

EMSCRIPTEN_BINDINGS(bn_schema) { emscripten::function("optionSchema", &bn::bindings::optionSchema); }
