/* 议事厅 — small progressive enhancements. Every page works without this file (forms post normally).
   Loaded from /static/ only: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  // The script's sentences come from the page, translated server-side (base.html's data-msg-*, and data- attributes
  // of the element concerned), with {name} holes filled here.
  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (hole, key) { return key in values ? values[key] : hole; });
  }
  function said(name) { return document.body.getAttribute("data-msg-" + name) || ""; }

  function showMessage(text, kind) {
    var main = document.getElementById("main");
    if (!main) { return; }
    var list = main.querySelector(".messages");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messages";
      list.setAttribute("role", "status");
      main.insertBefore(list, main.firstChild);
    }
    var item = document.createElement("li");
    item.className = "message message-" + (kind || "info");
    item.textContent = text;
    list.appendChild(item);
  }
  window.yishitingMessage = showMessage;  // for the page scripts that load after this one (autosave.js)

  // Language switch: submit as soon as a language is picked; the button stays for no-JS browsers. Someone
  // moving through the options with the arrow keys is not sent away at the first one: the button comes back.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    var button = form.querySelector("button[type=submit]"), byKeyboard = false;
    if (button) { button.hidden = true; }
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("keydown", function () {
        byKeyboard = true;
        if (button) { button.hidden = false; }
      });
      select.addEventListener("change", function () { if (!byKeyboard) { form.submit(); } });
    });
  });

  document.addEventListener("click", function (event) {
    var printer = event.target.closest("[data-print]");
    if (printer) {
      window.print();
      return;
    }
    var copier = event.target.closest("[data-copy]");
    if (copier) {
      var source = document.querySelector(copier.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          copier.textContent = copier.getAttribute("data-copied") || said("copied");
        });
      }
    }
  });

  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // ---- demand pages (all optional: each form also works as a plain form) ----
  document.documentElement.classList.add("js");

  function formOf(element) { return element && element.closest("form"); }

  function submitForm(form) {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  // A category the person picked by hand is never overwritten by a later suggestion.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-suggest-target]") && event.isTrusted) {
      event.target.setAttribute("data-touched", "true");
    }
  });

  function applySuggestion(box) {
    var hint = box.querySelector("[data-suggest-category]");
    var select = formOf(box) && formOf(box).querySelector("select[data-suggest-target]");
    if (!hint || !select || select.getAttribute("data-touched") === "true") { return; }
    select.value = hint.getAttribute("data-suggest-category");
  }

  // "使用我的位置": fills latitude/longitude from the phone (needs HTTPS or localhost; asked each time).
  document.querySelectorAll("[data-geolocate]").forEach(function (button) {
    if (!navigator.geolocation) { return; }
    button.hidden = false;
    var form = formOf(button);
    var status = form.querySelector("[data-geolocate-status]");
    button.addEventListener("click", function () {
      status.textContent = status.getAttribute("data-locating");
      navigator.geolocation.getCurrentPosition(function (position) {
        form.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(6);
        form.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(6);
        status.textContent = fill(status.getAttribute("data-located"), {
          m: Math.round(position.coords.accuracy),
          lat: position.coords.latitude.toFixed(6), lon: position.coords.longitude.toFixed(6)
        });
      }, function () {
        status.textContent = status.getAttribute("data-unlocated");
      }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
  });

  // Photos and files: a big "拍照或选择照片" button (the native one is tiny and in the browser's language) and a
  // count, which also says at once when a file is over its limit (the server refuses it too, common.uploads).
  function pickedText(input) {
    var files = input.files || [];
    var maxBytes = Number(input.getAttribute("data-max-bytes") || 10485760), total = 0;
    function say(name, values) { return fill(input.getAttribute("data-" + name), values || {}); }
    if (files.length > 9) { return say("too-many", { n: files.length }); }
    for (var i = 0; i < files.length; i += 1) {
      total += files[i].size;
      if (files[i].size > maxBytes) { return say("too-big", { i: i + 1, mb: Math.round(maxBytes / 1048576) }); }
    }
    if (total > 60 * 1048576) { return say("too-much"); }
    return files.length ? say("picked", { n: files.length }) : "";
  }
  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-photo-input]")) { return; }
    var picker = event.target.closest(".photo-picker") || formOf(event.target);
    picker.querySelector("[data-photo-count]").textContent = pickedText(event.target);
  });

  // "返回上一页" on the 413 page: the browser's own back keeps what was typed in the form.
  document.addEventListener("click", function (event) {
    if (event.target.matches("[data-history-back]")) { history.back(); }
  });

  // Ctrl+Enter (or ⌘+Enter) in a long text box saves, as Enter does in the other fields.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.matches("textarea[data-ctrl-enter]")) {
      event.preventDefault();
      submitForm(formOf(event.target));
    }
  });

  // Keyboard pickers (area, resident): type, ↑/↓ to move through the matches, Enter to take one and go on.
  // Matches are radio buttons, so the choice is an ordinary form value (and works without this script).
  function pickerRadios(picker) {
    return Array.prototype.slice.call(picker.querySelectorAll("[data-picker-results] input[type=radio]"));
  }

  function markPicker(picker) {
    pickerRadios(picker).forEach(function (radio) {
      radio.closest(".picker-option").classList.toggle("is-checked", radio.checked);
    });
  }

  function confirmPicker(picker) {
    picker.setAttribute("data-picked", "true");
    picker.removeAttribute("data-enter-queued");
    markPicker(picker);
    var next = document.querySelector(picker.getAttribute("data-picker-next"));
    if (next && next.offsetParent !== null) { next.focus(); }
  }

  function movePicker(picker, step) {
    var radios = pickerRadios(picker);
    if (!radios.length) { return; }
    var index = radios.findIndex(function (radio) { return radio.checked; });
    index = Math.max(0, Math.min(radios.length - 1, index + step));
    radios[index].checked = true;
    picker.removeAttribute("data-picked");
    markPicker(picker);
    radios[index].closest(".picker-option").scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("input", function (event) {
    var picker = event.target.matches("[data-picker-input]") && event.target.closest("[data-picker]");
    if (picker) {
      picker.removeAttribute("data-picked");
      picker.setAttribute("data-pending", "true");  // results for the new text are on their way
    }
  });

  document.addEventListener("keydown", function (event) {
    var picker = event.target.matches("[data-picker-input]") && event.target.closest("[data-picker]");
    if (!picker) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      movePicker(picker, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && picker.getAttribute("data-picked") !== "true") {
      if (picker.getAttribute("data-pending") === "true") {
        event.preventDefault();
        picker.setAttribute("data-enter-queued", "true");  // take the first match once it arrives
      } else if (pickerRadios(picker).some(function (radio) { return radio.checked; })) {
        event.preventDefault();
        confirmPicker(picker);
      } else {
        event.preventDefault();  // nothing found (or nothing typed): Enter must not send the whole form
      }
    }
  });

  document.addEventListener("change", function (event) {
    var picker = event.target.matches("[data-picker-results] input[type=radio]") && event.target.closest("[data-picker]");
    if (picker) { picker.setAttribute("data-picked", "true"); markPicker(picker); }
  });

  function afterPickerResults(results) {
    var picker = results.closest("[data-picker]");
    var found = results.querySelector("[data-term]");
    var input = picker.querySelector("[data-picker-input]");
    if (found && found.getAttribute("data-term") !== input.value.trim()) {
      return;  // an answer to earlier keystrokes: the one for the current text is still coming
    }
    var radios = pickerRadios(picker);
    var current = picker.querySelector(".picker-current");
    if (current && radios.length) { current.remove(); }  // a new match replaces the earlier choice
    picker.removeAttribute("data-pending");
    picker.removeAttribute("data-picked");
    if (radios.length && !radios.some(function (radio) { return radio.checked; })) { radios[0].checked = true; }
    markPicker(picker);
    if (picker.getAttribute("data-enter-queued") === "true") {
      picker.removeAttribute("data-enter-queued");
      if (radios.length) { confirmPicker(picker); }
    }
  }

  // The meeting plan's invitee picker: people ticked among the matches join the list before the next search
  // replaces the matches, and a match already on the list is not offered twice.
  function inviteeHome() { return document.querySelector("[data-invitee-table] tbody"); }

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target, home = inviteeHome();
    if (!home || !target.matches("[data-invitee-results]")) { return; }
    target.querySelectorAll("tbody tr").forEach(function (row) {
      var box = row.querySelector("input[type=checkbox][name^='invite-']");
      if (box && box.checked) { home.appendChild(row); }
    });
  });

  function dropListedMatches(target) {
    var home = inviteeHome();
    if (!home) { return; }
    target.querySelectorAll("tbody tr").forEach(function (row) {
      var box = row.querySelector("input[type=checkbox][name^='invite-']");
      if (box && home.querySelector("input[name='" + box.name + "']")) { row.remove(); }
    });
  }

  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target.matches("[data-invitee-results]")) { dropListedMatches(target); }
    if (target.matches("[data-picker-results]")) { afterPickerResults(target); }
    if (target.matches(".suggestion-box")) { applySuggestion(target); }
  });

  // Show only the parts that apply: who reports (fast entry), and what each screening outcome needs.
  function showFor(form, inputName, attribute) {
    var checked = form.querySelector("input[name=" + inputName + "]:checked");
    var value = checked ? checked.value : "";
    form.querySelectorAll("[" + attribute + "]").forEach(function (part) {
      part.hidden = part.getAttribute(attribute).split(" ").indexOf(value) === -1;
    });
  }

  function natureFor(form) {
    var pairs = {};
    (form.getAttribute("data-outcome-natures") || "").split(",").forEach(function (pair) {
      var bits = pair.split(":");
      if (bits.length === 2) { pairs[bits[0]] = bits[1]; }
    });
    return pairs;
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (form.querySelector("input[name=mode]")) { showFor(form, "mode", "data-mode-section"); }
    if (form.hasAttribute("data-outcome-natures")) { showFor(form, "outcome", "data-for-outcome"); }
  });

  document.addEventListener("change", function (event) {
    var form = formOf(event.target);
    if (!form) { return; }
    if (event.target.name === "mode") { showFor(form, "mode", "data-mode-section"); }
    if (event.target.name === "nature" && event.isTrusted) { form.setAttribute("data-nature-touched", "true"); }
    if (event.target.name === "outcome" && form.hasAttribute("data-outcome-natures")) {
      showFor(form, "outcome", "data-for-outcome");
      var nature = natureFor(form)[event.target.value];
      var radio = nature && form.querySelector("input[name=nature][value=" + nature + "]");
      if (radio && form.getAttribute("data-nature-touched") !== "true") { radio.checked = true; }
    }
  });

  // htmx does not swap error responses; say what happened instead of silently doing nothing.
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403) {
      showMessage(said("forbidden"), "error");
    } else if (status === 404) {
      showMessage(said("missing"), "error");
    } else {
      showMessage(said("failed"), "error");
    }
  });
  document.body.addEventListener("htmx:sendError", function () {
    showMessage(said("offline"), "error");
  });
})();
