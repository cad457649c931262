// MathJax 3 reads this object when its script loads (the script itself is served from this site, never a CDN).
// pymdownx.arithmatex (generic mode) wraps math in \( \) and \[ \] inside elements of class "arithmatex":
// only those are typeset, so code blocks that happen to contain backslashes are left alone.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
  startup: {
    pageReady: () => MathJax.startup.defaultPageReady().then(fitWideInlineMath),
  },
};

// Inline math cannot wrap: a formula wider than the text column (a whole V(G, D) on a phone) would push the page
// sideways. Such a formula becomes a block of its own that scrolls horizontally (class gc-wide, extra.css); checked
// again when the width changes (a phone turned sideways).
function fitWideInlineMath() {
  for (const math of document.querySelectorAll(".md-typeset mjx-container:not([display])")) {
    if (math.closest("table")) continue; // tables scroll inside their own wrapper
    math.classList.remove("gc-wide");
    const column = math.closest("p, li, dd, td, figcaption, .admonition, article") || document.body;
    if (math.getBoundingClientRect().width > column.clientWidth) math.classList.add("gc-wide");
  }
}
let resizing = null;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(fitWideInlineMath, 150);
});

// MathJax typesets the page it loads on by itself. Material's document$ emits for that page too, and again each time
// instant navigation swaps in new content: only those later pages need typesetting here. The SVG output keeps a
// font cache (clearFontCache); CHTML's clearCache does not exist in this build.
if (typeof document$ !== "undefined") {
  let first = true;
  document$.subscribe(() => {
    if (first) {
      first = false;
      return;
    }
    const mj = window.MathJax;
    if (!mj || !mj.startup || !mj.startup.promise) return;
    mj.startup.promise = mj.startup.promise.then(() => {
      if (mj.startup.output.clearFontCache) mj.startup.output.clearFontCache();
      mj.typesetClear();
      mj.texReset();
      return mj.typesetPromise().then(fitWideInlineMath);
    });
  });
}
