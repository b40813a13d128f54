// What the mkdocs theme's inline <script> would set (a strict Content-Security-Policy
// blocks inline scripts): the site's base URL and the keyboard shortcuts, read
// from <meta> tags written by overrides/main.html.
var base_url = document.querySelector('meta[name="mkdocs-base-url"]').content;
var shortcuts = JSON.parse(document.querySelector('meta[name="mkdocs-shortcuts"]').content);
