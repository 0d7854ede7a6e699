/* 议事厅 — small progressive enhancements. Every page works without this file (forms post normally).
   Loaded from /static/ only: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

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

  // Language switch: submit as soon as a language is picked; the button stays for no-JS browsers.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    var button = form.querySelector("button[type=submit]");
    if (button) { button.hidden = true; }
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { form.submit(); });
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
          copier.textContent = copier.getAttribute("data-copied") || "已复制";
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

  // htmx does not swap error responses; say what happened instead of silently doing nothing.
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403) {
      showMessage("您没有执行此操作的权限。", "error");
    } else if (status === 404) {
      showMessage("找不到该记录，或您无权查看。", "error");
    } else {
      showMessage("操作没有成功，请稍后重试。", "error");
    }
  });
  document.body.addEventListener("htmx:sendError", function () {
    showMessage("网络连接失败，请检查网络后重试。", "error");
  });
})();
