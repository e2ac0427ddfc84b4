/* "Cite this article": a Copy button after each citation line (APA, Chicago).
 *
 * The lines are plain text on the page and can be selected without this script; the button copies
 * one whole line, as text, to the clipboard, and says so.
 */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Without the asynchronous clipboard (a page served over plain http): select and copy.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "archive-copy-buffer";
    document.body.appendChild(area);
    area.select();
    var done = document.execCommand && document.execCommand("copy");
    area.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function prepare() {
    document.querySelectorAll(".archive-cite-line").forEach(function (line) {
      if (line.querySelector(".archive-copy")) return;
      var text = line.querySelector(".archive-cite-text");
      var style = line.querySelector(".archive-cite-style");
      if (!text) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "archive-copy";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy the " + (style ? style.textContent : "") + " citation");
      button.addEventListener("click", function () {
        copyText(text.textContent.replace(/\s+/g, " ").trim()).then(
          function () { button.textContent = "Copied"; },
          function () { button.textContent = "Select the text to copy it"; }
        );
      });
      line.appendChild(button);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(prepare);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", prepare);
  } else {
    prepare();
  }
})();
