// Keyboard shortcuts for stepping in front of a class: → or Space for the
// next step (from the last forward step into the backward pass), ← for the
// previous one, Escape to leave presenter mode. Never while typing (a text
// field, a radio group, a sideways-scrolling box takes its own keys), and
// never with Ctrl / Alt / Meta held.
//
// Which stepper listens: the one in presenter mode, the one that holds the
// focus, and, on the page (`global`), the page's own stepper while nothing
// else is focused. Several widgets on one page therefore never all step.
import * as T from "./transitions.js";

export const SHORTCUTS = "Keys: → or Space next step, ← previous step, Esc leaves presenter mode (not while typing in a cell).";

const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);
// Elements where Space already does something (press, toggle, follow).
const ACTIVATES = new Set(["BUTTON", "SUMMARY", "A"]);

function takesKey(target, key) {
  if (!target || target.nodeType !== 1) return false;
  if (TYPING.has(target.tagName) || target.isContentEditable) return true;
  if (key === " " && ACTIVATES.has(target.tagName)) return true;
  // A box that scrolls sideways keeps its arrow keys.
  return (key === "ArrowLeft" || key === "ArrowRight") && target.scrollWidth > target.clientWidth + 1 &&
    getComputedStyle(target).overflowX !== "visible";
}

export function wireShortcuts(ui, { state, update, global = false }) {
  const onKey = (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (!["ArrowRight", "ArrowLeft", " ", "Escape"].includes(e.key)) return;
    const path = e.composedPath();
    const target = path[0];
    const s = state();
    const focusedHere = path.includes(ui.container);
    const idle = target === document.body || target === document.documentElement || target === document;
    if (!(s.presenter || focusedHere || (global && idle))) return;
    if (takesKey(target, e.key)) return;
    let next = null;
    if (e.key === "ArrowRight" || e.key === " ") next = T.advance(s);
    else if (e.key === "ArrowLeft") next = T.previousStep(s);
    else if (s.presenter) next = T.setPresenter(s, false);
    if (!next) return;
    e.preventDefault();
    if (next !== s) update(next, e.key === "Escape" ? "presenter" : "navigate");
  };
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
}
