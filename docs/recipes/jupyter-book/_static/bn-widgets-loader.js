// Loads the bn-wasm widgets (an ES module) for a site that links only
// classic scripts, such as Jupyter Book 1, which links every .js in _static/
// on every page. This file sits in _static/; the package's dist/ files sit in
// bn-wasm/ at the site's root (Jupyter Book 1: html_extra_path), so the path
// works from pages at any depth. Needs no inline script: fine under a strict CSP.
import(new URL("../bn-wasm/bn-widgets.js", document.currentScript.src).href);
