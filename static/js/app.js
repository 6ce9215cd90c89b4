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
// button pressed was replaced): put it on the first field marked invalid in what came back, unless
// the answer already chose where it goes (autofocus). Then bring the field and its error into
// view (htmx keeps a field's focus without scrolling; the cart scrolls on its own). Only for a
// request's answer, never for a live update arriving while the person reads.
document.addEventListener("htmx:afterSettle", function (event) {
  var detail = event.detail || {};
  if (!detail.requestConfig) return;
  var swapped = detail.target && detail.target.isConnected ? detail.target : detail.elt;
  var invalid = swapped && swapped.querySelector && swapped.querySelector("[aria-invalid=true]");
  if (!invalid) return;
  var field = document.activeElement;
  if (!field || field === document.body || !field.isConnected) {
    field = invalid;
    field.focus({ preventScroll: true });
  } else if (field.getAttribute("aria-invalid") !== "true") {
    return;
  }
  var error = field.id && document.getElementById(field.id + "_error");
  (error || field).scrollIntoView({ block: "nearest" });
});
