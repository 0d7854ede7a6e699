/* Plans (oversight hot spots).
 * - The demand form's "在平面图上点选位置": the plan of the chosen place; a tap, or the arrow keys, puts a marker
 *   there and fills latitude/longitude with the plan's affine map (six numbers from the server:
 *   lng = a·x + b·y + c, lat = d·x + e·y + f, x/y in pixels of the stored plan).
 * - The plan page (community staff): a tap fills the next reference point's pixel x/y. */
(function () {
  "use strict";

  function coefficients(figure) {
    return figure.getAttribute("data-coefficients").split(",").map(Number);
  }

  function toLatLng(k, x, y) { return [k[3] * x + k[4] * y + k[5], k[0] * x + k[1] * y + k[2]]; }

  function toPixel(k, lat, lng) {
    var det = k[0] * k[4] - k[1] * k[3], u = lng - k[2], v = lat - k[5];
    return [(k[4] * u - k[1] * v) / det, (k[0] * v - k[3] * u) / det];
  }

  function setupPicker(picker) {
    var form = picker.closest("form");
    var places = JSON.parse(document.getElementById("plan-places").textContent);
    var area = form.querySelector("[name=area]");
    var lat = form.querySelector("[name=latitude]"), lng = form.querySelector("[name=longitude]");
    var status = picker.querySelector("[data-plan-status]");
    var figures = picker.querySelectorAll("[data-plan]");

    function place(figure, x, y, fill) {
      var w = Number(figure.getAttribute("data-width")), h = Number(figure.getAttribute("data-height"));
      x = Math.min(Math.max(x, 0), w - 1); y = Math.min(Math.max(y, 0), h - 1);
      var marker = figure.querySelector(".plan-marker");
      marker.style.left = (100 * x / w) + "%"; marker.style.top = (100 * y / h) + "%"; marker.hidden = false;
      figure.dataset.x = x; figure.dataset.y = y;
      if (fill) {
        var point = toLatLng(coefficients(figure), x, y);
        lat.value = point[0].toFixed(6); lng.value = point[1].toFixed(6);
        status.textContent = picker.getAttribute("data-picked");
      }
    }

    function show() {
      var wanted = String(places[area.value] || "");
      var shown = null;
      figures.forEach(function (f) { f.hidden = f.getAttribute("data-plan") !== wanted; if (!f.hidden) { shown = f; } });
      picker.hidden = !shown;
      if (shown && lat.value && lng.value) {  // a form sent back with an error: the point stays where it was
        var p = toPixel(coefficients(shown), Number(lat.value), Number(lng.value));
        if (p[0] >= 0 && p[1] >= 0 && p[0] < Number(shown.getAttribute("data-width")) &&
            p[1] < Number(shown.getAttribute("data-height"))) { place(shown, p[0], p[1], false); }
      }
    }

    figures.forEach(function (figure) {
      var frame = figure.querySelector(".plan-frame"), img = frame.querySelector("img");
      img.addEventListener("click", function (event) {
        var rect = img.getBoundingClientRect();
        place(figure, (event.clientX - rect.left) * Number(figure.getAttribute("data-width")) / rect.width,
              (event.clientY - rect.top) * Number(figure.getAttribute("data-height")) / rect.height, true);
      });
      frame.addEventListener("keydown", function (event) {
        var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
        var move = moves[event.key];
        if (!move) { return; }
        event.preventDefault();
        var w = Number(figure.getAttribute("data-width")), h = Number(figure.getAttribute("data-height"));
        var step = Math.max(w, h) / 50;
        var x = figure.dataset.x ? Number(figure.dataset.x) : w / 2, y = figure.dataset.y ? Number(figure.dataset.y) : h / 2;
        place(figure, x + move[0] * step, y + move[1] * step, true);
      });
    });
    if (area) { area.addEventListener("change", show); }
    show();
  }

  function setupReference(frame) {
    var img = frame.querySelector("img"), status = document.querySelector("[data-plan-ref-status]"), next = 1;
    img.addEventListener("click", function (event) {
      var rect = img.getBoundingClientRect();
      var x = Math.round((event.clientX - rect.left) * Number(frame.getAttribute("data-width")) / rect.width);
      var y = Math.round((event.clientY - rect.top) * Number(frame.getAttribute("data-height")) / rect.height);
      document.getElementById("id_p" + next + "_x").value = x;
      document.getElementById("id_p" + next + "_y").value = y;
      status.textContent = frame.getAttribute("data-filled").replace("{n}", next);
      next = next % 3 + 1;
    });
  }

  function start() {
    document.querySelectorAll("[data-plan-picker]").forEach(setupPicker);
    document.querySelectorAll("[data-plan-ref]").forEach(setupReference);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
