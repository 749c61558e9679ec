/*
 * The receipt page (templates/returns/receipt.html): a keyboard-wedge scanner
 * types a label's code and Enter into the scan field. Each Enter posts the code
 * with htmx, queued on the form (hx-sync "this:queue all") so fast scanning never
 * drops a code: the code is taken from the field when Enter is pressed, the field
 * is cleared and keeps the focus at once, and a request that gets no usable answer
 * names its code so it can be scanned again. The texts shown come translated from
 * the form's data attributes. Without JavaScript the form posts and the page comes
 * back.
 */
(function () {
  "use strict";
  const form = document.getElementById("scan-form");
  if (!form) { return; }
  const input = document.getElementById("id_code");
  const box = document.getElementById("id_box_no");
  const pending = document.getElementById("scan-pending");
  const log = document.getElementById("scan-log");
  const waitingText = form.dataset.waitingText;
  const lostText = form.dataset.lostText;
  let waiting = 0;
  function show() {
    pending.dataset.pending = String(waiting);
    pending.textContent = waiting > 0 ? waitingText + " " + waiting : "";
  }
  function lost(code) {
    const item = document.createElement("li");
    item.className = "scan-feedback py-1 border-bottom text-danger";
    item.dataset.testid = "scan-feedback";
    item.dataset.result = "lost";
    item.dataset.code = code;
    item.textContent = lostText + " " + code;
    log.prepend(item);
  }
  form.addEventListener("submit", function (event) {
    if (!window.htmx) { return; }  // htmx not loaded: the form posts and the page comes back
    event.preventDefault();
    // Take the code now, clear the field and keep the focus before any answer:
    // the scanner may already be typing the next label.
    const code = input.value.trim();
    input.value = "";
    input.focus();
    if (!code) { return; }
    waiting += 1;
    show();
    htmx.ajax("POST", form.action, {
      source: form,
      values: {code: code, box_no: box.value},
      target: "#scan-log",
      swap: "afterbegin",
    });
  });
  // Every request of the queue ends with afterRequest, answered or not; a request
  // that got no usable answer names its code so it can be scanned again.
  form.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== form) { return; }
    waiting = Math.max(0, waiting - 1);
    show();
    if (!event.detail.successful) {
      const data = (event.detail.requestConfig || {}).formData;
      lost(data && data.get ? data.get("code") || "" : "");
    }
  });
  box.addEventListener("change", function () { input.focus(); });
  // Until this runs, an Enter posts the form the plain way (the page comes back
  // with the answer as a notice); from here on, scans are answered in the log.
  form.dataset.ready = "true";

  // A unit recorded by hand: once it is counted the form is emptied for the next
  // one and the scan field takes the focus back.
  const unitForm = document.querySelector("[data-testid=unit-form]");
  if (unitForm) {
    unitForm.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.successful && event.detail.elt === unitForm) {
        unitForm.reset();
        input.focus();
      }
    });
  }
})();
