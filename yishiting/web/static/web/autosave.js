/* 议事厅 — the safety net under a long text: what is typed into a form marked data-autosave="<key>" is kept in
   this browser (localStorage) until the form is saved, so a lost connection, a closed tab or a crash loses
   nothing. The key names the form and the signed-in account (a keyed hash), so another account on the same
   phone never gets it back; entries expire after a day. The page that shows a saved result carries
   data-autosave-clear="<key>". The server keeps drafts across an expired session too (web.guard). */
(function () {
  "use strict";

  var PREFIX = "yst-draft:";
  var DAY_MS = 24 * 3600 * 1000;

  function store() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function read(storage, key) {
    try { return JSON.parse(storage.getItem(key) || "null"); } catch (error) { return null; }
  }

  function note(text) {  // app.js (loaded first, deferred in document order) draws the message
    if (window.yishitingMessage) { window.yishitingMessage(text, "info"); }
  }

  var storage = store();
  if (!storage) { return; }

  var now = Date.now();
  for (var i = storage.length - 1; i >= 0; i -= 1) {  // forget what is older than a day
    var name = storage.key(i);
    if (name && name.indexOf(PREFIX) === 0) {
      var old = read(storage, name);
      if (!old || now - (old.at || 0) > DAY_MS) { storage.removeItem(name); }
    }
  }

  document.querySelectorAll("[data-autosave-clear]").forEach(function (element) {
    storage.removeItem(PREFIX + element.getAttribute("data-autosave-clear"));
  });

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var key = PREFIX + form.getAttribute("data-autosave");
    var field = form.querySelector("textarea[name=text]");
    if (!field) { return; }
    var saved = read(storage, key);
    if (saved && saved.text && !field.value.trim()) {
      // Once the page (and htmx) is ready, so that the live suggestion sees the restored text as typed.
      window.addEventListener("load", function () {
        if (field.value.trim()) { return; }
        field.value = saved.text;
        note(document.body.getAttribute("data-msg-restored") || "");
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
    }
    var timer = null;
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (field.value.trim()) {
          storage.setItem(key, JSON.stringify({ text: field.value, at: Date.now() }));
        } else {
          storage.removeItem(key);
        }
      }, 400);
    });
  });
})();
