/* Editorial notes open in place.
 *
 * Each marker in the text (<sup class="note-ref"><a href="#note-ID" data-note="N"></a></sup>; the
 * stylesheet shows N) is a link to the numbered note after the article, which is how the page
 * works without JavaScript. This script turns the markers into buttons that show the note in a
 * popover next to them; a click on the marked words opens it too. Escape, the close button or a
 * click elsewhere closes it, and focus returns to the marker.
 *
 * It also follows links to a passage in browsers without Text Fragments: "#anchor-ID:~:text=…"
 * is then an unknown id, and the script scrolls to the element named before ":~:".
 */
(function () {
  "use strict";

  var current = null; // { marker: Element, popover: Element }

  function markers(root) {
    return (root || document).querySelectorAll("sup.note-ref > a[href^='#note-']");
  }

  function prepare() {
    markers().forEach(function (marker) {
      marker.setAttribute("role", "button");
      marker.setAttribute("aria-haspopup", "dialog");
      marker.setAttribute("aria-expanded", "false");
    });
  }

  function close(returnFocus) {
    if (!current) return;
    var marker = current.marker;
    current.popover.remove();
    marker.setAttribute("aria-expanded", "false");
    marker.removeAttribute("aria-controls");
    current = null;
    if (returnFocus) marker.focus();
  }

  function place(popover, marker) {
    var rect = marker.getBoundingClientRect();
    var width = popover.offsetWidth;
    var page = document.documentElement.clientWidth;
    var left = Math.min(Math.max(8, rect.left - 16), Math.max(8, page - width - 8));
    popover.style.left = left + window.scrollX + "px";
    popover.style.top = rect.bottom + window.scrollY + 6 + "px";
  }

  function open(marker) {
    var id = marker.getAttribute("href").slice(1);
    var item = document.getElementById(id);
    if (!item) return;
    close(false);
    var popover = document.createElement("div");
    var kind = marker.getAttribute("data-kind");
    popover.className = "note-popover" + (kind ? " note-popover--" + kind : "");
    popover.id = "popover-" + id;
    popover.setAttribute("role", "dialog");
    popover.setAttribute("aria-label", marker.getAttribute("aria-label") || "Editorial note " + marker.getAttribute("data-note"));
    popover.tabIndex = -1;

    var button = document.createElement("button");
    button.type = "button";
    button.className = "note-popover__close";
    button.setAttribute("aria-label", "Close note");
    button.textContent = "\u00d7";
    button.addEventListener("click", function () { close(true); });
    popover.appendChild(button);

    // The note's own content, without ids (they must stay unique) and without its back-link.
    var copy = item.cloneNode(true);
    copy.querySelectorAll(".note-back").forEach(function (link) {
      var before = link.previousSibling;
      if (before && before.nodeType === Node.TEXT_NODE) {
        before.textContent = before.textContent.replace(/\s*\u00b7\s*$/, "");
      }
      link.remove();
    });
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    while (copy.firstChild) popover.appendChild(copy.firstChild);

    document.body.appendChild(popover);
    place(popover, marker);
    marker.setAttribute("aria-expanded", "true");
    marker.setAttribute("aria-controls", popover.id);
    current = { marker: marker, popover: popover };
    popover.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (event) {
    var marker = event.target.closest && event.target.closest("sup.note-ref > a[href^='#note-']");
    if (marker) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      if (current && current.marker === marker) close(true);
      else open(marker);
      return;
    }
    // The marked words open their note too, unless the click was on a link among them.
    var mark = event.target.closest && event.target.closest("mark.note-anchor[data-note]");
    if (mark && !event.target.closest("a[href]") && !(current && current.popover.contains(event.target))) {
      var own = document.querySelector(
        "sup.note-ref > a[data-note='" + mark.getAttribute("data-note") + "']"
      );
      if (own && !(window.getSelection && String(window.getSelection()).length)) {
        if (current && current.marker === own) close(false);
        else open(own);
        return;
      }
    }
    if (current && !current.popover.contains(event.target)) close(false);
  });

  function followTextFragment() {
    // A browser with Text Fragments has already scrolled to the words and removed the directive
    // from location.hash; without, the hash still holds it.
    var hash = location.hash;
    var at = hash.indexOf(":~:");
    if (at < 1) return;
    var target = document.getElementById(decodeURIComponent(hash.slice(1, at)));
    if (target) target.scrollIntoView();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) {
      event.preventDefault();
      close(true);
    } else if (event.key === " " && event.target.matches && event.target.matches("sup.note-ref > a[href^='#note-']")) {
      // Buttons open on Space as well as Enter.
      event.preventDefault();
      event.target.click();
    }
  });

  window.addEventListener("resize", function () {
    if (current) place(current.popover, current.marker);
  });

  // Material's instant navigation (if enabled) swaps pages without a load event.
  function ready() {
    prepare();
    followTextFragment();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { close(false); ready(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
