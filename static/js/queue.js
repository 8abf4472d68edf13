// The queue page's "Select all tickets on this page" box ticks or unticks every row's box,
// and shows as indeterminate while only some are ticked. It is rendered hidden: without
// JavaScript it would do nothing, so it only shows once this script runs.
(function () {
  const all = document.querySelector("input[data-select-all]");
  if (!all) return;
  const form = all.dataset.selectAll;
  const rows = function () {
    return document.querySelectorAll('input[type="checkbox"][name="tickets"][form="' + form + '"]');
  };

  function sync() {
    const boxes = Array.from(rows());
    const ticked = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }

  all.addEventListener("change", function () {
    rows().forEach(function (box) { box.checked = all.checked; });
    sync();
  });
  document.addEventListener("change", function (event) {
    if (event.target !== all && event.target.matches('input[name="tickets"]')) sync();
  });
  // Coming back with the browser's Back button may restore some ticks.
  window.addEventListener("pageshow", sync);
  all.hidden = false;
  sync();
})();
