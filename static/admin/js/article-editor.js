// The article body's editor (articles/desk/editor.py): turns each
// <textarea data-body-editor> into django-prose-editor's ProseMirror/Tiptap editor with
// only the extensions named in its configuration, a word count and reading time, and a
// picture picker for images from the newsroom's library.
//
// A static module (no inline script, no import map) so that it runs under a strict
// Content-Security-Policy; the library's bundle is imported by the URL the widget gives.
// The textarea stays the form field: the editor writes its HTML back on every change,
// and the server's sanitiser (articles/sanitise.py) cleans it again on save.

const started = new WeakSet();

function label(textarea) {
  const own = document.querySelector(`label[for="${textarea.id}"]`);
  return own ? own.textContent.replace(/:\s*$/, "").trim() : "Body";
}

function countWords(text) {
  return text.split(/\s+/).filter(Boolean).length;
}

function describeCount(words, speed) {
  const minutes = words ? Math.max(1, Math.ceil(words / speed)) : 0;
  const w = `${words.toLocaleString()} word${words === 1 ? "" : "s"}`;
  return minutes ? `${w} · about ${minutes} min to read` : w;
}

// <q>: the demo's bodies (and wire copy) quote inline; without this mark the editor
// would drop the tags of every inline quotation the first time the text is edited.
function quotation(lib) {
  return lib.Mark.create({
    name: "quotation",
    parseHTML() {
      return [{ tag: "q" }];
    },
    renderHTML() {
      return ["q", 0];
    },
  });
}

// A picture from the image library: <figure><img …><figcaption>…</figcaption></figure>,
// inside the sanitiser's allow-list (src, alt, width, height; no classes, no styles).
function libraryImage(lib, config) {
  const fromImg = (name) => ({
    default: null,
    parseHTML: (figure) => figure.querySelector("img")?.getAttribute(name) ?? null,
  });
  return lib.Node.create({
    name: "libraryImage",
    group: "block",
    atom: true,
    draggable: true,
    selectable: true,
    addAttributes() {
      return {
        src: fromImg("src"),
        alt: { ...fromImg("alt"), default: "" },
        width: fromImg("width"),
        height: fromImg("height"),
        caption: {
          default: "",
          parseHTML: (figure) => figure.querySelector("figcaption")?.textContent.trim() ?? "",
        },
      };
    },
    parseHTML() {
      return [{ tag: "figure", getAttrs: (figure) => (figure.querySelector("img") ? null : false) }];
    },
    renderHTML({ node }) {
      const { src, alt, width, height, caption } = node.attrs;
      const img = { src, alt: alt || "" };
      if (width) img.width = String(width);
      if (height) img.height = String(height);
      return caption ? ["figure", ["img", img], ["figcaption", caption]] : ["figure", ["img", img]];
    },
    addMenuItems({ buttons, menu }) {
      if (!config.imagePicker) return;
      menu.defineItem({
        name: "libraryImage",
        groups: "libraryImage",
        command: (editor) => openPicker(editor, config.imagePicker),
        button: buttons.material("image", "Insert a picture from the image library"),
        active: (editor) => editor.isActive("libraryImage"),
      });
    },
  });
}

// The picture picker: a <dialog> listing the library (newest first, or matching what is
// typed), then the chosen picture's alt text and caption, both editable, before it goes in.
function openPicker(editor, url) {
  const current = editor.isActive("libraryImage") ? editor.getAttributes("libraryImage") : null;
  const dialog = document.createElement("dialog");
  dialog.className = "image-picker";
  dialog.setAttribute("aria-labelledby", "image-picker-title");
  dialog.innerHTML = `
    <h2 id="image-picker-title">Picture from the image library</h2>
    <p><label for="image-picker-q">Find a picture</label>
      <input id="image-picker-q" type="search" placeholder="Words of its alt text, caption or credit"></p>
    <ul class="image-picker-list" aria-label="Pictures"></ul>
    <fieldset class="image-picker-text">
      <legend>Text for the chosen picture</legend>
      <p><label for="image-picker-alt">Alt text (what the picture shows)</label>
        <input id="image-picker-alt" type="text" maxlength="300"></p>
      <p><label for="image-picker-caption">Caption and credit (shown under it)</label>
        <input id="image-picker-caption" type="text" maxlength="700"></p>
    </fieldset>
    <p class="image-picker-buttons">
      <button type="button" class="button default" data-act="insert" disabled>Insert picture</button>
      <button type="button" class="button" data-act="cancel">Cancel</button>
    </p>`;
  document.body.append(dialog);
  const list = dialog.querySelector(".image-picker-list");
  const query = dialog.querySelector("#image-picker-q");
  const alt = dialog.querySelector("#image-picker-alt");
  const caption = dialog.querySelector("#image-picker-caption");
  const insert = dialog.querySelector("[data-act=insert]");
  let chosen = current ? { ...current } : null;
  if (chosen) {
    alt.value = chosen.alt || "";
    caption.value = chosen.caption || "";
    insert.disabled = false;
  }

  async function load() {
    const response = await fetch(`${url}?q=${encodeURIComponent(query.value.trim())}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    const data = response.ok ? await response.json() : { images: [] };
    list.replaceChildren();
    if (!data.images.length) {
      const empty = document.createElement("li");
      empty.textContent = "No picture matches. Add pictures under Articles › Images.";
      list.append(empty);
    }
    for (const image of data.images) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "image-picker-choice";
      button.setAttribute("aria-pressed", String(chosen?.src === image.src));
      const thumb = document.createElement("img");
      thumb.src = image.thumbnail;
      thumb.alt = "";
      const text = document.createElement("span");
      text.textContent = image.alt;
      button.append(thumb, text);
      button.addEventListener("click", () => {
        chosen = { src: image.src, width: image.width, height: image.height };
        alt.value = image.alt;
        caption.value = [image.caption, image.credit].filter(Boolean).join(" ");
        insert.disabled = false;
        for (const other of list.querySelectorAll("[aria-pressed]")) {
          other.setAttribute("aria-pressed", String(other === button));
        }
        alt.focus();
      });
      item.append(button);
      list.append(item);
    }
  }

  let timer;
  query.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  });
  dialog.addEventListener("close", () => dialog.remove());
  dialog.querySelector("[data-act=cancel]").addEventListener("click", () => {
    dialog.close();
    editor.commands.focus();
  });
  insert.addEventListener("click", () => {
    if (!chosen || !alt.value.trim()) {
      alt.setCustomValidity("Say what the picture shows: readers who cannot see it need this.");
      alt.reportValidity();
      return;
    }
    const attrs = { ...chosen, alt: alt.value.trim(), caption: caption.value.trim() };
    // Closed first: a closing dialog gives the focus back to the button that opened it,
    // and the writer goes on typing in the text.
    dialog.close();
    if (current) editor.chain().focus().updateAttributes("libraryImage", attrs).run();
    else editor.chain().focus().insertContent({ type: "libraryImage", attrs }).run();
  });
  alt.addEventListener("input", () => alt.setCustomValidity(""));
  dialog.showModal();
  load();
}

// Numbered lists without a list style or start number: the public theme styles plain
// <ol>, and the sanitiser keeps neither attribute (the library writes both).
function plainOrderedList(lib) {
  return lib.OrderedList.extend({
    addAttributes() {
      const { type, start, ...rest } = this.parent?.() ?? {};
      return rest;
    },
  });
}

// Links written as the sanitiser writes them (href, title, then its own rel), so a body
// saved from the editor comes back from the sanitiser byte for byte.
function sanitiserOrderLink(lib) {
  return lib.Link.extend({
    renderHTML({ HTMLAttributes }) {
      const attrs = { href: HTMLAttributes.href };
      if (HTMLAttributes.title) attrs.title = HTMLAttributes.title;
      attrs.rel = "noopener noreferrer";
      return ["a", attrs, 0];
    },
  });
}

const MENU_GROUPS = [
  { group: "blockType -lists", type: "dropdown", minItems: 2 },
  { group: "lists" },
  { group: "nodes -blockType -lists" },
  { group: "marks" },
  { group: "link" },
  { group: "libraryImage" },
  { group: "history" },
];

async function start(textarea) {
  if (started.has(textarea)) return;
  started.add(textarea);
  const config = JSON.parse(textarea.dataset.bodyEditor);
  const lib = await import(textarea.dataset.editorModule);
  const custom = {
    Quotation: quotation(lib),
    LibraryImage: libraryImage(lib, config),
    OrderedList: plainOrderedList(lib),
    Link: sanitiserOrderLink(lib),
  };
  const extensions = [
    lib.Document,
    lib.Text,
    lib.Dropcursor,
    lib.Gapcursor,
    lib.Menu.configure({ groups: MENU_GROUPS }),
  ];
  for (const [name, options] of Object.entries(config.extensions)) {
    const extension = custom[name] || lib[name];
    if (!extension) throw new Error(`The body editor has no extension called ${name}`);
    extensions.push(typeof options === "object" ? extension.configure(options) : extension);
  }
  const editor = lib.createTextareaEditor(textarea, extensions);

  // The editable area is named like the field, for screen readers.
  const area = editor.view.dom;
  area.setAttribute("aria-label", label(textarea));
  area.setAttribute("aria-multiline", "true");
  area.setAttribute("role", "textbox");

  const count = document.createElement("p");
  count.className = "editor-count help";
  count.setAttribute("aria-live", "polite");
  const show = () => {
    count.textContent = describeCount(countWords(editor.getText()), config.readingSpeed);
  };
  show();
  editor.on("update", show);
  textarea.closest(".prose-editor").after(count);

  textarea.bodyEditor = editor;
  textarea.dispatchEvent(new CustomEvent("body-editor:ready", { bubbles: true, detail: { editor } }));
}

for (const textarea of document.querySelectorAll("textarea[data-body-editor]")) {
  start(textarea).catch((error) => {
    // The plain textarea (with the HTML) stays usable.
    console.error("The body editor could not start:", error);
  });
}
