// No typed word lost on the article form (ArticleAdmin.Media):
//
// * Autosave in this browser: what is typed is kept in localStorage (a second after the
//   last keystroke, and when the tab is hidden or closed), with "Saved hh:mm" beside the
//   save buttons. Nothing goes to the server until the person presses a button, so there
//   is no new version per keystroke; the words are back if the tab, the browser or the
//   session dies first. On return, a copy that differs from the stored article is put
//   back into the form (with a notice and a way to discard it), together with the
//   version stamp it was typed on, so saving it still meets the edit-conflict check
//   (newsroom/concurrency.py) if someone else saved in between.
// * A warning before leaving the page (a link, reload, closing the tab) while the form
//   holds changes; submitting the form itself never warns.
function startDeskForm() {
  "use strict";

  const form = document.getElementById("article_form");
  if (!form || !window.localStorage) return;

  const KEY = `newsroom:autosave:${location.pathname}`;
  const MAX_AGE_MS = 14 * 24 * 3600 * 1000;
  const SKIP_TYPES = new Set(["hidden", "file", "submit", "button", "reset", "image", "password"]);
  const stamp = form.querySelector('input[name="edit_version"]');

  function fields() {
    return Array.from(form.elements).filter(
      (el) => el.name && !el.disabled && !SKIP_TYPES.has(el.type) && !el.name.includes("__prefix__"),
    );
  }

  function valueOf(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked;
    if (el.multiple) return Array.from(el.selectedOptions, (o) => o.value);
    return el.value;
  }

  function snapshot() {
    const values = {};
    for (const el of fields()) {
      const key = el.type === "radio" ? `${el.name}=${el.value}` : el.id || el.name;
      values[key] = valueOf(el);
    }
    return values;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function read() {
    try {
      const stored = JSON.parse(localStorage.getItem(KEY));
      if (stored && Date.now() - stored.savedAt < MAX_AGE_MS) return stored;
    } catch (error) {
      /* an unreadable copy is no copy */
    }
    localStorage.removeItem(KEY);
    return null;
  }

  function write(extra = {}) {
    const entry = {
      savedAt: Date.now(),
      editVersion: stamp ? stamp.value : null,
      values: snapshot(),
      ...extra,
    };
    try {
      localStorage.setItem(KEY, JSON.stringify(entry));
      return entry;
    } catch (error) {
      return null; // storage full or refused: the warning before leaving still protects
    }
  }

  function hhmm(time) {
    return new Date(time).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  }

  // "Saved hh:mm", under the top save buttons.
  const status = document.createElement("p");
  status.className = "autosave-status";
  status.id = "autosave-status";
  status.setAttribute("role", "status");
  const top = form.querySelector(".submit-row");
  (top || form.firstElementChild).after(status);

  function restore(entry) {
    for (const el of fields()) {
      const key = el.type === "radio" ? `${el.name}=${el.value}` : el.id || el.name;
      if (!(key in entry.values)) continue;
      const value = entry.values[key];
      if (el.type === "checkbox" || el.type === "radio") el.checked = Boolean(value);
      else if (el.multiple) {
        const wanted = new Set(value);
        for (const option of el.options) option.selected = wanted.has(option.value);
      } else if (el.tagName === "SELECT" && !Array.from(el.options).some((o) => o.value === value)) {
        continue; // a choice the page no longer offers
      } else el.value = value;
      if (el.bodyEditor) el.bodyEditor.commands.setContent(el.value);
    }
    if (stamp && entry.editVersion) stamp.value = entry.editVersion;
  }

  function showRestored(entry) {
    const note = document.createElement("div");
    note.className = "autosave-restored";
    note.setAttribute("role", "alert");
    note.textContent = `Your unsaved changes from ${hhmm(entry.savedAt)} were kept in this browser and are back in the form below. Press a save button to keep them in the newsroom.`;
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button";
    discard.textContent = "Discard them";
    discard.addEventListener("click", () => {
      localStorage.removeItem(KEY);
      submitting = true;
      location.reload();
    });
    note.append(discard);
    status.before(note);
  }

  // What the server sent: the stored article, or a form sent back with errors (which
  // already holds what was typed).
  const sentBack = Boolean(form.querySelector(".errornote, .errorlist, .edit-conflict"));
  const arrived = Boolean(document.querySelector(".messagelist .success"));
  const initial = snapshot();
  let submitting = false;

  const kept = read();
  if (kept) {
    if (sentBack) {
      write();
    } else if (same(kept.values, initial)) {
      localStorage.removeItem(KEY);
    } else if (
      kept.submitted &&
      (arrived || !stamp || Number(stamp.value) > Number(kept.editVersion))
    ) {
      // What it was sent with went through (the server may have tidied the words; a
      // workflow step on a page this person may only read has emptied its comment box).
      localStorage.removeItem(KEY);
    } else {
      restore(kept);
      showRestored(kept);
      status.textContent = `Saved ${hhmm(kept.savedAt)} in this browser`;
    }
  }

  function changed() {
    return !same(snapshot(), initial);
  }

  let timer = null;
  function autosave() {
    clearTimeout(timer);
    timer = null;
    if (submitting) return;
    if (!changed() && !read()) return;
    const entry = write();
    if (entry) status.textContent = `Saved ${hhmm(entry.savedAt)} in this browser`;
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(autosave, 1000);
  }

  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && timer) autosave();
  });
  window.addEventListener("pagehide", () => {
    if (timer) autosave();
  });

  form.addEventListener("submit", () => {
    submitting = true;
    clearTimeout(timer);
    // Kept, marked as sent, until the page that comes back shows it arrived.
    write({ submitted: true });
  });

  window.addEventListener("beforeunload", (event) => {
    if (submitting || !changed()) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need a value to ask
  });

}

// Select2 (the admin's autocomplete) names its combobox from the select's title
// (articles/desk/widgets.py) but leaves the search box it draws inside a multiple choice
// unnamed: give it the same name.
// The same for the box that shows a single choice, which is empty (and so nameless)
// while nothing is chosen.
function nameAutocompleteSearchBoxes(root) {
  for (const select of root.querySelectorAll("select.admin-autocomplete[title]")) {
    const drawn = select.nextElementSibling;
    if (!drawn || !drawn.classList.contains("select2")) continue;
    for (const box of drawn.querySelectorAll(".select2-search__field:not([aria-label])")) {
      box.setAttribute("aria-label", `${select.title}: type to find more`);
    }
    for (const shown of drawn.querySelectorAll(".select2-selection__rendered[role]:not([aria-label])")) {
      shown.setAttribute("aria-label", select.title);
    }
  }
}

// Select2 draws (and redraws) its boxes from jQuery's handlers: name them as they appear.
function watchAutocompletes() {
  if (!document.querySelector("select.admin-autocomplete")) return;
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      nameAutocompleteSearchBoxes(document);
    });
  }).observe(document.body, { childList: true, subtree: true });
  nameAutocompleteSearchBoxes(document);
}

function start() {
  startDeskForm();
  watchAutocompletes();
}

// Loaded in the page's head (ArticleAdmin.Media): wait for the page.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
