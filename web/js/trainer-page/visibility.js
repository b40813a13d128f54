// Which of some elements are on screen or within half a screen of it
// (IntersectionObserver), so that figures far from view can wait to be
// painted; onShown() is called when one comes near. An element counts as
// shown until the observer says otherwise.
export function createVisibility(onShown) {
  const hidden = new Set();
  const observer = typeof IntersectionObserver === "function" ? new IntersectionObserver((entries) => {
    let shown = false;
    for (const entry of entries) {
      if (entry.isIntersecting) { shown ||= hidden.delete(entry.target); } else hidden.add(entry.target);
    }
    if (shown) onShown();
  }, { rootMargin: "50% 0px" }) : null;

  return {
    observe(element) { observer?.observe(element); },
    isShown: (element) => !hidden.has(element),
    disconnect() { observer?.disconnect(); },
  };
}
