// Managers pick seats on the map to block them: a click (or Enter) on a seat toggles it in the
// block form's hidden "seats" field. The map itself announces clicks with a seatmap:seat event.
(function () {
  "use strict";

  function form() { return document.getElementById("block-form"); }

  function picked(f) {
    var value = f.querySelector("input[name=seats]").value;
    return value ? value.split(",") : [];
  }

  function render(f, ids) {
    f.querySelector("input[name=seats]").value = ids.join(",");
    var note = document.getElementById("picked-seats");
    var labels = ids.map(function (id) {
      var seat = document.getElementById("seat-" + id);
      return seat ? seat.getAttribute("aria-label").split(",").slice(0, 2).join(",") : id;
    });
    note.textContent = labels.length ? labels.join(" · ") : note.dataset.empty;
    document.querySelectorAll(".seat.picked").forEach(function (el) { el.classList.remove("picked"); });
    ids.forEach(function (id) {
      var seat = document.getElementById("seat-" + id);
      if (seat) seat.classList.add("picked");
    });
  }

  document.addEventListener("seatmap:seat", function (event) {
    var f = form();
    if (!f) return;
    var id = String(event.detail.seatId);
    var ids = picked(f);
    var at = ids.indexOf(id);
    if (at >= 0) ids.splice(at, 1); else ids.push(id);
    render(f, ids);
  });
})();
