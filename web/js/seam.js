// The JS side of the seam protocol (cpp/bindings/convert.hpp): a binding
// never throws. A method that can fail returns FAILED (undefined) and keeps
// its message for lastError(); a constructor that failed leaves ok() false.
// These two helpers turn either into an Error thrown from plain JS, so no
// JS exception ever unwinds through WebAssembly frames. Every wrapper
// (batchnorm.js, trainer-api.js) calls its binding through them.
import { fail } from "./validate.js";

export const FAILED = undefined;

// `result` of a binding call, or an Error with the binding's message.
export function checked(native, result) {
  if (result === FAILED) fail(native.lastError());
  return result;
}

// new Binding(...args), or an Error with its message (the half-built native
// object is freed first).
export function construct(Binding, ...args) {
  const native = new Binding(...args);
  if (!native.ok()) {
    const message = native.lastError();
    native.delete();
    fail(message);
  }
  return native;
}
