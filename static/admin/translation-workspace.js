/* The translator's workspace on a translation's change form (articles/desk/translation_admin.py):
 * - the source paragraph matching the one being typed in the body is highlighted and kept in view;
 * - the slug follows the translated title while it is still the source's, and "Use it" takes
 *   the suggestion at any time.
 * Works with the plain textarea and with a contenteditable editor in the body's field. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // -- which paragraph is being typed ----------------------------------------------------

  // In HTML source: how many top-level blocks come before the caret.
  function blockIndexInSource(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    if (!before.trim()) return 0;
    var body = new DOMParser().parseFromString(before, "text/html").body;
    var count = 0;
    var loose = false;
    body.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && /^(P|H[1-6]|UL|OL|BLOCKQUOTE|FIGURE|PRE|TABLE|HR|DIV)$/.test(node.tagName)) {
        if (loose) { count += 1; loose = false; }
        count += 1;
      } else if (node.nodeType === Node.TEXT_NODE ? node.textContent.trim() : node.nodeType === Node.ELEMENT_NODE) {
        loose = true;
      }
    });
    // The caret sits in the last block counted (still open where the caret is).
    return Math.max(0, count - (loose ? 0 : 1));
  }

  // In a rich-text editor: the index of the top-level child holding the caret.
  function blockIndexInEditor(root) {
    var selection = window.getSelection();
    if (!selection || !selection.anchorNode || !root.contains(selection.anchorNode)) return null;
    var node = selection.anchorNode;
    while (node && node.parentNode !== root) node = node.parentNode;
    if (!node) return null;
    return Array.prototype.indexOf.call(root.children, node);
  }

  function setupParagraphs() {
    var pane = document.querySelector('[data-source-pane="body"]');
    if (!pane) return;
    var blocks = pane.querySelectorAll("li[data-block]");
    if (!blocks.length) return;
    var row = pane.closest(".form-row") || document;
    var current = -1;

    function show(index) {
      if (index === null || index === current) return;
      current = Math.min(index, blocks.length - 1);
      blocks.forEach(function (block, n) { block.classList.toggle("current", n === current); });
      var block = blocks[current];
      // Scroll the pane, not the page: the translator's caret stays where it is.
      var top = block.offsetTop - pane.offsetTop;
      if (top < pane.scrollTop || top + block.offsetHeight > pane.scrollTop + pane.clientHeight) {
        pane.scrollTop = Math.max(0, top - 16);
      }
    }

    function track(event) {
      var target = event.target;
      if (target && target.id === "id_body" && target.tagName === "TEXTAREA") {
        show(blockIndexInSource(target));
        return;
      }
      var editor = target && target.closest && target.closest('[contenteditable="true"]');
      if (editor && row.contains(editor)) show(blockIndexInEditor(editor));
    }

    ["keyup", "click", "focusin"].forEach(function (name) {
      row.addEventListener(name, track);
    });
    document.addEventListener("selectionchange", function () {
      var active = document.activeElement;
      if (active && row.contains(active)) track({ target: active });
    });
  }

  // -- the slug ----------------------------------------------------------------------------

  function setupSlug() {
    var box = document.querySelector("[data-slug-suggestion]");
    var slug = document.getElementById("id_slug");
    var title = document.getElementById("id_title");
    if (!box || !slug || !title) return;
    var shown = box.querySelector("[data-suggested-slug]");
    var use = box.querySelector("[data-use-slug]");
    if (!shown || !use) return;
    var copied = box.getAttribute("data-copied-slug");
    var following = copied !== null && slug.value === copied;

    function suggestion() {
      return window.URLify ? window.URLify(title.value, 200, false) : shown.textContent.trim();
    }
    function refresh() {
      var suggested = suggestion();
      if (suggested) shown.textContent = suggested;
      if (following && suggested) slug.value = suggested;
      use.hidden = !suggested || slug.value === suggested;
    }
    title.addEventListener("input", refresh);
    slug.addEventListener("input", function () { following = false; refresh(); });
    use.addEventListener("click", function () {
      slug.value = shown.textContent.trim();
      slug.dispatchEvent(new Event("change", { bubbles: true }));
      use.hidden = true;
    });
    use.hidden = slug.value === shown.textContent.trim();
  }

  ready(function () {
    setupParagraphs();
    setupSlug();
  });
})();
