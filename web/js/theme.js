// The pages' light/dark theme: follows the system's prefers-color-scheme until
// the reader presses the toggle; that choice is remembered in localStorage
// ("bn-theme": "light" | "dark"), shared by every page of the site, and shown
// as data-theme on <html> (absent = follow the system). The toggle is a
// <button aria-pressed> named "Dark theme", pressed while the page is dark.
export const THEME_STORAGE_KEY = "bn-theme";

export function storedTheme() {
  try {
    const theme = localStorage.getItem(THEME_STORAGE_KEY);
    return theme === "light" || theme === "dark" ? theme : null;
  } catch {
    return null;   // storage blocked: follow the system
  }
}

// Wires `toggle` and applies the stored choice now. onChange(theme) runs after
// every change of the page's colours: a press, the system switching, another
// tab choosing; theme is "light", "dark" or null (following the system).
export function setupThemeToggle(toggle, onChange = () => {}) {
  const darkQuery = matchMedia("(prefers-color-scheme: dark)");

  function apply(theme) {
    if (theme) document.documentElement.dataset.theme = theme;
    else delete document.documentElement.dataset.theme;
    const dark = theme ? theme === "dark" : darkQuery.matches;
    toggle.setAttribute("aria-pressed", String(dark));
    onChange(theme);
  }

  toggle.addEventListener("click", () => {
    const theme = toggle.getAttribute("aria-pressed") === "true" ? "light" : "dark";
    try { localStorage.setItem(THEME_STORAGE_KEY, theme); } catch { /* private mode: not remembered */ }
    apply(theme);
  });
  darkQuery.addEventListener("change", () => apply(storedTheme()));
  window.addEventListener("storage", (event) => {
    if (event.key === THEME_STORAGE_KEY) apply(storedTheme());
  });
  apply(storedTheme());
  return { get chosen() { return storedTheme(); } };
}
