// The customer picker (customers/_picker.html) may sit inside a page's sale form. Enter in its
// fields must not submit that form: in the search box it searches now, in the "Nuevo cliente"
// fields it creates the customer. Result buttons need nothing: Enter clicks a focused button.
// "Nuevo cliente con V-12345678" (a search that found nobody) opens the form with what was typed
// in its field and the keyboard on the first name. Once a customer is picked (or created) inside
// a sale, the keyboard goes on to its payment: the form's method, or "Cobrar" when all is paid;
// and the body hears "customer-picked-settled" (the box office's cart attaches the customer then).
// Tab out of the search box before the results for what was typed have come (a fast hand at a
// busy counter) waits for them and lands on the first, instead of on "Nuevo cliente" below; an
// Enter typed meanwhile then picks it, as it would have.
(function () {
  "use strict";
  if (window.customerPickerReady) return;  // the picker's fragment loads this on every swap
  window.customerPickerReady = true;

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".customer-new-from-search");
    var picker = button && button.closest("#customer-picker");
    if (!picker) return;
    var details = picker.querySelector("details.customer-new");
    var field = picker.querySelector('[name$="-' + button.dataset.field + '"]');
    var firstName = picker.querySelector('[name$="-first_name"]');
    if (!details || !field || !firstName) return;
    details.open = true;
    field.value = button.dataset.value;
    firstName.focus();
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    // The picker's own swaps only (picking, creating): a whole cart drawn again has its own focus.
    if (!event.detail.elt || event.detail.elt.id !== "customer-picker") return;
    var picker = document.getElementById("customer-picker");  // the new one: the old is detached
    if (!picker || !picker.querySelector(".customer-picked")) return;
    // Said to the page once the picked customer's input is in place: a sale's cart attaches them
    // at once (sales/_cart.html). Not "customer-picked": htmx fires that (the kebab-case twin of
    // the answer's HX-Trigger customerPicked) before the swap, while the input is still empty.
    document.body.dispatchEvent(new CustomEvent("customer-picked-settled", { bubbles: true }));
    var next = document.querySelector("#payment-form select[name=method], #complete-form button[type=submit]");
    if (next) next.focus();
  });

  var focusFirstResult = false, pickFirstResult = false;

  function resultsAreFor(input) {
    var results = document.getElementById("customer-results");
    var marker = results && results.querySelector("[data-results-for]");
    var asked = marker ? marker.getAttribute("data-results-for") : "";
    return asked === input.value.trim() && !input.classList.contains("htmx-request");
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.shiftKey || event.isComposing) return;
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.name !== "q" || !input.closest("#customer-picker")) return;
    if (input.value.trim().length < 3 || resultsAreFor(input)) return;
    event.preventDefault();
    focusFirstResult = true;
    input.dispatchEvent(new Event("search"));
  });

  // Results for what is being typed come below the search box, which may sit at the bottom of a
  // scrolling cart, above an on-screen keyboard: bring the first into view (the cart scrolls).
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "customer-results") return;
    if (focusFirstResult) {
      focusFirstResult = false;
      var waited = target.querySelector(".customer-result, .customer-new-from-search");
      var pick = pickFirstResult;
      pickFirstResult = false;
      if (waited) {
        waited.focus();
        waited.scrollIntoView({ block: "nearest" });
        if (pick) waited.click();
        return;
      }
    }
    var search = document.activeElement;
    if (!search || search.name !== "q" || !search.closest("#customer-picker")) return;
    var first = target.querySelector(".customer-result, .customer-new-from-search, .empty-state, small");
    if (first) first.scrollIntoView({ block: "nearest" });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var input = event.target;
    if (!(input instanceof HTMLInputElement)) return;
    var picker = input.closest("#customer-picker");
    if (!picker) return;
    event.preventDefault();
    if (input.name === "q") {
      if (focusFirstResult) pickFirstResult = true;  // after a Tab that waits for the results
      else input.dispatchEvent(new Event("search"));
    } else {
      var create = picker.querySelector(".customer-create");
      if (create) create.click();
    }
  });
})();
