// The customer picker (customers/_picker.html) may sit inside a page's sale form. Enter in its
// fields must not submit that form: in the search box it searches now, in the "Nuevo cliente"
// fields it creates the customer. Result buttons need nothing: Enter clicks a focused button.
(function () {
  "use strict";
  if (window.customerPickerReady) return;  // the picker's fragment loads this on every swap
  window.customerPickerReady = true;

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var input = event.target;
    if (!(input instanceof HTMLInputElement)) return;
    var picker = input.closest("#customer-picker");
    if (!picker) return;
    event.preventDefault();
    if (input.name === "q") {
      input.dispatchEvent(new Event("search"));
    } else {
      var create = picker.querySelector(".customer-create");
      if (create) create.click();
    }
  });
})();
