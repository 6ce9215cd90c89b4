// The counter's payment form: Enter adds the payment (the form's first button), Ctrl+Enter
// (⌘+Enter) presses "Cobrar y emitir factura", which adds it and completes the sale in one step.
// A click on the button, not a submit of our own: htmx records the button pressed on click and
// sends its name and value (then=complete).
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var form = event.target.closest && event.target.closest("#payment-form");
    var button = form && form.querySelector("button[name=then][value=complete]");
    if (!button || button.disabled) return;
    event.preventDefault(); // or the browser also submits the form with "Agregar pago"
    button.click();
  });
})();
