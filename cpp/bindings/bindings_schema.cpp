// optionSchema(): the option schema of the core (cpp/src/option_schema.cpp)
// as JSON text; web/js/bn.js parses it into bn.schema. docs/api.md ("Option
// schema") describes its shape.
#include <emscripten/bind.h>

#include <string>

#include "bn/option_schema.hpp"
#include "convert.hpp"

namespace bn::bindings {

// The JSON text, or undefined if the tables themselves are broken (a bug the
// C++ tests catch).
emscripten::val optionSchema() {
  std::string error;
  return catching(error, "the option schema", [] { return option_schema_json(); });
}

}  // namespace bn::bindings

EMSCRIPTEN_BINDINGS(bn_schema) { emscripten::function("optionSchema", &bn::bindings::optionSchema); }
