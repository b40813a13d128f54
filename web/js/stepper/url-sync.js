// The page's stepper keeps its whole state in location.hash (state.js
// encodeState / decodeState), so any view is a link: every change replaces
// the hash (no history entry per keystroke), and a hash changed by hand or
// by Back/Forward is read again. Widgets do not touch the URL.
import { decodeState, encodeState } from "./state.js";

// The state in the URL now, or null when it holds none.
export function stateInUrl() {
  return typeof location === "undefined" ? null : decodeState(location.hash);
}

// onChange(state) is called with a state read from an edited hash.
export function syncWithUrl(onChange) {
  let written = "";
  const onHashChange = () => {
    if (location.hash === written) return;
    const decoded = decodeState(location.hash);
    if (decoded) onChange(decoded);
  };
  window.addEventListener("hashchange", onHashChange);
  return {
    write(state) {
      const hash = `#${encodeState(state)}`;
      if (hash === location.hash) return;
      written = hash;
      history.replaceState(null, "", hash);
    },
    destroy: () => window.removeEventListener("hashchange", onHashChange),
  };
}
