// Choosing seats on a live map, for the box office and the storefront alike: what htmx cannot do
// alone. A click on the map holds the seat (shift-click, or "Tramo de fila" and a click, holds the
// run of the row from the last seat; a click on a table's top its free chairs), the hold countdown, one's own seats highlighted after live updates, and a full map refresh
// after the live connection comes back. The page marks its container with `data-seat-selection`,
// `data-hold-url` and `data-map-url`; the cart (basket) fragment is `#cart`, with `data-mine`.
(function () {
  "use strict";

  // The id, not the element: live updates replace seat elements, and a detached one is in no row.
  var lastSeatId = null;
  var shiftHeld = false;

  function root() { return document.querySelector("[data-seat-selection]"); }

  function csrfHeaders() {
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers;
  }

  // One hold at a time: a seat clicked while the last hold is on its way waits (marked on the map)
  // and goes with any others in the next one. Sent at once, its answer would be swapped into the
  // cart the first answer had already replaced, and the seat held but never shown in the cart.
  var holding = false;
  var waiting = [];
  var waitingCalm = false;

  function hold(seatIds, calm) {
    waitingCalm = !!calm;
    seatIds.forEach(function (id) {
      if (waiting.indexOf(id) === -1) waiting.push(id);
      var seat = document.getElementById("seat-" + id);
      if (seat) seat.classList.add("picked");
    });
    if (!holding) sendHold();
  }

  function sendHold() {
    var seatIds = waiting;
    var calm = waitingCalm;
    waiting = [];
    holding = true;
    var finished = false;
    // Should the request never end (no answer, nothing to swap into), clicks must not wait forever.
    var giveUp = window.setTimeout(done, 15000);
    function done() {
      if (finished) return;
      finished = true;
      window.clearTimeout(giveUp);
      holding = false;
      seatIds.forEach(function (id) {
        var seat = document.getElementById("seat-" + id);
        if (seat) seat.classList.remove("picked");
      });
      if (waiting.length) sendHold();
    }
    var request = function () {
      return htmx.ajax("POST", root().dataset.holdUrl, {
        target: "#cart", swap: "outerHTML", values: { seat: seatIds }, headers: csrfHeaders(),
      });
    };
    (calm ? calmly(request) : request()).then(done, done);
  }

  function runBetween(a, b) {
    // Seats of the same zone and row, in their order along the row, from a to b inclusive.
    var selector = '.seat[data-zone="' + a.dataset.zone + '"][data-row="' + a.dataset.row + '"]';
    var row = Array.prototype.slice.call(document.querySelectorAll(selector));
    row.sort(function (x, y) { return parseFloat(x.getAttribute("cx")) - parseFloat(y.getAttribute("cx")); });
    var i = row.indexOf(a), j = row.indexOf(b);
    if (i < 0 || j < 0) return [b];
    return row.slice(Math.min(i, j), Math.max(i, j) + 1);
  }

  // "Tramo de fila" ([data-row-run], aria-pressed): Shift for a touchscreen. Pressed, the next
  // seat chosen takes the run from the last one chosen in its row, and the button lets go; a seat
  // of another row starts the run instead.
  function rowRunButton() { return document.querySelector("[data-row-run]"); }
  function rowRunPressed() {
    var button = rowRunButton();
    return !!button && button.getAttribute("aria-pressed") === "true";
  }
  function pressRowRun(pressed) {
    var button = rowRunButton();
    if (button) button.setAttribute("aria-pressed", pressed ? "true" : "false");
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-row-run]")) pressRowRun(!rowRunPressed());
  });

  document.addEventListener("pointerdown", function (e) { shiftHeld = e.shiftKey; }, true);
  document.addEventListener("keydown", function (e) { shiftHeld = e.shiftKey; }, true);

  // A seat chosen by touch or pen: the cart that comes back must not take the focus (its
  // autofocus, the customer search): on a tablet that scrolls the page by hundreds of pixels, the
  // map leaves the screen and the finger's next tap lands on another seat. The page stays put.
  function byTouch(detail) {
    var original = detail.originalEvent;
    if (!original || original.type === "keydown") return false;
    var map = detail.map && detail.map.seatMap;
    var type = map && map.lastPointerType;
    return type === "touch" || type === "pen";
  }

  // Requests sent while `calmly` runs (htmx fires beforeRequest synchronously) swap a cart whose
  // autofocus is dropped before htmx settles it (and focuses [autofocus]).
  var calmRequests = new WeakSet();
  var calmNow = false;
  function calmly(send) {
    calmNow = true;
    try { return send(); } finally { calmNow = false; }
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (calmNow && event.detail && event.detail.xhr) calmRequests.add(event.detail.xhr);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail || !event.detail.xhr || !calmRequests.has(event.detail.xhr)) return;
    var cart = document.getElementById("cart");
    if (!cart) return;
    cart.querySelectorAll("[autofocus]").forEach(function (el) { el.removeAttribute("autofocus"); });
  });

  // The map's tooltip for a seat tapped that cannot be chosen ("Fila C, Asiento 10, Ocupado,
  // USD …"), for a moment.
  var TIP_MS = 2500;
  var tipTimer = null;
  function explain(detail) {
    var map = detail.map && detail.map.seatMap;
    if (!map) return;
    var id = detail.seat.id;
    map.showTooltip(detail.seat);
    window.clearTimeout(tipTimer);
    tipTimer = window.setTimeout(function () {
      if (map.tipTarget && map.tipTarget.id === id) map.hideTooltip();  // the seat may be redrawn
    }, TIP_MS);
  }

  // A double tap (or double click) is one choice: the second activation of the same seat within
  // this long neither releases the seat just held nor holds it again.
  var REPEAT_MS = 700;
  var lastActivation = { id: null, at: 0 };

  document.addEventListener("seatmap:seat", function (event) {
    if (!root()) return;
    var seat = event.detail.seat;
    var now = Date.now();
    if (lastActivation.id === seat.id && now - lastActivation.at < REPEAT_MS) return;
    lastActivation = { id: seat.id, at: now };
    var original = event.detail.originalEvent;
    var calm = byTouch(event.detail);
    if (seat.classList.contains("mine")) {
      var release = document.querySelector('#cart tr[data-seat-id="' + event.detail.seatId + '"] [data-release]');
      keepFocusOnSeat = original && original.type === "keydown" ? seat.id : null;
      if (release) {
        if (calm) calmly(function () { release.click(); });
        else release.click();
      }
      return;
    }
    if (event.detail.status !== "available") {
      // A tap on a seat someone else holds, sold or blocked says so (touch has no hover).
      if (calm) explain(event.detail);
      return;
    }
    var seats = [seat];
    var lastSeat = lastSeatId && document.getElementById(lastSeatId);
    var byButton = rowRunPressed();
    if ((shiftHeld || byButton) && lastSeat && lastSeat.dataset.zone === seat.dataset.zone && lastSeat.dataset.row === seat.dataset.row) {
      // Seats someone else holds or bought go along: the hold refuses the run whole and names
      // them, rather than leaving a gap in a group that wanted to sit together.
      seats = runBetween(lastSeat, seat).filter(function (s) { return !s.classList.contains("mine"); });
      if (byButton) pressRowRun(false);
    }
    lastSeatId = seat.id;
    // Chosen from the keyboard (Enter on a seat): the keyboard stays on the map for the next seat,
    // instead of following the cart's autofocus to the customer search.
    keepFocusOnSeat = original && original.type === "keydown" ? seat.id : null;
    hold(seats.map(function (s) { return s.dataset.seat; }), calm);
  });

  var keepFocusOnSeat = null;
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!keepFocusOnSeat || !event.detail || !event.detail.target || event.detail.target.id !== "cart") return;
    var seat = document.getElementById(keepFocusOnSeat);
    keepFocusOnSeat = null;
    if (seat) seat.focus({ preventScroll: true });
  });

  document.addEventListener("seatmap:table", function (event) {
    // A click on a table's top holds its free chairs (the whole table, when it is sold whole).
    if (!root()) return;
    var free = event.detail.chairs.filter(function (s) {
      return s.classList.contains("seat-available") && !s.classList.contains("mine");
    });
    var map = event.detail.map && event.detail.map.seatMap;
    var calm = !!map && (map.lastPointerType === "touch" || map.lastPointerType === "pen");
    if (free.length) hold(free.map(function (s) { return s.dataset.seat; }), calm);
  });

  document.addEventListener("seatmap:zone", function (event) {
    var input = document.querySelector('[data-zone-form="' + event.detail.zoneId + '"] input[name=quantity]');
    if (input) input.focus();
  });

  function markMine() {
    var cart = document.getElementById("cart");
    if (!cart) return;
    document.querySelectorAll(".seat.mine").forEach(function (el) {
      el.classList.remove("mine");
      el.removeAttribute("aria-pressed");
    });
    // Pressed: a screen reader tells this sale's seats from seats someone else holds.
    (cart.dataset.mine || "").split(",").forEach(function (id) {
      var seat = id && document.getElementById("seat-" + id);
      if (seat) {
        seat.classList.add("mine");
        seat.setAttribute("aria-pressed", "true");
      }
    });
  }

  function secondsLeft(el) {
    // From the seconds the server counted when it drew the cart, so a browser clock minutes off
    // the server's still shows the right time.
    if (!el.dataset.deadline) el.dataset.deadline = String(Date.now() + Number(el.dataset.expiresIn) * 1000);
    // Rounded up: 00:00 shows once the time is really up, not with most of a second left (the
    // server would refuse to end the hold yet).
    return Math.max(0, Math.ceil((Number(el.dataset.deadline) - Date.now()) / 1000));
  }

  // A minute before the hold ends, said once, to a screen reader and on screen at the bottom (the
  // countdown may be scrolled away, above a card form): the seller or customer can finish, or
  // knows why the cart empties.
  var warned = null;
  function announce(text) {
    var region = document.getElementById("countdown-announcer");
    if (region) region.textContent = text;
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (document.getElementById("countdown-announcer")) return;
    var region = document.createElement("p");
    region.id = "countdown-announcer";
    region.setAttribute("role", "status");
    document.body.appendChild(region);
  });

  function tick() {
    var counting = false;
    document.querySelectorAll("[data-expires-in]").forEach(function (el) {
      var left = secondsLeft(el);
      if (left > 0) counting = true;
      el.textContent = left > 0
        ? String(Math.floor(left / 60)).padStart(2, "0") + ":" + String(left % 60).padStart(2, "0")
        : el.dataset.expiredText;
      el.classList.toggle("urgent", left < 60);
      var warnedKey = el.dataset.expireUrl || "page";
      if (left > 0 && left <= 60 && el.dataset.warningText && warned !== warnedKey) {
        warned = warnedKey; // once per sale, however often the cart is drawn again
        announce(el.dataset.warningText);
      }
      if (left === 0) {  // the hold is gone: nothing may be charged any more
        var cart = el.closest("#cart");
        if (cart) cart.querySelectorAll("#payment-form button, #complete-form button").forEach(function (b) { b.disabled = true; });
        if (el.dataset.expireUrl && !(Number(el.dataset.expiring) > Date.now() - 5000)) {
          // Release it now, instead of a dead cart until the next sweep: the cart comes back
          // empty; a checkout page goes back to the event (the answer's HX-Redirect). Asked again
          // every 5 s while nothing came back: an answer lost on the network, or "not yet" from a
          // server whose clock is a moment behind.
          el.dataset.expiring = String(Date.now());
          htmx.ajax("POST", el.dataset.expireUrl, cart
            ? { source: cart, target: "#cart", swap: "outerHTML" }
            : { source: el, swap: "none", values: { then: "event" } });
        }
      }
    });
    // The warning goes with the hold it was about (completed, cancelled or over).
    if (!counting) announce("");
  }

  function liveStatus(state) {
    var el = document.querySelector("[data-live-status]");
    if (!el) return;
    el.dataset.liveStatus = state;
    el.textContent = state === "open" ? el.dataset.textOpen : el.dataset.textClosed;
  }

  document.addEventListener("htmx:wsClose", function () { liveStatus("closed"); });
  document.addEventListener("htmx:wsError", function () { liveStatus("closed"); });

  var opened = false;
  document.addEventListener("htmx:wsOpen", function () {
    liveStatus("open");
    if (opened && root()) {
      // Messages sent while we were disconnected are lost: fetch the whole map again.
      var map = document.querySelector("[data-seat-map]");
      htmx.ajax("GET", root().dataset.mapUrl, { target: "#" + map.id, swap: "outerHTML" });
    }
    opened = true;
  });
  document.addEventListener("seatmap:updated", markMine);
  document.addEventListener("htmx:afterSettle", markMine);
  document.addEventListener("DOMContentLoaded", markMine);
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
})();

// On a touchscreen the page opens at its top, with the stage and the front rows: a field further
// down that the page focuses on load (the row to type a seat by, the customer search, the
// payment) would scroll past them and bring up the on-screen keyboard. With a mouse (a fine
// pointer) the keyboard starts there as before. The browser focuses an autofocus field when it
// chooses (before or after this deferred script runs): until the person first touches or types,
// any focus the page itself gives a field of the sale is taken back, and the scroll with it.
(function () {
  "use strict";
  if (!window.matchMedia || window.matchMedia("(pointer: fine)").matches) return;
  var untouched = true;
  ["pointerdown", "touchstart", "keydown", "mousedown"].forEach(function (type) {
    document.addEventListener(type, function () { untouched = false; }, true);
  });
  function isField(el) {
    var scope = document.querySelector("[data-seat-selection]");
    return !!scope && !!el && el !== document.body && scope.contains(el) &&
      el.matches("input, select, textarea, button");
  }
  // Where the page was before the browser focused the field: it scrolls the field into view
  // before the focus event, and says so (a scroll event) only after it.
  var lastY = window.scrollY;
  window.addEventListener("scroll", function () { lastY = window.scrollY; });
  function giveBack(el, top) {
    el.blur();
    window.scrollTo(window.scrollX, top);
  }
  document.addEventListener("focusin", function (event) {
    if (untouched && isField(event.target)) giveBack(event.target, lastY);
  }, true);
  if (isField(document.activeElement)) giveBack(document.activeElement, 0);  // focused already
})();

// A page with a live map brought back by Back from the browser's memory shows the cart, the
// countdown and the seats as they were when it was left (a sale since completed, its seats since
// sold): load it again from the server.
window.addEventListener("pageshow", function (event) {
  if (event.persisted && document.querySelector("[data-seat-selection]")) window.location.reload();
});

// A refusal the cart (the box office's, or the storefront's basket) answers with (a seat taken
// meanwhile, the most a sale may have) is said at the cart's top. Where the cart is below the map
// and that is out of sight, the banner at the foot of the screen says it too: the tap must not
// seem to do nothing. The next request hides it.
document.addEventListener("htmx:afterSettle", function (event) {
  var detail = event.detail || {};
  if (!detail.xhr || detail.xhr.status < 400 || !detail.target || detail.target.id !== "cart") return;
  var refusal = document.querySelector("#cart [role=alert]");
  if (!refusal) return;
  var box = refusal.getBoundingClientRect();
  if (box.top >= 0 && box.bottom <= window.innerHeight) return;
  document.dispatchEvent(new CustomEvent("app:request-error", { detail: { message: refusal.textContent.trim() } }));
});

// The box office's bar at the foot of the screen (its cart's .basket-bar, where the cart is below
// the map) stands in for the cart while it is out of sight: once the cart's totals or payments
// are in view, it goes. The storefront's basket bar is left as it is.
(function () {
  "use strict";
  if (!("IntersectionObserver" in window)) return;
  var shown = new Set();
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) shown.add(entry.target); else shown.delete(entry.target);
    });
    update();
  });
  function update() {
    var bar = document.querySelector(".box-office #cart .basket-bar");
    if (bar) bar.classList.toggle("cart-in-view", shown.size > 0);
  }
  function onScreen(el) {
    var box = el.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  }
  // Swapped in anew (a seat, a payment): watch the new parts, and decide at once rather than
  // show the bar for a frame over a cart in view.
  function watch() {
    observer.disconnect();
    shown.clear();
    document.querySelectorAll(".box-office #cart .totals, .box-office #cart-payments").forEach(function (el) {
      if (onScreen(el)) shown.add(el);
      observer.observe(el);
    });
    update();
  }
  document.addEventListener("DOMContentLoaded", watch);
  document.addEventListener("htmx:afterSettle", watch);
})();
