// Helpers shared by the Embind bindings: C++ errors -> JS Errors, and
// float arrays -> fresh JS Float32Array copies. The only place besides
// bindings_*.cpp that sees Emscripten.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace bn::bindings {

// Throws a JavaScript Error carrying the message (a bare C++ exception would
// reach JS as a number).
[[noreturn]] inline void throw_js_error(const std::string& message) {
  emscripten::val::global("Error").new_(emscripten::val(message)).throw_();
  __builtin_unreachable();
}

// Runs f, turning any C++ exception into a JS Error with its message.
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return std::forward<F>(f)();
  } catch (const std::exception& e) {
    throw_js_error(e.what());
  } catch (...) {
    throw_js_error("bn-wasm: unknown C++ error");
  }
}

// A fresh Float32Array copy of n floats at p.
inline emscripten::val float32_copy(const float* p, std::size_t n) {
  return emscripten::val::global("Float32Array")
      .new_(emscripten::val(emscripten::typed_memory_view(n, p)));
}
inline emscripten::val float32_copy(const std::vector<float>& v) {
  return float32_copy(v.data(), v.size());
}

// Raw pointers cross the JS boundary as byte addresses into the heap.
inline std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

}  // namespace bn::bindings
