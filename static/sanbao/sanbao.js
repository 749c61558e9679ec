/*
 * Behaviour shared by Sanbao's pages, loaded once by base.html. The templates
 * carry no inline script (a Content-Security-Policy will forbid it): a page asks
 * for a behaviour with a data attribute.
 *
 * data-drop-empty (on a form sent by htmx): the fields left empty are not sent,
 *   so the address pushed into the history names only the filters chosen.
 * data-keep-input (on an element htmx replaces): what the user changes inside it
 *   while the request is on its way survives the swap.
 * data-sb-width="N" (a progress bar): its width is N per cent. A style attribute
 *   would be refused by the policy's style-src; a width set from a script through
 *   the element's style object is not.
 * data-sort="key" (a sortable column's header link, {% columns … sort= %}): the
 *   filter form's "Sort by" select outside the table htmx replaces is set to the
 *   order chosen, so that the next filter sent keeps it.
 */
(function () {
  "use strict";

  function applyWidths(root) {
    const bars = Array.from(root.querySelectorAll ? root.querySelectorAll("[data-sb-width]") : []);
    if (root.matches && root.matches("[data-sb-width]")) { bars.push(root); }
    bars.forEach(function (bar) {
      const percent = Math.max(0, Math.min(100, parseInt(bar.getAttribute("data-sb-width"), 10) || 0));
      bar.style.width = percent + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });
  document.addEventListener("htmx:load", function (event) { applyWidths(event.target); });

  document.addEventListener("click", function (event) {
    const link = event.target.closest ? event.target.closest("a.sort-link[data-sort]") : null;
    if (!link) { return; }
    const order = link.getAttribute("data-sort");
    document.querySelectorAll("form select[name=sort]").forEach(function (select) {
      if (Array.from(select.options).some(function (o) { return o.value === order; })) {
        select.value = order;
      }
    });
  });

  document.addEventListener("htmx:configRequest", function (event) {
    const source = event.detail.elt;
    if (!source || !source.closest || !source.closest("[data-drop-empty]")) { return; }
    const data = event.detail.formData;
    for (const [name, value] of [...data.entries()]) {
      if (value === "") { data.delete(name); }
    }
  });

  // The server builds its answer from the values sent with the request. A box
  // ticked, or a word typed, after the request left is not in them: swapping the
  // answer in as it came would throw that input away (a slow connection, a loaded
  // server). So the state of the target's controls is noted when the request leaves;
  // just before the swap, the controls changed since then are noted again and their
  // state is carried over into the new content. A ticked box the answer no longer
  // offers is carried over with its label: the user's choice is never dropped.
  const sent = new WeakMap(); // xhr -> {id, states}
  const carried = new WeakMap(); // xhr -> {id, edits}

  function isChoice(control) {
    return control.type === "checkbox" || control.type === "radio";
  }
  function keyOf(control) {
    return isChoice(control) ? control.name + "\u0000" + control.value : control.name;
  }
  function stateOf(control) {
    return isChoice(control) ? control.checked : control.value;
  }
  function controlsIn(root) {
    return Array.from(root.querySelectorAll("input[name], select[name], textarea[name]"))
      .filter(function (control) { return control.type !== "file" && control.type !== "hidden"; });
  }
  function setState(control, state) {
    if (isChoice(control)) { control.checked = state; } else { control.value = state; }
  }
  function carryChoice(cell, edit) {
    // The box keeps its own label; its id is made unique in its new place.
    const copy = edit.holder.cloneNode(true);
    const box = copy.matches("input") ? copy : copy.querySelector("input");
    const label = copy.querySelector("label");
    const id = box.id + "-kept";
    if (label && box.id && label.htmlFor === box.id) { label.htmlFor = id; }
    box.id = id;
    box.checked = true;
    const others = cell.querySelectorAll("input[type=checkbox], input[type=radio]");
    const last = others.length ? others[others.length - 1] : null;
    const after = last ? (last.closest(".form-check") || last) : null;
    if (after) {
      after.after(copy);
    } else {
      (cell.querySelector("fieldset") || cell).prepend(copy);
    }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    const target = event.detail.target;
    if (!target || !target.id || !target.hasAttribute("data-keep-input")) { return; }
    const states = new Map(controlsIn(target).map(function (c) { return [keyOf(c), stateOf(c)]; }));
    sent.set(event.detail.xhr, {id: target.id, states: states});
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    const before = sent.get(event.detail.xhr);
    if (!before || !event.detail.shouldSwap) { return; }
    sent.delete(event.detail.xhr);
    const old = document.getElementById(before.id);
    if (!old) { return; }
    const edits = controlsIn(old)
      .filter(function (c) {
        const key = keyOf(c);
        return !before.states.has(key) || before.states.get(key) !== stateOf(c);
      })
      .map(function (c) {
        return {key: keyOf(c), state: stateOf(c), holder: c.closest(".form-check") || c};
      });
    if (edits.length) { carried.set(event.detail.xhr, {id: before.id, edits: edits}); }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const pending = carried.get(event.detail.xhr);
    if (!pending) { return; }
    const cell = document.getElementById(pending.id);
    if (!cell || cell !== event.target) { return; }
    carried.delete(event.detail.xhr);
    const controls = controlsIn(cell);
    pending.edits.forEach(function (edit) {
      const same = controls.find(function (c) { return keyOf(c) === edit.key; });
      if (same) {
        setState(same, edit.state);
      } else if (edit.state === true) {
        carryChoice(cell, edit);
      }
    });
  });
})();
