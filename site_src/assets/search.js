/* Search for large archives, with Pagefind.
 *
 * Material's own search ships the whole index as one file, which every reader downloads before
 * the first result (megabytes at a few thousand pages). Above a size, `archive build` indexes the
 * site with Pagefind instead, leaves Material's search out and adds this script. It puts a search
 * box in the header and, on the first query, loads Pagefind from this site (pagefind/pagefind.js
 * and its WebAssembly); each query then fetches only the parts of the index that hold its words,
 * and one small fragment per result shown. Nothing is requested from another host, and nothing
 * from the index is inserted as HTML: titles and excerpts are set as text, with the matched words
 * in <mark>.
 */
(function () {
  "use strict";

  var RESULTS = 6; // results shown per query (each needs one fragment)
  var script = document.currentScript;
  var root = new URL("../", script ? script.src : location.href); // assets/ → site root
  var pagefind = null;
  var hidden = []; // ids of each bundle's word-list page and of entries indexed again, never a result
  var eachWord = false; // check each word of a query on its own (a small delta bundle drops words it lacks)
  var pending = 0;
  var box, input, panel, list, status;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
        // No worker: it would be one more script to download before the first result.
        return module
          .options({ baseUrl: root.pathname, noWorker: true })
          .then(function () {
            // Large archives are indexed in several bundles (see generator/engines/pagefind.py); the
            // further ones are merged into the first and share its WebAssembly.
            return fetch(new URL("pagefind/bundles.json", root).href).then(function (response) {
              return response.ok ? response.json() : {};
            });
          })
          .then(function (bundles) {
            hidden = bundles.hidden || [];
            eachWord = bundles.each_word === true;
            return Promise.all(
              (bundles.bundles || [])
                .filter(function (folder) {
                  return /^pagefind-([0-9]+|delta)\/$/.test(folder);
                })
                .map(function (folder) {
                  return module.mergeIndex(new URL(folder, root).pathname, { baseUrl: root.pathname });
                })
            );
          })
          .then(function () {
            return module;
          });
      });
    }
    return pagefind;
  }

  function decode(text) {
    // Pagefind's excerpts escape the page's text as HTML; read it back as text.
    var doc = new DOMParser().parseFromString("<!doctype html><body>" + text, "text/html");
    return doc.body.textContent || "";
  }

  function excerpt(html) {
    var out = document.createElement("span");
    out.className = "archive-search__excerpt";
    html.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      if (part) {
        var node = document.createTextNode(decode(part));
        if (marked) {
          var mark = document.createElement("mark");
          mark.appendChild(node);
          out.appendChild(mark);
        } else {
          out.appendChild(node);
        }
      }
      return marked;
    }, false);
    return out;
  }

  function show(message, results) {
    status.textContent = message;
    list.textContent = "";
    (results || []).forEach(function (data) {
      var item = document.createElement("li");
      item.className = "archive-search__item";
      var link = document.createElement("a");
      link.href = data.url;
      var title = document.createElement("span");
      title.className = "archive-search__title";
      title.textContent = (data.meta && data.meta.title) || data.url;
      link.appendChild(title);
      link.appendChild(excerpt(data.excerpt || ""));
      item.appendChild(link);
      list.appendChild(item);
    });
    panel.hidden = false;
  }

  function find(module, query) {
    // A bundle answers a query with the pages holding the words it knows, dropping the others:
    // the delta bundle of recently changed pages knows few words. So, when there is one, each
    // word is also searched on its own, and only the pages found for every word are kept
    // (the same index chunks serve both, so this downloads nothing more).
    var words = query.split(/\s+/).filter(function (word) {
      return word.length > 0;
    });
    if (!eachWord || words.length < 2 || /["]/.test(query)) return module.search(query);
    return Promise.all(
      [module.search(query)].concat(
        words.map(function (word) {
          return module.search(word);
        })
      )
    ).then(function (answers) {
      var each = answers.slice(1).map(function (answer) {
        return answer.results.map(function (result) {
          return result.id;
        });
      });
      return {
        results: answers[0].results.filter(function (result) {
          return each.every(function (ids) {
            return ids.indexOf(result.id) >= 0;
          });
        }),
      };
    });
  }

  function search() {
    var query = input.value.trim();
    var ticket = ++pending;
    if (query.length < 2) {
      panel.hidden = true;
      return;
    }
    show("Searching…");
    load()
      .then(function (module) {
        return find(module, query);
      })
      .then(function (found) {
        var results = found.results.filter(function (result) {
          return hidden.indexOf(result.id) < 0;
        });
        var shown = results.slice(0, RESULTS);
        return Promise.all(
          shown.map(function (result) {
            return result.data();
          })
        ).then(function (data) {
          return { total: results.length, data: data };
        });
      })
      .then(function (answer) {
        if (ticket !== pending) return; // a newer query is on its way
        var count = answer.total === 1 ? "1 page" : answer.total + " pages";
        var message = answer.total
          ? count + " found" + (answer.total > RESULTS ? "; the first " + RESULTS + " shown" : "")
          : "No page found";
        show(message, answer.data);
      })
      .catch(function () {
        if (ticket === pending) show("Search is not available on this copy of the site.");
      });
  }

  function build() {
    var header = document.querySelector(".md-header__inner");
    if (!header || document.querySelector(".archive-search")) return;
    box = document.createElement("form");
    box.className = "archive-search";
    box.setAttribute("role", "search");
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      search();
    });
    input = document.createElement("input");
    input.type = "search";
    input.className = "archive-search__input";
    input.placeholder = "Search";
    input.setAttribute("aria-label", "Search the archive");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-controls", "archive-search-results");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        panel.hidden = true;
        input.blur();
      }
    });
    panel = document.createElement("div");
    panel.className = "archive-search__panel";
    panel.id = "archive-search-results";
    panel.hidden = true;
    status = document.createElement("p");
    status.className = "archive-search__status";
    status.setAttribute("aria-live", "polite");
    list = document.createElement("ol");
    list.className = "archive-search__list";
    panel.appendChild(status);
    panel.appendChild(list);
    box.appendChild(input);
    box.appendChild(panel);
    var before = header.querySelector(".md-header__option, .md-header__source");
    header.insertBefore(box, before);
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target)) panel.hidden = true;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", build);
  } else {
    build();
  }
})();
