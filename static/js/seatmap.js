// The seat map (events/_seat_map.html): zoom, pan, tooltip and seat selection events.
//
// Zoom: the +/−/reset buttons, Ctrl/⌘ + wheel (or a trackpad pinch), the plain wheel while the map
// itself has focus, two-finger pinch, and the keys + − 0 while focus is in the map. Pan: drag, or the
// arrow keys while the map itself (not a seat) has focus. Zoom and pan change the SVG's viewBox.
//
// Selection: a click, a tap (on a phone, a tap on seats too small for a finger zooms in first),
// Enter or Space on a seat dispatches a bubbling `seatmap:seat`
// CustomEvent on the seat, detail {seatId, status, zoneId, row, number, seat, map}; on a
// general-admission area, `seatmap:zone` with detail {zoneId, area, map}. A drag (more than a few
// pixels of movement) is never a click.
//
// Zoomed in until seats are some 24 px across, seats show their numbers (the first in view of each
// row its row too, "P25"): a layer of text that taps go through, for the seats in view only.
//
// Listeners are delegated to each map's container, so seats swapped by htmx (out of band, by id)
// keep working; a whole map swapped in is set up on htmx:load and keeps the zoom it had.
(function () {
  "use strict";

  // px of movement before a press becomes a drag: a finger (or pen) wobbles more than a mouse,
  // and a tap moving 8–10 px is still a tap.
  var DRAG_THRESHOLD = 6;
  var DRAG_THRESHOLD_TOUCH = 10;
  var MIN_VIEW_WIDTH = 36; // SVG units: the closest zoom shows about three seats across
  var MAX_ZOOM_OUT = 1.5; // the widest view, relative to the whole map
  var STEP = 1.5; // zoom factor of a button press or a key
  var PAN_STEP = 0.15; // fraction of the view an arrow key moves
  // A finger cannot pick a seat drawn smaller than this (CSS px): a tap there zooms in around it
  // until seats are TAP_ZOOM_SIZE across, and the next tap picks.
  var TAP_MIN_SIZE = 20;
  var TAP_ZOOM_SIZE = 32;
  var STATUSES = ["available", "held", "sold", "blocked"];
  // Seats drawn at least this big (CSS px) show their numbers, and the first one in view of each
  // row its row too ("P25"): zoomed in, a big map is no longer a field of identical circles.
  var NUMBERS_MIN_SIZE = 24;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var savedViews = {}; // map id → viewBox, so a map swapped by htmx keeps its zoom
  var pointerInput = false; // was the last input a pointer (true) or a key (false)?

  document.addEventListener("pointerdown", function () { pointerInput = true; }, true);
  document.addEventListener("keydown", function () { pointerInput = false; }, true);

  function parseBox(text) {
    var p = String(text || "").trim().split(/[\s,]+/).map(Number);
    return { x: p[0] || 0, y: p[1] || 0, w: p[2] || 1, h: p[3] || 1 };
  }

  function statusOf(seat) {
    for (var i = 0; i < STATUSES.length; i++) {
      if (seat.classList.contains("seat-" + STATUSES[i])) return STATUSES[i];
    }
    return "";
  }

  function SeatMap(root) {
    this.root = root;
    this.viewport = root.querySelector(".seat-map-viewport");
    this.tooltip = root.querySelector(".seat-map-tooltip");
    this.pointers = {};
    this.drag = null;
    this.pinch = null;
    this.suppressClick = false;
    this.tipTarget = null;
    this.adoptSvg();
    this.bind();
  }

  SeatMap.prototype.svg = function () {
    return this.root.querySelector("svg.seat-map-svg");
  };

  // Called at start and whenever a new <svg> is swapped into this map.
  SeatMap.prototype.adoptSvg = function () {
    var svg = this.svg();
    if (!svg) return;
    this.home = parseBox(svg.getAttribute("data-view-box") || svg.getAttribute("viewBox"));
    this.seatIndex = null; // positions of this <svg>'s seats, read once (seatNumbers)
    this.numbersDrawn = null;
    var saved = savedViews[this.root.id];
    this.setView(saved || this.home);
  };

  SeatMap.prototype.setView = function (box) {
    var svg = this.svg();
    if (!svg || !this.home) return;
    var home = this.home;
    var aspect = home.h / home.w;
    var w = Math.min(Math.max(box.w, MIN_VIEW_WIDTH), home.w * MAX_ZOOM_OUT);
    var h = w * aspect;
    var cx = box.x + box.w / 2;
    var cy = box.y + box.h / 2;
    // Keep the centre over the map, so it can never be panned out of sight.
    cx = Math.min(Math.max(cx, home.x), home.x + home.w);
    cy = Math.min(Math.max(cy, home.y), home.y + home.h);
    this.view = { x: cx - w / 2, y: cy - h / 2, w: w, h: h };
    svg.setAttribute("viewBox", [this.view.x, this.view.y, w, h].map(function (n) {
      return Math.round(n * 100) / 100;
    }).join(" "));
    savedViews[this.root.id] = this.view;
    // Zoomed in, one finger pans the map; with the whole map in view a vertical swipe scrolls
    // the page (the map fills most of an upright tablet's screen): seatmap.css, touch-action.
    this.root.classList.toggle("is-zoomed", w < home.w * 0.999);
    this.hideTooltip();
    this.scheduleNumbers();
  };

  // Seat numbers: a layer of <text> over the seats in view, drawn once a frame at most while
  // zooming or panning, and only when seats are big enough to hold them. It is its own <g>, so
  // live updates (seats replaced by id) leave it alone; a whole new <svg> gets its own.
  SeatMap.prototype.scheduleNumbers = function () {
    var self = this;
    if (this.numbersFrame) return;
    this.numbersFrame = window.requestAnimationFrame(function () {
      self.numbersFrame = null;
      self.drawNumbers();
    });
  };

  SeatMap.prototype.seats = function () {
    if (this.seatIndex) return this.seatIndex;
    var list = [], biggest = 0;
    var elements = this.svg().querySelectorAll(".seat");
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      var r = parseFloat(el.getAttribute("r")) || 0;
      biggest = Math.max(biggest, r);
      list.push({
        x: parseFloat(el.getAttribute("cx")) || 0, y: parseFloat(el.getAttribute("cy")) || 0, r: r,
        row: (el.getAttribute("data-zone") || "") + "/" + (el.getAttribute("data-row") || ""),
        label: el.getAttribute("data-row") || "", number: el.getAttribute("data-number") || "",
        chair: !!el.closest(".zone-tables") // a table's chairs: the table's number is on its top
      });
    }
    this.seatIndex = { list: list, biggest: biggest };
    return this.seatIndex;
  };

  function escapeText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  SeatMap.prototype.drawNumbers = function () {
    var svg = this.svg();
    if (!svg) return;
    var layer = svg.querySelector("g.seat-numbers");
    var ctm = svg.getScreenCTM();
    var scale = ctm ? ctm.a : 0;
    var index = this.seats();
    if (!scale || index.biggest * 2 * scale < NUMBERS_MIN_SIZE) {
      if (layer) layer.remove();
      this.numbersDrawn = null;
      return;
    }
    // What the viewport shows, in SVG units (wider than the viewBox when letterboxed).
    var frame = this.viewport.getBoundingClientRect();
    var a = this.toSvg(frame.left, frame.top), b = this.toSvg(frame.right, frame.bottom);
    var key = [a.x, a.y, b.x, b.y].map(function (n) { return n.toFixed(1); }).join(" ");
    if (layer && this.numbersDrawn === key) return;
    var inView = [], first = {};
    index.list.forEach(function (seat) {
      if (seat.r * 2 * scale < NUMBERS_MIN_SIZE) return;
      if (seat.x + seat.r < a.x || seat.x - seat.r > b.x || seat.y + seat.r < a.y || seat.y - seat.r > b.y) return;
      inView.push(seat);
      // The row goes on its first seat wholly in view, not on one cut by the edge.
      if (seat.chair || seat.x - seat.r < a.x || seat.x + seat.r > b.x) return;
      if (!first[seat.row] || seat.x < first[seat.row].x) first[seat.row] = seat;
    });
    var out = inView.map(function (seat) {
      var text = first[seat.row] === seat ? seat.label + seat.number : seat.number;
      var size = Math.min(seat.r * 1.1, (seat.r * 1.8) / (0.62 * Math.max(text.length, 1)));
      return '<text x="' + seat.x + '" y="' + seat.y + '" font-size="' + size.toFixed(2) + '">' +
        escapeText(text) + "</text>";
    });
    if (!layer) {
      layer = document.createElementNS(SVG_NS, "g");
      layer.setAttribute("class", "seat-numbers");
      layer.setAttribute("pointer-events", "none");
      layer.setAttribute("aria-hidden", "true");
      svg.appendChild(layer);
    }
    layer.innerHTML = out.join("");
    this.numbersDrawn = key;
  };

  // SVG units per screen pixel, and the SVG point under a client position.
  SeatMap.prototype.toSvg = function (clientX, clientY) {
    var svg = this.svg();
    var ctm = svg.getScreenCTM();
    if (!ctm) return { x: this.view.x + this.view.w / 2, y: this.view.y + this.view.h / 2, scale: 1 };
    var point = svg.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    var p = point.matrixTransform(ctm.inverse());
    return { x: p.x, y: p.y, scale: ctm.a };
  };

  // Zoom by `factor` (>1 closer) keeping the SVG point under (clientX, clientY) in place.
  SeatMap.prototype.zoom = function (factor, clientX, clientY) {
    if (!this.view) return;
    var v = this.view;
    var p;
    if (clientX === undefined) {
      p = { x: v.x + v.w / 2, y: v.y + v.h / 2 };
    } else {
      p = this.toSvg(clientX, clientY);
    }
    var w = Math.min(Math.max(v.w / factor, MIN_VIEW_WIDTH), this.home.w * MAX_ZOOM_OUT);
    var f = v.w / w;
    this.setView({ x: p.x - (p.x - v.x) / f, y: p.y - (p.y - v.y) / f, w: w, h: v.h / f });
  };

  SeatMap.prototype.pan = function (dx, dy) {
    var v = this.view;
    if (v) this.setView({ x: v.x + dx, y: v.y + dy, w: v.w, h: v.h });
  };

  SeatMap.prototype.reset = function () {
    if (this.home) this.setView(this.home);
  };

  // Bring a focused seat into view when Tab reaches one outside the current view.
  SeatMap.prototype.reveal = function (element) {
    var v = this.view;
    if (!v || !element.getBBox) return;
    var b = element.getBBox();
    var margin = Math.min(v.w, v.h) * 0.05;
    if (b.x < v.x + margin || b.y < v.y + margin || b.x + b.width > v.x + v.w - margin ||
        b.y + b.height > v.y + v.h - margin) {
      this.setView({ x: b.x + b.width / 2 - v.w / 2, y: b.y + b.height / 2 - v.h / 2, w: v.w, h: v.h });
    }
  };

  // A tap on a seat too small for a finger zooms in around it instead; true when it did.
  SeatMap.prototype.zoomToTap = function (seat, event) {
    if (!seat.classList.contains("seat")) return false; // general admission: a big area
    var box = seat.getBoundingClientRect();
    var size = Math.max(box.width, box.height);
    if (!size || size >= TAP_MIN_SIZE || !this.view || this.view.w <= MIN_VIEW_WIDTH) return false;
    event.preventDefault();
    this.zoom(TAP_ZOOM_SIZE / size, event.clientX, event.clientY);
    return true;
  };

  SeatMap.prototype.showTooltip = function (target, clientX, clientY) {
    var tip = this.tooltip;
    if (!tip) return;
    if (this.tipTarget === target && !tip.hidden && clientX !== undefined) {
      this.placeTooltip(target, clientX, clientY);
      return;
    }
    this.tipTarget = target;
    var zone = target.closest(".zone");
    var zoneName = zone ? zone.getAttribute("aria-label") : "";
    var label = target.getAttribute("aria-label") || "";
    tip.textContent = "";
    if (zoneName && target.classList.contains("seat")) {
      var strong = document.createElement("strong");
      strong.textContent = zoneName;
      tip.appendChild(strong);
    }
    tip.appendChild(document.createTextNode(label));
    tip.hidden = false;
    this.placeTooltip(target, clientX, clientY);
  };

  // Above the pointer (or the focused seat), or below it when there is no room above in the map.
  SeatMap.prototype.placeTooltip = function (target, clientX, clientY) {
    var tip = this.tooltip;
    var box = this.root.getBoundingClientRect();
    var frame = this.viewport.getBoundingClientRect();
    var x, above, below;
    if (clientX === undefined) {
      var r = target.getBoundingClientRect();
      x = r.left + r.width / 2;
      above = r.top - 6;
      below = r.bottom + 6;
    } else {
      x = clientX;
      above = clientY - 14;
      below = clientY + 22;
    }
    var top = above - tip.offsetHeight;
    if (top < frame.top) top = below;
    var left = Math.min(Math.max(x - tip.offsetWidth / 2, box.left + 4), box.right - tip.offsetWidth - 4);
    tip.style.left = (left - box.left) + "px";
    tip.style.top = (top - box.top) + "px";
  };

  SeatMap.prototype.hideTooltip = function () {
    if (this.tooltip) this.tooltip.hidden = true;
    this.tipTarget = null;
  };

  SeatMap.prototype.choose = function (target, original) {
    var detail;
    if (target.classList.contains("seat")) {
      detail = {
        seatId: Number(target.getAttribute("data-seat")),
        status: statusOf(target),
        zoneId: Number(target.getAttribute("data-zone")),
        row: target.getAttribute("data-row"),
        number: Number(target.getAttribute("data-number")),
        seat: target,
        map: this.root,
        originalEvent: original
      };
      target.dispatchEvent(new CustomEvent("seatmap:seat", { bubbles: true, detail: detail }));
    } else {
      detail = { zoneId: Number(target.getAttribute("data-ga-zone")), area: target, map: this.root,
                 originalEvent: original };
      target.dispatchEvent(new CustomEvent("seatmap:zone", { bubbles: true, detail: detail }));
    }
  };

  function choosable(element) {
    return element && element.closest ? element.closest(".seat, [data-ga-zone]") : null;
  }

  SeatMap.prototype.bind = function () {
    var self = this;
    var root = this.root;

    root.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (button) {
        var action = button.getAttribute("data-zoom");
        if (action === "in") self.zoom(STEP);
        else if (action === "out") self.zoom(1 / STEP);
        else self.reset();
        return;
      }
      if (self.suppressClick) { // the end of a drag, not a click
        self.suppressClick = false;
        event.preventDefault();
        event.stopPropagation();
        return;
      }
      var target = choosable(event.target);
      if (target && root.contains(target) && self.lastPointerType === "touch" && self.zoomToTap(target, event)) {
        return;
      }
      if (target && root.contains(target)) self.choose(target, event);
      var table = !target && event.target.closest("[data-table-zone]");
      if (table && root.contains(table)) {
        // The top of a table: its chairs, for pages that hold a whole table at once. Keyboard
        // users reach the chairs themselves (the top is aria-hidden).
        var chairs = root.querySelectorAll('.seat[data-zone="' + table.getAttribute("data-table-zone") +
          '"][data-row="' + table.getAttribute("data-table-row") + '"]');
        table.dispatchEvent(new CustomEvent("seatmap:table", {
          bubbles: true, detail: { chairs: Array.prototype.slice.call(chairs), table: table, map: root }
        }));
      }
    });

    root.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return; // leave browser shortcuts alone
      var target = choosable(event.target);
      if (target && (event.key === "Enter" || event.key === " " || event.key === "Spacebar")) {
        event.preventDefault();
        self.choose(target, event);
        return;
      }
      if (event.target.closest("button, a, input, select, textarea")) return;
      var handled = true;
      if (event.key === "+" || event.key === "=") self.zoom(STEP);
      else if (event.key === "-" || event.key === "_") self.zoom(1 / STEP);
      else if (event.key === "0") self.reset();
      else if (event.key === "Escape") self.hideTooltip();
      else if (event.target === self.viewport && event.key.indexOf("Arrow") === 0 && self.view) {
        var dx = 0, dy = 0;
        if (event.key === "ArrowLeft") dx = -self.view.w * PAN_STEP;
        if (event.key === "ArrowRight") dx = self.view.w * PAN_STEP;
        if (event.key === "ArrowUp") dy = -self.view.h * PAN_STEP;
        if (event.key === "ArrowDown") dy = self.view.h * PAN_STEP;
        self.pan(dx, dy);
      } else handled = false;
      if (handled) event.preventDefault();
    });

    this.viewport.addEventListener("wheel", function (event) {
      if (!self.svg()) return;
      // Plain wheel zooms only while the map itself has focus (clicked or tabbed to); otherwise
      // it scrolls the page as usual, so nobody gets stuck in the map.
      if (!(event.ctrlKey || event.metaKey || document.activeElement === self.viewport)) return;
      event.preventDefault();
      var delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      self.zoom(Math.exp(-Math.max(-100, Math.min(100, delta)) * 0.004), event.clientX, event.clientY);
    }, { passive: false });

    // Pointer drag to pan, two pointers to pinch. Capture starts only once the pointer has moved
    // past the threshold, so a plain click still lands on the seat under it.
    this.viewport.addEventListener("pointerdown", function (event) {
      self.lastPointerType = event.pointerType;
      if (!self.svg() || (event.pointerType === "mouse" && event.button !== 0)) return;
      self.suppressClick = false;
      self.pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var ids = Object.keys(self.pointers);
      if (ids.length === 1) {
        self.drag = { id: event.pointerId, x: event.clientX, y: event.clientY, view: self.view, moving: false,
                      threshold: event.pointerType === "mouse" ? DRAG_THRESHOLD : DRAG_THRESHOLD_TOUCH };
      } else if (ids.length === 2) {
        var a = self.pointers[ids[0]], b = self.pointers[ids[1]];
        self.pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1 };
        self.drag = null;
        self.suppressClick = true;
      }
    });

    this.viewport.addEventListener("pointermove", function (event) {
      if (!self.pointers[event.pointerId]) {
        var hovered = event.pointerType === "mouse" ? choosable(event.target) : null;
        if (hovered) self.showTooltip(hovered, event.clientX, event.clientY);
        return;
      }
      self.pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var ids = Object.keys(self.pointers);
      if (self.pinch && ids.length >= 2) {
        var a = self.pointers[ids[0]], b = self.pointers[ids[1]];
        var distance = Math.hypot(a.x - b.x, a.y - b.y) || 1;
        self.zoom(distance / self.pinch.distance, (a.x + b.x) / 2, (a.y + b.y) / 2);
        self.pinch.distance = distance;
        return;
      }
      var drag = self.drag;
      if (!drag || drag.id !== event.pointerId || !drag.view) return;
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!drag.moving) {
        if (Math.hypot(dx, dy) < drag.threshold) return;
        drag.moving = true;
        root.classList.add("is-dragging");
        self.hideTooltip();
        try { self.viewport.setPointerCapture(event.pointerId); } catch (e) { /* pointer gone */ }
      }
      var scale = self.toSvg(event.clientX, event.clientY).scale || 1;
      self.setView({ x: drag.view.x - dx / scale, y: drag.view.y - dy / scale, w: drag.view.w, h: drag.view.h });
    });

    function release(event) {
      if (!self.pointers[event.pointerId]) return;
      // The browser took the finger to scroll the page (a vertical swipe over the whole map):
      // the few pixels the map had followed it go back.
      if (event.type === "pointercancel" && self.drag && self.drag.id === event.pointerId && self.drag.moving &&
          !self.pinch) {
        self.setView(self.drag.view);
      }
      delete self.pointers[event.pointerId];
      if (self.drag && self.drag.id === event.pointerId && self.drag.moving) self.suppressClick = true;
      if (Object.keys(self.pointers).length < 2) self.pinch = null;
      if (!Object.keys(self.pointers).length) self.drag = null;
      root.classList.remove("is-dragging");
    }
    this.viewport.addEventListener("pointerup", release);
    this.viewport.addEventListener("pointercancel", release);

    // With the whole map in view the page may scroll under one finger (touch-action: pan-y), but
    // two fingers pinch the map: the browser must not take them for a scroll.
    function twoFingers(event) {
      if (event.touches && event.touches.length >= 2 && event.cancelable) event.preventDefault();
    }
    this.viewport.addEventListener("touchstart", twoFingers, { passive: false });
    this.viewport.addEventListener("touchmove", twoFingers, { passive: false });

    window.addEventListener("resize", function () { self.scheduleNumbers(); });

    this.viewport.addEventListener("pointerout", function (event) {
      if (choosable(event.target)) self.hideTooltip();
    });

    root.addEventListener("focusin", function (event) {
      var target = choosable(event.target);
      if (!target) return;
      if (!pointerInput) self.reveal(target); // focus that follows a click must not move the view
      // After a tap the tooltip would stay over the map until the next tap: the basket says it.
      if (pointerInput && self.lastPointerType === "touch") return;
      self.showTooltip(target);
    });
    root.addEventListener("focusout", function () {
      self.hideTooltip();
    });
  };

  function init(scope) {
    if (!scope || !scope.querySelectorAll) return;
    var roots = Array.prototype.slice.call(scope.querySelectorAll("[data-seat-map]"));
    if (scope.matches && scope.matches("[data-seat-map]")) roots.push(scope);
    roots.forEach(function (root) {
      if (root.seatMap) {
        if (root.seatMap.svg() !== root.seatMap.svgElement) {
          root.seatMap.adoptSvg();
          root.seatMap.svgElement = root.seatMap.svg();
        }
        return;
      }
      root.seatMap = new SeatMap(root);
      root.seatMap.svgElement = root.seatMap.svg();
    });
    // Content swapped inside an existing map (a new <svg>): adopt it with the current zoom.
    var inside = scope.closest && scope.closest("[data-seat-map]");
    if (inside && inside.seatMap && inside.seatMap.svg() !== inside.seatMap.svgElement) {
      inside.seatMap.adoptSvg();
      inside.seatMap.svgElement = inside.seatMap.svg();
    }
  }

  // A seat replaced out of band while focused keeps the focus (keyboard users stay in place).
  var focusedSeatId = null;
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var active = document.activeElement;
    var target = event.detail && event.detail.target;
    focusedSeatId = active && target && active === target && active.id ? active.id : null;
  });
  document.addEventListener("htmx:oobAfterSwap", function () {
    if (!focusedSeatId) return;
    var again = document.getElementById(focusedSeatId);
    focusedSeatId = null;
    if (again && again.focus) again.focus({ preventScroll: true });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  document.addEventListener("htmx:load", function (event) { init(event.detail && event.detail.elt); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.detail && event.detail.target); });

  window.SeatMap = { init: init };
})();

// Live updates arrive over the htmx ws extension as <template><svg>…</svg></template> holding
// seats and general-admission areas with their ids. The extension only swaps top-level
// elements, so SVG fragments are applied here, keeping keyboard focus on a replaced seat.
(function () {
  "use strict";

  function seatStatus(element) {
    var match = /\bseat-(available|held|sold|blocked)\b/.exec(element.getAttribute("class") || "");
    return match ? match[1] : "";
  }

  // The legend counts seats by status; a live update moves a seat from one count to another.
  function bumpLegend(map, status, delta) {
    if (!status) return;
    var item = map.querySelector('.seat-map-legend [data-legend="seat-' + status + '"][data-count]');
    if (!item) return;
    var count = Math.max(0, parseInt(item.dataset.count, 10) + delta);
    item.dataset.count = String(count);
    var text = item.querySelector("small");
    // Grouped from the thousands as the server prints it ("2.000", where Spanish alone says "2000").
    if (text) {
      text.textContent = new Intl.NumberFormat(document.documentElement.lang || "es", { useGrouping: "always" })
        .format(count);
    }
  }

  // The box office's quantity form for a general-admission area says what the area says.
  function syncQuantityForm(area) {
    var form = document.querySelector('[data-zone-form="' + area.getAttribute("data-ga-zone") + '"]');
    if (!form) return;
    var available = form.querySelector("[data-ga-available]");
    if (available) available.textContent = area.getAttribute("data-available");
    var add = form.querySelector("[data-ga-add]");
    if (add) add.disabled = area.getAttribute("data-remaining") === "0";
  }

  document.addEventListener("htmx:wsBeforeMessage", function (event) {
    var message = event.detail && event.detail.message;
    if (typeof message !== "string" || message.indexOf("<template") === -1) return;
    event.preventDefault();
    var parsed = new DOMParser().parseFromString(message, "text/html");
    parsed.querySelectorAll("template").forEach(function (template) {
      var svg = template.content.querySelector("svg");
      if (!svg) return;
      Array.prototype.slice.call(svg.children).forEach(function (fresh) {
        var current = fresh.id && document.getElementById(fresh.id);
        if (!current) return;
        fresh.removeAttribute("hx-swap-oob");
        var focused = document.activeElement === current;
        var node = document.importNode(fresh, true);
        var before = seatStatus(current), after = seatStatus(node);
        var map = current.closest("[data-seat-map]");
        current.replaceWith(node);
        if (focused) node.focus();
        if (map && before !== after) {
          bumpLegend(map, before, -1);
          bumpLegend(map, after, 1);
        }
        if (node.hasAttribute("data-remaining")) syncQuantityForm(node);
      });
    });
    document.dispatchEvent(new CustomEvent("seatmap:updated"));
  });
})();
