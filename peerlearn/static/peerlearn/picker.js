/* Pickers (core/widgets/picker.html), with JavaScript.
 *
 * htmx replaces the suggestions as one types. A suggestion one ticks therefore moves into the
 * "Chosen" list at once: the next search cannot replace it, the form sends every ticked value,
 * and unticking it there removes it. A single-choice picker (radio buttons) keeps only the one
 * chosen last. Without JavaScript the server does the same when the form is saved.
 *
 * Loaded by every picker on a page; the listeners are set once, on the document, so pickers
 * that htmx adds later work too. */
(function () {
  "use strict";
  if (window.peerlearnPicker) { return; }
  window.peerlearnPicker = true;

  function chosenInputs(chosen, value) {
    return Array.prototype.filter.call(chosen.querySelectorAll("input"), function (input) {
      return value === undefined || input.value === value;
    });
  }

  function choose(input) {
    var picker = input.closest(".picker");
    var chosen = picker && picker.querySelector(".picker-chosen");
    var item = input.closest("li");
    if (!chosen || !item) { return; }
    var label = item.querySelector("label");
    if (label) { label.classList.add("chip"); }
    // One chosen last for radio buttons; for checkboxes, the same item chosen before and
    // unticked since gives its place to the one just ticked.
    var list = item.parentElement;
    var replaced = chosenInputs(chosen, input.type === "radio" ? undefined : input.value);
    chosen.querySelectorAll(".picker-none").forEach(function (none) { none.remove(); });
    if (replaced.length) {
      chosen.replaceChild(item, replaced[0].closest("li"));
      replaced.slice(1).forEach(function (other) { other.closest("li").remove(); });
    } else {
      chosen.appendChild(item);
    }
    if (list && !list.querySelector("li")) { list.remove(); }
    input.focus();
    // The text typed has served: left there, saving would choose what it names again.
    var text = picker.querySelector("input[type=search]");
    if (text) { text.value = ""; }
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.checked &&
        input.closest(".picker-suggestions") && input.closest(".picker")) {
      choose(input);
    }
  });

  // A search sent before a tick may answer after it: drop what is chosen already.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !target.classList.contains("picker-suggestions")) {
      return;
    }
    var chosen = target.closest(".picker").querySelector(".picker-chosen");
    target.querySelectorAll("input").forEach(function (input) {
      if (chosenInputs(chosen, input.value).some(function (c) { return c.checked; })) {
        input.closest("li").remove();
      }
    });
    target.querySelectorAll("ul").forEach(function (list) {
      if (!list.querySelector("li")) { list.remove(); }
    });
  });
})();
