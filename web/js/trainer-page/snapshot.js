// A PNG of the panels as they are on screen: the panel backgrounds and
// borders, every canvas (decision boundaries, uPlot charts, strips) copied
// at its place, and the visible text (headings, figures, captions, legend
// values) written with its own font and colour. No library, no markup
// round trip, so it runs under the strict CSP.
const SCALE = 2;   // output pixels per CSS pixel

export function panelsPng(container) {
  const box = container.getBoundingClientRect();
  const canvas = document.createElement("canvas");
  canvas.width = Math.ceil(box.width * SCALE);
  canvas.height = Math.ceil(box.height * SCALE);
  const context = canvas.getContext("2d");
  context.scale(SCALE, SCALE);
  const at = (rect) => ({ x: rect.left - box.left, y: rect.top - box.top, w: rect.width, h: rect.height });

  const rootStyle = getComputedStyle(container);
  context.fillStyle = opaque(rootStyle.backgroundColor) ?? pageBackground(container);
  context.fillRect(0, 0, box.width, box.height);

  for (const element of container.querySelectorAll("*")) {
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || style.display === "none") continue;
    const r = at(element.getBoundingClientRect());
    if (!r.w || !r.h) continue;
    // A box, or a dot where the CSS rounds it fully (the point key).
    const round = style.borderTopLeftRadius === "50%";
    const shape = () => {
      context.beginPath();
      if (round) context.ellipse(r.x + r.w / 2, r.y + r.h / 2, r.w / 2 - 0.5, r.h / 2 - 0.5, 0, 0, 2 * Math.PI);
      else context.rect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
    };
    const background = opaque(style.backgroundColor);
    if (background) { context.fillStyle = background; shape(); context.fill(); }
    if (parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== "none" && element.tagName !== "CANVAS") {
      context.strokeStyle = style.borderTopColor;
      context.lineWidth = parseFloat(style.borderTopWidth);
      context.setLineDash(style.borderTopStyle === "dashed" ? [4, 3] : []);
      shape();
      context.stroke();
      context.setLineDash([]);
    }
    if (element.tagName === "CANVAS" && element.width > 0) context.drawImage(element, r.x, r.y, r.w, r.h);
  }
  writeText(context, container, at);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

// Every visible text node, word by word where it wraps.
function writeText(context, container, at) {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  context.textBaseline = "middle";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    if (!text.trim()) continue;
    const style = getComputedStyle(node.parentElement);
    if (style.visibility === "hidden" || node.parentElement.closest("[hidden], option, select")) continue;
    context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    context.fillStyle = style.color;
    range.selectNodeContents(node);
    const rects = range.getClientRects();
    if (rects.length === 1) { put(context, text, at(rects[0])); continue; }
    for (const match of text.matchAll(/\S+/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rect = range.getClientRects()[0];
      if (rect) put(context, match[0], at(rect));
    }
  }
}

function put(context, text, r) {
  if (r.w && r.h) context.fillText(text.trim(), r.x, r.y + r.h / 2);
}

// A CSS colour that paints something, or null (transparent).
function opaque(colour) {
  return !colour || colour === "transparent" || /rgba\([^)]*,\s*0\)$/.test(colour) ? null : colour;
}

function pageBackground(element) {
  for (let e = element; e; e = e.parentElement) {
    const c = opaque(getComputedStyle(e).backgroundColor);
    if (c) return c;
  }
  return "#ffffff";
}
