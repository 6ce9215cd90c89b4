// The counter's payment form: Enter adds the payment (the form's first button), Ctrl+Enter
// (⌘+Enter) presses "Cobrar y emitir factura", which adds it and completes the sale in one step;
// once the balance is paid, Ctrl+Enter anywhere in the cart presses the "Cobrar" left.
// A click on the button, not a submit of our own: htmx records the button pressed on click and
// sends its name and value (then=complete).
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    if (!event.target.closest) return;
    // While a balance is due, the button of the payment form typed in; once paid, the
    // completion form's own, from anywhere in the cart (the keyboard is on its button or near).
    var form = event.target.closest("#payment-form");
    var cart = event.target.closest("#cart");
    var button = form ? form.querySelector("button[name=then][value=complete]")
      : cart && cart.querySelector("#complete-form button[type=submit]");
    if (!button || button.disabled) return;
    event.preventDefault(); // or the browser also submits the form with "Agregar pago"
    button.click();
  });
})();
