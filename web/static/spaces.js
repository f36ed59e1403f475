// A space's page, progressively enhanced: a free time in the week grid (or a suggested one after
// a refusal) fills the booking form in place instead of loading the page again. Without this
// file the same links load the page with the form filled (?date=&start=&end=#book).
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-fill-date]") : null;
    var form = document.getElementById("book-form");
    if (!link || !form || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    var fields = { date: link.dataset.fillDate, start: link.dataset.fillStart, end: link.dataset.fillEnd };
    var filled = Object.keys(fields).every(function (name) {
      var field = form.elements[name];
      if (!field) return false;
      field.value = fields[name];
      return field.value === fields[name]; // a select without that option keeps its value: load the page instead
    });
    if (!filled) return;
    event.preventDefault();
    form.scrollIntoView({ block: "start" });
    form.elements.party_size.focus({ preventScroll: true });
  });

  // The week's links are replaced with the grid htmx swaps in: keep the keyboard on the one used.
  var usedLink = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var link = event.detail.elt;
    usedLink = link && link.classList ? (link.classList.contains("week-next") ? "week-next" : link.classList.contains("week-previous") ? "week-previous" : null) : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!usedLink) return;
    var again = document.querySelector("#week a." + usedLink) || document.getElementById("week-title");
    usedLink = null;
    if (again) {
      if (again.tagName !== "A") again.setAttribute("tabindex", "-1");
      again.focus({ preventScroll: true });
    }
  });
})();
