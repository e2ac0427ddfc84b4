/* The editing studio of `archive serve`: served only by the preview, never part of a built site.
 *
 * - Live reload: waits on the preview's event stream and reloads the page after each good run;
 *   after a failed one, shows its errors over the page (file and line) instead of stale pages.
 * - Needs attention: a panel (and the page /_studio/attention/) listing orphaned, ambiguous and
 *   approximately anchored notes, and every other error and warning, with their remedies.
 * - Select words of an article -> "Add note": a form for kind, body (with a live preview), sources
 *   and author. The server takes the quote and its context from the article's cleaned text.
 * - A note's popover gains Edit and Delete; names the registry does not know are marked, with
 *   "Add to registry" and "Ignore".
 *
 * Every write carries the token of the page (meta archive-studio-token). No inline script or
 * style: the site's Content-Security-Policy allows only files of the site's own origin.
 */
(function () {
  "use strict";

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : "";
  }
  var TOKEN = meta("archive-studio-token");
  var VERSION = parseInt(meta("archive-studio-version"), 10) || 0;
  var KINDS = ["correction", "spelling", "clarification", "context"];
  var TYPES = ["person", "organisation", "place", "event", "group", "office", "work"];
  var LABEL_TYPES = { PERSON: "person", NORP: "group", FAC: "place", ORG: "organisation", GPE: "place",
    LOC: "place", PRODUCT: "work", EVENT: "event", WORK_OF_ART: "work", LAW: "work", LANGUAGE: "group" };

  // -- small helpers --------------------------------------------------------------------------

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") el.textContent = value;
      else if (key === "on") Object.keys(value).forEach(function (ev) { el.addEventListener(ev, value[ev]); });
      else el.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return el;
  }

  function post(path, data) {
    return fetch("/_studio/" + path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Archive-Token": TOKEN },
      body: JSON.stringify(data),
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok || body.ok === false) throw new Error(body.error || "the preview refused this");
        return body;
      });
    });
  }

  function get(path) {
    return fetch("/_studio/" + path, { credentials: "same-origin" }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.error || "the preview refused this");
        return body;
      });
    });
  }

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function articleSlug() {
    var found = location.pathname.match(/^\/articles\/([a-z0-9]+(?:-[a-z0-9]+)*)\/$/);
    return found && document.querySelector(".archive-text") ? found[1] : null;
  }

  function toast(message, bad) {
    var old = document.querySelector(".studio-toast");
    if (old) old.remove();
    var el = h("div", { "class": "studio-toast" + (bad ? " studio-toast--bad" : ""), role: "status", text: message });
    document.body.appendChild(el);
    setTimeout(function () { el.remove(); }, bad ? 12000 : 6000);
  }

  // -- live reload, overlay --------------------------------------------------------------------

  var lastRun = null;

  function showOverlay(run) {
    var old = document.getElementById("studio-overlay");
    if (old) old.remove();
    if (!run || run.ok) return;
    var list = h("ul", {}, run.errors.map(function (item) {
      return h("li", {}, [item.where ? h("code", { text: item.where }) : null, item.where ? ": " : "", item.message]);
    }));
    var box = h("section", { id: "studio-overlay", "class": "studio-overlay", role: "alertdialog",
      "aria-labelledby": "studio-overlay-title" }, [
      h("h2", { id: "studio-overlay-title", text: "The last change could not be built" }),
      h("p", { text: "The preview still shows the pages of the last good build. Fix what is named below and " +
        "save the file: this page reloads by itself." }),
      list,
      h("p", {}, [h("a", { href: "/_studio/attention/", text: "Everything that needs attention" })]),
      h("button", { type: "button", "class": "studio-button", text: "Hide",
        on: { click: function () { box.remove(); } } })
    ]);
    document.body.appendChild(box);
  }

  function showBuilding(building) {
    var badge = document.getElementById("studio-building");
    if (building && !badge) {
      document.body.appendChild(h("div", { id: "studio-building", "class": "studio-building", role: "status",
        text: "Rebuilding the preview…" }));
    } else if (!building && badge) {
      badge.remove();
    }
  }

  function onRun(run) {
    lastRun = run;
    document.documentElement.setAttribute("data-studio-run", String(run.version));
    showBuilding(run.building);
    if (run.building) return;
    if (run.ok && run.version > VERSION) {
      try { sessionStorage.setItem("archive-studio-scroll:" + location.pathname, String(window.scrollY)); } catch (e) {}
      location.reload();
      return;
    }
    showOverlay(run);
    refreshAttention();
  }

  function listen() {
    if (!window.EventSource) return;
    var source = new EventSource("/_studio/events");
    source.addEventListener("run", function (event) { onRun(JSON.parse(event.data)); });
  }

  // -- needs attention ---------------------------------------------------------------------------

  var KIND_TITLE = { orphan: "Note without its words", ambiguous: "Quote found in several places",
    fuzzy: "The article's words changed", error: "Error", warning: "Warning" };

  function act(button, path, data) {
    button.disabled = true;
    post(path, data).then(function (result) { toast(result.message); }, function (error) {
      button.disabled = false;
      toast(error.message, true);
    });
  }

  function renderItem(item) {
    var parts = [
      h("p", { "class": "studio-item__kind", text: KIND_TITLE[item.kind] || item.kind }),
      item.where ? h("p", {}, [h("code", { text: item.where })]) : null
    ];
    if (item.title) {
      parts.push(h("p", {}, ["Note ", h("code", { text: item.id }), " on ",
        h("a", { href: item.url, text: item.title })]));
    }
    if (item.kind === "fuzzy") {
      parts.push(h("div", { "class": "studio-compare" }, [
        h("div", {}, [h("p", { "class": "studio-compare__label", text: "The note quotes" }),
          h("p", { "class": "studio-compare__old", text: item.quote })]),
        h("div", {}, [h("p", { "class": "studio-compare__label", text: "The article now says" }),
          h("p", { "class": "studio-compare__new", text: item.new })])
      ]));
      var accept = h("button", { type: "button", "class": "studio-button studio-button--main",
        "data-action": "accept", text: "Use the new wording" });
      accept.addEventListener("click", function () { act(accept, "notes/accept", { article: item.article, id: item.id }); });
      parts.push(accept);
    } else if (item.kind === "ambiguous") {
      parts.push(h("p", { text: "The note quotes “" + item.quote + "”, which the article has in " +
        item.places.length + " places. Which one does the note mean?" }));
      parts.push(h("ol", { "class": "studio-places" }, item.places.map(function (spot) {
        var pick = h("button", { type: "button", "class": "studio-button", "data-action": "pick", text: "This one" });
        pick.addEventListener("click", function () {
          act(pick, "notes/pin", { article: item.article, id: item.id, start: spot.start, end: spot.end });
        });
        return h("li", {}, [h("span", { "class": "studio-muted", text: "line " + spot.line + ": …" + spot.before }),
          h("mark", { text: spot.words }), h("span", { "class": "studio-muted", text: spot.after + "…" }), " ", pick]);
      })));
    } else {
      parts.push(h("p", { "class": "studio-item__message", text: item.message }));
    }
    if (item.kind === "orphan") {
      var remove = h("button", { type: "button", "class": "studio-button", "data-action": "remove",
        text: "Delete the note" });
      remove.addEventListener("click", function () {
        if (window.confirm("Delete note " + item.id + "? Its lines go from the notes file.")) {
          act(remove, "notes/remove", { article: item.article, id: item.id });
        }
      });
      parts.push(h("p", { "class": "studio-muted", text: "Quote the article's words again in the notes file, " +
        "or delete the note." }), remove);
    }
    return h("li", { "class": "studio-item studio-item--" + item.kind, "data-kind": item.kind }, parts);
  }

  function renderItems(container, items) {
    container.textContent = "";
    if (!items.length) {
      container.appendChild(h("p", { text: "Nothing needs attention: every note anchors as written, and the last " +
        "build had no errors or warnings." }));
      return;
    }
    container.appendChild(h("ul", { "class": "studio-items" }, items.map(renderItem)));
  }

  var panelButton = null;

  function refreshAttention() {
    get("attention").then(function (body) {
      var items = body.items;
      var page = document.getElementById("studio-attention-list");
      if (page) renderItems(page, items);
      if (panelButton) {
        panelButton.textContent = "Needs attention (" + items.length + ")";
        panelButton.classList.toggle("studio-attention-button--none", items.length === 0);
        var list = document.getElementById("studio-panel-list");
        if (list) renderItems(list, items);
      }
    }, function () {});
  }

  function makePanel() {
    if (document.getElementById("studio-attention-list")) return; // the page of its own
    panelButton = h("button", { type: "button", id: "studio-attention-button", "class": "studio-attention-button",
      "aria-expanded": "false", "aria-controls": "studio-panel", text: "Needs attention" });
    panelButton.addEventListener("click", function () {
      var panel = document.getElementById("studio-panel");
      if (panel) { panel.remove(); panelButton.setAttribute("aria-expanded", "false"); return; }
      panel = h("aside", { id: "studio-panel", "class": "studio-panel", "aria-label": "Needs attention" }, [
        h("h2", { text: "Needs attention" }),
        h("p", {}, [h("a", { href: "/_studio/attention/", text: "Open as a page" })]),
        h("div", { id: "studio-panel-list" }, [h("p", { text: "Loading…" })])
      ]);
      document.body.appendChild(panel);
      panelButton.setAttribute("aria-expanded", "true");
      refreshAttention();
    });
    document.body.appendChild(panelButton);
  }

  // -- selections as offsets -----------------------------------------------------------------

  function blockOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    var block = el && el.closest(".archive-text > [id^='p']");
    return block && /^p\d+$/.test(block.id) ? block : null;
  }

  function skipped(node) {
    // Markers (note numbers) and anything the studio adds are not article text.
    return !!node.parentElement.closest("sup.note-ref, .studio-skip");
  }

  function textNodes(block) {
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) if (!skipped(walker.currentNode)) nodes.push(walker.currentNode);
    return nodes;
  }

  function codePoints(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c < 0xd800 || c > 0xdbff || i + 1 === text.length) n++;
      else { n++; i++; }
    }
    return n;
  }

  function offsetIn(block, container, offset) {
    // Code points of the block's article text before the boundary point (container, offset).
    var point = document.createRange();
    point.setStart(container, offset);
    var count = 0;
    var nodes = textNodes(block);
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      if (node === container) return count + codePoints(node.data.slice(0, offset));
      if (point.comparePoint(node, node.data.length) <= 0) count += codePoints(node.data);
      else break;
    }
    return count;
  }

  function selected() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    var first = blockOf(range.startContainer), last = blockOf(range.endContainer);
    if (!first || !last) return null;
    var text = selection.toString();
    if (!text.trim()) return null;
    return {
      from: [parseInt(first.id.slice(1), 10) - 1, offsetIn(first, range.startContainer, range.startOffset)],
      to: [parseInt(last.id.slice(1), 10) - 1, offsetIn(last, range.endContainer, range.endOffset)],
      selected: text,
      rect: range.getBoundingClientRect()
    };
  }

  // -- the note form ----------------------------------------------------------------------------

  function field(label, input, hint) {
    return h("label", { "class": "studio-field" }, [h("span", { "class": "studio-field__label", text: label }), input,
      hint ? h("span", { "class": "studio-muted", text: hint }) : null]);
  }

  function sourceRow(source) {
    source = source || {};
    var row = h("fieldset", { "class": "studio-source" }, [
      h("legend", { text: "Source" }),
      field("Title", h("input", { type: "text", name: "source-title", value: source.title || "" })),
      field("Address (URL)", h("input", { type: "url", name: "source-url", value: source.url || "",
        placeholder: "https://…", required: true })),
      field("Accessed", h("input", { type: "date", name: "source-accessed", value: source.accessed || today() }))
    ]);
    return row;
  }

  function closeDialog() {
    var old = document.getElementById("studio-dialog");
    if (old) old.remove();
  }

  function dialog(title, content) {
    closeDialog();
    var box = h("div", { id: "studio-dialog", "class": "studio-dialog", role: "dialog", "aria-modal": "true",
      "aria-labelledby": "studio-dialog-title" }, [
      h("div", { "class": "studio-dialog__box" }, [h("h2", { id: "studio-dialog-title", text: title })].concat(content))
    ]);
    box.addEventListener("keydown", function (event) { if (event.key === "Escape") closeDialog(); });
    document.body.appendChild(box);
    var first = box.querySelector("input, select, textarea, button");
    if (first) first.focus();
    return box;
  }

  function noteForm(options) {
    // options: {mode: "add"|"edit", article, quote, id, note, selection}
    var note = options.note || {};
    var kind = h("select", { name: "kind" }, KINDS.map(function (k) {
      return h("option", { value: k, selected: k === (note.kind || "correction"), text: k });
    }));
    var ident = h("input", { type: "text", name: "id", value: options.id || note.id || "",
      pattern: "[a-z0-9]+(-[a-z0-9]+)*", readonly: options.mode === "edit" });
    var body = h("textarea", { name: "body", rows: "4", required: true, maxlength: "2000" });
    body.value = note.body || "";
    var preview = h("div", { "class": "studio-body-preview", "aria-live": "polite" });
    var sources = h("div", { "class": "studio-sources" }, (note.sources && note.sources.length ? note.sources : [null]).map(sourceRow));
    var more = h("button", { type: "button", "class": "studio-button", text: "Add another source" });
    more.addEventListener("click", function () { sources.appendChild(sourceRow()); });
    var author = h("input", { type: "text", name: "author", value: note.author || localStorage.getItem("archive-studio-author") || "" ,
      placeholder: "Archive editors" });
    var problem = h("p", { "class": "studio-problem", role: "alert" });
    var save = h("button", { type: "submit", "class": "studio-button studio-button--main",
      text: options.mode === "add" ? "Add the note" : "Save the note" });
    var cancel = h("button", { type: "button", "class": "studio-button", text: "Cancel", on: { click: closeDialog } });

    var timer = null;
    function showPreview() {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (!body.value.trim()) { preview.textContent = ""; return; }
        post("body", { body: body.value }).then(function (result) {
          preview.textContent = "";
          if (result.problem) {
            preview.appendChild(h("span", { "class": "studio-problem", text: result.problem }));
          } else {
            // The server rendered the body with the build's own code and checked it against the
            // sanitiser's allow-list; it holds only emphasis and links.
            var parsed = new DOMParser().parseFromString("<p>" + result.html + "</p>", "text/html");
            preview.appendChild(parsed.body.firstChild);
          }
        }, function (error) { preview.textContent = error.message; });
      }, 250);
    }
    body.addEventListener("input", showPreview);
    if (body.value) showPreview();
    kind.addEventListener("change", function () {
      if (options.mode !== "add" || ident.dataset.edited) return;
      post("quote", { article: options.article, from: options.selection.from, to: options.selection.to,
        selected: options.selection.selected, kind: kind.value }).then(function (result) { ident.value = result.id; });
    });
    ident.addEventListener("input", function () { ident.dataset.edited = "1"; });

    var form = h("form", { "class": "studio-form", novalidate: true }, [
      h("p", { "class": "studio-quote" }, [h("span", { "class": "studio-field__label", text: "The note concerns" }),
        h("q", { text: options.quote || note.quote || "" })]),
      field("Kind", kind),
      field("Id", ident, options.mode === "add" ? "Part of the note's address; keep it once published." : null),
      field("Note", body, "One short paragraph: *emphasis*, **strong** and [links](https://…)."),
      h("div", {}, [h("span", { "class": "studio-field__label", text: "How it will look" }), preview]),
      sources, more,
      field("Author", author),
      problem,
      h("div", { "class": "studio-actions" }, [save, cancel])
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var list = Array.prototype.map.call(sources.querySelectorAll(".studio-source"), function (row) {
        return { title: row.querySelector("[name=source-title]").value,
          url: row.querySelector("[name=source-url]").value,
          accessed: row.querySelector("[name=source-accessed]").value };
      });
      if (author.value.trim()) localStorage.setItem("archive-studio-author", author.value.trim());
      var data = { article: options.article, kind: kind.value, body: body.value, sources: list,
        author: author.value.trim() || "Archive editors" };
      var path = "notes/edit";
      if (options.mode === "add") {
        path = "notes/add";
        data.id = ident.value.trim();
        data.from = options.selection.from;
        data.to = options.selection.to;
        data.selected = options.selection.selected;
      } else {
        data.id = note.id;
      }
      save.disabled = true;
      problem.textContent = "";
      post(path, data).then(function (result) {
        closeDialog();
        toast(result.message + " The page reloads when the preview is rebuilt.");
      }, function (error) {
        save.disabled = false;
        problem.textContent = error.message;
      });
    });
    return form;
  }

  function openAddForm(selection) {
    var slug = articleSlug();
    post("quote", { article: slug, from: selection.from, to: selection.to, selected: selection.selected,
      kind: "correction" }).then(function (result) {
      dialog("Add a note", [noteForm({ mode: "add", article: slug, quote: result.quote, id: result.id,
        selection: selection })]);
    }, function (error) { toast(error.message, true); });
  }

  var addButton = null;

  function hideAddButton() { if (addButton) { addButton.remove(); addButton = null; } }

  function onSelection() {
    if (!articleSlug() || document.getElementById("studio-dialog")) return;
    var selection = selected();
    hideAddButton();
    if (!selection) return;
    addButton = h("button", { type: "button", id: "studio-add-note", "class": "studio-add-note studio-button studio-button--main",
      text: "Add note" });
    addButton.addEventListener("mousedown", function (event) { event.preventDefault(); }); // keep the selection
    addButton.addEventListener("click", function () { hideAddButton(); openAddForm(selection); });
    addButton.style.top = (selection.rect.bottom + window.scrollY + 6) + "px";
    addButton.style.left = Math.max(8, selection.rect.left + window.scrollX) + "px";
    document.body.appendChild(addButton);
  }

  // -- a note's popover: edit and delete -------------------------------------------------------

  function decoratePopover(popover) {
    var slug = articleSlug();
    var id = (popover.id || "").replace(/^popover-note-/, "");
    if (!slug || !id || popover.querySelector(".studio-note-actions")) return;
    var edit = h("button", { type: "button", "class": "studio-button", "data-action": "edit", text: "Edit" });
    var remove = h("button", { type: "button", "class": "studio-button", "data-action": "delete", text: "Delete" });
    edit.addEventListener("click", function () {
      get("note?article=" + encodeURIComponent(slug) + "&id=" + encodeURIComponent(id)).then(function (note) {
        dialog("Edit the note", [noteForm({ mode: "edit", article: slug, note: note })]);
      }, function (error) { toast(error.message, true); });
    });
    remove.addEventListener("click", function () {
      if (!window.confirm("Delete this note? Its lines go from the notes file.")) return;
      act(remove, "notes/remove", { article: slug, id: id });
    });
    popover.appendChild(h("div", { "class": "studio-note-actions studio-skip" }, [edit, remove]));
  }

  // -- names the registry does not know ----------------------------------------------------------

  function wrap(block, start, end, name) {
    // Wrap the block's text [start, end) (code points) in a marked span, node by node.
    var nodes = textNodes(block), at = 0;
    var spans = [];
    nodes.forEach(function (node) {
      var length = codePoints(node.data);
      var s = Math.max(start, at), e = Math.min(end, at + length);
      if (e > s && !node.parentElement.closest("a, .studio-unknown")) {
        var units = Array.from(node.data);
        var before = units.slice(0, s - at).join("").length, inside = units.slice(s - at, e - at).join("").length;
        var middle = node.splitText(before);
        middle.splitText(inside);
        var span = h("span", { "class": "studio-unknown", tabindex: "0", role: "button",
          title: "“" + name.text + "” is not in the registry (the model says " + name.label + ")" });
        middle.parentNode.replaceChild(span, middle);
        span.appendChild(middle);
        spans.push(span);
      }
      at += length;
    });
    spans.forEach(function (span) {
      span.addEventListener("click", function () { nameMenu(name); });
      span.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); nameMenu(name); }
      });
    });
  }

  function nameMenu(name) {
    var add = h("button", { type: "button", "class": "studio-button studio-button--main", text: "Add to registry…" });
    var ignore = h("button", { type: "button", "class": "studio-button", text: "Ignore…" });
    add.addEventListener("click", function () { registryForm(name); });
    ignore.addEventListener("click", function () { ignoreForm(name); });
    dialog("“" + name.text + "”", [
      h("p", { text: "The language model found this name (" + name.label + "), and entities.yml does not know it." }),
      h("div", { "class": "studio-actions" }, [add, ignore,
        h("button", { type: "button", "class": "studio-button", text: "Cancel", on: { click: closeDialog } })])
    ]);
  }

  function registryForm(name) {
    var clean = name.text.replace(/^the\s+/i, "").replace(/(['\u2019]s|(?<=s)['\u2019])$/, "");
    var inputs = {
      name: h("input", { type: "text", name: "name", value: clean, required: true }),
      type: h("select", { name: "type" }, TYPES.map(function (t) {
        return h("option", { value: t, selected: t === (LABEL_TYPES[name.label] || "organisation"), text: t });
      })),
      aliases: h("input", { type: "text", name: "aliases", value: clean !== name.text ? name.text : "",
        placeholder: "Other names, separated by commas" }),
      description: h("input", { type: "text", name: "description", required: true, maxlength: "300",
        placeholder: "One line: who or what this is" }),
      wikipedia: h("input", { type: "url", name: "wikipedia", placeholder: "https://en.wikipedia.org/wiki/…" })
    };
    var problem = h("p", { "class": "studio-problem", role: "alert" });
    var save = h("button", { type: "submit", "class": "studio-button studio-button--main", text: "Add to entities.yml" });
    var form = h("form", { "class": "studio-form", novalidate: true }, [
      field("Name", inputs.name), field("Type", inputs.type), field("Aliases", inputs.aliases),
      field("Description", inputs.description), field("Wikipedia link", inputs.wikipedia, "Only a page you checked."),
      problem,
      h("div", { "class": "studio-actions" }, [save,
        h("button", { type: "button", "class": "studio-button", text: "Cancel", on: { click: closeDialog } })])
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save.disabled = true;
      post("registry/entity", { name: inputs.name.value, type: inputs.type.value,
        aliases: inputs.aliases.value.split(",").map(function (a) { return a.trim(); }).filter(Boolean),
        description: inputs.description.value, wikipedia: inputs.wikipedia.value }).then(function (result) {
        closeDialog();
        toast(result.message);
      }, function (error) { save.disabled = false; problem.textContent = error.message; });
    });
    dialog("Add “" + clean + "” to the registry", [form]);
  }

  function ignoreForm(name) {
    var reason = h("input", { type: "text", name: "reason", required: true, maxlength: "300",
      placeholder: "Why it is left unlinked" });
    var problem = h("p", { "class": "studio-problem", role: "alert" });
    var save = h("button", { type: "submit", "class": "studio-button studio-button--main", text: "Ignore this name" });
    var form = h("form", { "class": "studio-form", novalidate: true }, [field("Reason", reason), problem,
      h("div", { "class": "studio-actions" }, [save,
        h("button", { type: "button", "class": "studio-button", text: "Cancel", on: { click: closeDialog } })])]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save.disabled = true;
      post("registry/ignore", { text: name.text, label: name.label, reason: reason.value }).then(function (result) {
        closeDialog();
        toast(result.message);
      }, function (error) { save.disabled = false; problem.textContent = error.message; });
    });
    dialog("Leave “" + name.text + "” unlinked", [form]);
  }

  function markNames() {
    var slug = articleSlug();
    if (!slug) return;
    get("names?article=" + encodeURIComponent(slug)).then(function (body) {
      body.names.forEach(function (name) {
        var block = document.getElementById("p" + (name.block + 1));
        if (block && block.closest(".archive-text")) wrap(block, name.start, name.end, name);
      });
    }, function () {});
  }

  // -- start -------------------------------------------------------------------------------------

  function start() {
    document.documentElement.classList.add("studio");
    try {
      var key = "archive-studio-scroll:" + location.pathname;
      var y = sessionStorage.getItem(key);
      if (y !== null) { sessionStorage.removeItem(key); window.scrollTo(0, parseInt(y, 10) || 0); }
    } catch (e) {}
    makePanel();
    listen();
    refreshAttention();
    markNames();
    document.addEventListener("mouseup", function () { setTimeout(onSelection, 0); });
    document.addEventListener("keyup", function (event) { if (event.shiftKey) onSelection(); });
    document.addEventListener("mousedown", function (event) {
      if (addButton && event.target !== addButton) hideAddButton();
    });
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === 1 && node.classList.contains("note-popover")) decoratePopover(node);
        });
      });
    }).observe(document.body, { childList: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.archiveStudio = { selected: selected, lastRun: function () { return lastRun; } };
})();
