// Helpers shared by the Embind bindings: C++ errors -> failure values, and
// float arrays -> fresh JS Float32Array copies. The only place besides
// bindings_*.cpp that sees Emscripten.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace bn::bindings {

// Errors never cross into JavaScript as exceptions. A JS exception thrown
// through WebAssembly frames skips their epilogues, so every such error would
// leak shadow stack (the instance died with "memory access out of bounds"
// after ~16k bad inputs). Instead each binding call that can fail runs its
// body through catching(): on a C++ exception the message is kept (the
// binding's lastError()) and a failure value the JS wrapper recognises is
// returned (address 0, false, null, undefined); the wrapper then throws the
// Error from plain JS. `too_large` names what to blame when memory runs out.
template <typename R, typename F>
R catching(std::string& error, R on_error, const char* too_large, F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    error = std::string(too_large) + " is too large: out of WebAssembly memory";
  } catch (const std::length_error&) {
    error = std::string(too_large) + " is too large: out of WebAssembly memory";
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "bn-wasm: unknown C++ error";
  }
  return on_error;
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
