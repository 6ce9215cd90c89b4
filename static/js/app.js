// Small glue that HTMX cannot do by itself: make failed requests visible to the person at the
// counter instead of silently doing nothing.
(function () {
  "use strict";

  function banner() {
    return document.getElementById("request-error");
  }

  function showError(text) {
    var el = banner();
    if (!el) return;
    el.querySelector("[data-message]").textContent = text;
    el.hidden = false;
  }

  function messageFor(xhr) {
    var lang = document.documentElement.lang || "es";
    var es = lang.indexOf("es") === 0;
    if (!xhr || xhr.status === 0) {
      return es ? "Sin conexión con el servidor. Revise la red e intente de nuevo."
                : "No connection to the server. Check the network and try again.";
    }
    if (xhr.status === 403 && xhr.getResponseHeader("X-Stale-Page")) {
      return es ? "Esta página quedó desactualizada (su sesión cambió): recárguela para seguir."
                : "This page is out of date (your session changed): reload it to go on.";
    }
    if (xhr.status === 403) {
      return es ? "No tiene permiso para esta acción." : "You are not allowed to do this.";
    }
    if (xhr.status === 404) {
      return es ? "Lo que buscaba ya no existe." : "What you were looking for no longer exists.";
    }
    if (xhr.status === 429) {
      return es ? "Demasiados intentos. Espere un momento." : "Too many attempts. Please wait a moment.";
    }
    return (es ? "Ocurrió un error en el servidor (" : "The server had an error (") + xhr.status + ").";
  }

  document.addEventListener("htmx:responseError", function (event) {
    showError(messageFor(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function () {
    showError(messageFor(null));
  });
  // A refusal another script finds out of sight (seat-selection.js: the cart's, under the map).
  document.addEventListener("app:request-error", function (event) {
    showError(event.detail.message);
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var el = banner();
    if (el) el.hidden = true;
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-dismiss]")) {
      banner().hidden = true;
    }
  });
})();

// The security token goes with every htmx request as the cookie has it now, not as the page had
// it when it loaded: signing in again in another tab renews it, and this tab's requests would
// otherwise all be refused.
document.addEventListener("htmx:configRequest", function (event) {
  var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
});

// Destructive forms carry data-confirm="question": ask before submitting (text stays escaped
// in an attribute, so translations with quotes cannot break the script).
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A payment form is sent once: its [data-disable-on-submit] button is disabled while the page
// loads the answer, so an impatient second tap cannot charge a card twice.
document.addEventListener("submit", function (event) {
  if (event.defaultPrevented) return;
  var button = event.target.querySelector && event.target.querySelector("[data-disable-on-submit]");
  if (button) {
    window.setTimeout(function () { button.disabled = true; button.setAttribute("aria-busy", "true"); }, 0);
  }
});

// A form swapped back with errors would otherwise leave the keyboard at the top of the page (the
// button pressed was replaced), or on the valid field Enter was pressed in while the error is on
// another one, and nothing said so: put it on the first field marked invalid in what came back,
// unless the answer already chose where it goes (autofocus) or the request came from typing (a
// preview that checks as one types must not pull the cursor away). Then bring the field and its
// error into view (htmx keeps a field's focus without scrolling). A refusal with no field marked
// (a conflict, a missing rate) still scrolls the field the keyboard is on back into view. Only for
// a request's answer, never for a live update arriving while the person reads.
document.addEventListener("htmx:afterSettle", function (event) {
  var detail = event.detail || {};
  if (!detail.requestConfig) return;
  var swapped = swappedRegion(detail) || detail.elt;
  var invalid = swapped && swapped.querySelector && swapped.querySelector("[aria-invalid=true]");
  var field = document.activeElement;
  if (!invalid) {
    if (detail.xhr && detail.xhr.status >= 400 && !focusLost()) field.scrollIntoView({ block: "nearest" });
    return;
  }
  if (focusLost() || (field.getAttribute("aria-invalid") !== "true" && sentByThePerson(detail))) {
    field = invalid;
    field.focus({ preventScroll: true });
  } else if (field.getAttribute("aria-invalid") !== "true") {
    return;
  }
  var error = field.id && document.getElementById(field.id + "_error");
  (error || field).scrollIntoView({ block: "nearest" });
});

// A form submitted or a button pressed, as opposed to a request made while typing or by a script.
function sentByThePerson(detail) {
  var trigger = detail.requestConfig && detail.requestConfig.triggeringEvent;
  return !!trigger && (trigger.type === "submit" || trigger.type === "click");
}

// The element a request's answer went into: htmx's target, or, when the answer replaced it whole
// (outerHTML), the new element with its id.
function swappedRegion(detail) {
  var target = detail.target;
  if (!target || target === document.body) return null;
  if (target.isConnected) return target;
  return (target.id && document.getElementById(target.id)) || null;
}

function focusLost() {
  var current = document.activeElement;
  return !current || current === document.body || !current.isConnected;
}

// The same for an answer that succeeded: the button pressed (a row's "Cambiar rol", "Bloquear",
// a queue's "Rechazar pago") was replaced or disabled while the request ran, and the keyboard
// would start again at the top of the page. Put it back where it was: on the same button of the
// region that came back, else on the message the answer brought (the row may be gone), else on
// the region. Only when the person was on the element that the request took away: a poll or a
// live update never moves the focus of someone working elsewhere on the page.
(function () {
  "use strict";
  var focusAtRequest = new WeakMap();

  function place(element) {
    var anchor = element.closest("[id]");
    if (!anchor || anchor === document.body) return null;
    var peers = Array.prototype.slice.call(anchor.querySelectorAll(element.tagName));
    return {
      element: element, anchor: anchor.id, tag: element.tagName,
      index: peers.indexOf(element), text: element.textContent.trim(),
    };
  }

  function findAgain(where) {
    if (where.element.isConnected && !where.element.disabled) return where.element;
    var anchor = document.getElementById(where.anchor);
    if (!anchor) return null;
    var peers = Array.prototype.filter.call(anchor.querySelectorAll(where.tag), function (peer) {
      return !peer.disabled && peer.offsetParent !== null;
    });
    for (var i = 0; i < peers.length; i++) {
      if (peers[i].textContent.trim() === where.text) return peers[i];
    }
    return peers[Math.min(where.index, peers.length - 1)] || anchor;
  }

  function focusOn(element) {
    if (element.tabIndex < 0 && !element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var focused = document.activeElement;
    if (event.detail && event.detail.xhr && focused && focused !== document.body) {
      focusAtRequest.set(event.detail.xhr, place(focused) || { element: focused, anchor: null });
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    var where = detail.xhr && focusAtRequest.get(detail.xhr);
    if (!where || !focusLost()) return;
    focusAtRequest.delete(detail.xhr);
    var target = swappedRegion(detail);
    var again = where.anchor ? findAgain(where) : null;
    var message = (target && target.querySelector("[role=alert], [role=status]")) ||
      document.querySelector("#messages [role=alert], #messages [role=status]");
    var next = again || message || target || document.querySelector("main");
    if (next) focusOn(next);
  });
})();

// A confirmation is for an action that is about to happen: a form with a required field still
// empty (the reason for rejecting a payment) goes to the server unasked, which answers with the
// error next to the field, and the question comes once the form can be sent.
document.addEventListener("htmx:confirm", function (event) {
  var detail = event.detail || {};
  var form = detail.elt && detail.elt.closest && detail.elt.closest("form");
  if (!detail.question || !form) return;
  var empty = Array.prototype.some.call(form.querySelectorAll("[required]"), function (field) {
    return !field.disabled && field.type !== "checkbox" && !String(field.value || "").trim();
  });
  if (empty) {
    event.preventDefault();
    detail.issueRequest(true);
  }
});

// A page that opens with a message (a sale completed, a sale voided, signed in) says it to a
// screen reader: a message already there when the page loads is not announced by its role. So the
// keyboard starts on it (Tab goes on from the top of the content), or, where the page chose where
// the keyboard starts (autofocus: "Entradas (PDF)" after a sale), that element is described by it.
document.addEventListener("DOMContentLoaded", function () {
  var message = document.querySelector("#messages .flash");
  if (!message) return;
  var chosen = document.querySelector("[autofocus]");
  if (chosen) {
    message.id = message.id || "page-message";
    var described = chosen.getAttribute("aria-describedby");
    chosen.setAttribute("aria-describedby", (described ? described + " " : "") + message.id);
    return;
  }
  if (document.activeElement && document.activeElement !== document.body) return;
  message.setAttribute("tabindex", "-1");
  message.focus({ preventScroll: true });
});
