/* Aid Ledger charts: draws each figure with the site's own plotly.js and keeps the controls in the URL.
 * No framework. The controls are a plain GET form (they work without this script); here a change
 * submits it at once, and the server answers with the canonical, shareable URL. */
(function () {
  "use strict";

  function numbers(values) {
    return values.map(function (value) { return value === null ? null : Number(value); });
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || typeof Plotly === "undefined") { return; }
    var figure = JSON.parse(source.textContent);
    // The value axis is the one that is not a category axis (x for horizontal bars), for every
    // trace: the words "no delivery reported" are a text trace whose other axis holds the names.
    var values = figure.layout.yaxis && figure.layout.yaxis.type === "category" ? "x" : "y";
    figure.data.forEach(function (trace) {
      trace[values] = numbers(trace[values]);  // decimal strings in millions; numbers only for drawing
    });
    Plotly.newPlot(element, figure.data, figure.layout, {
      displaylogo: false,
      responsive: true,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "zoom2d", "pan2d", "autoScale2d", "zoomIn2d", "zoomOut2d"]
    }).then(function () { element.dataset.drawn = "true"; });
  }

  function showRateDay(form) {
    var mode = form.querySelector("select[name=rates]");
    var day = form.querySelector(".rates-day");
    if (mode && day) { day.hidden = mode.value !== "day"; }
  }

  function wire(form) {
    showRateDay(form);
    form.addEventListener("change", function (event) {
      var target = event.target;
      showRateDay(form);
      if (target.name === "rates" && target.value === "day") {
        var input = form.querySelector("input[name=rates_day]");
        if (!input.value) { input.focus(); return; }  // wait for the day to be chosen
      }
      if (target.type === "date" && target.value === "" && target.name === "rates_day") { return; }
      // One navigation per choice: a date field may report its change twice (input, then blur).
      if (form.dataset.submitting) { return; }
      form.dataset.submitting = "1";
      form.requestSubmit();
    });
  }

  document.querySelectorAll(".plot[data-figure]").forEach(draw);
  document.querySelectorAll("form.controls").forEach(wire);
  // Back from the next view (bfcache) restores this page as it was: let its form submit again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.controls").forEach(function (form) { delete form.dataset.submitting; });
  });
})();
