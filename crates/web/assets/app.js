// The little script the pages use. Everything works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // A language picked from the list applies at once.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
  // Focus the first field with an error, so the person sees what to fix.
  const bad = document.querySelector("[aria-invalid=true]");
  if (bad) bad.focus();
  // The roll call: the reason fields show only for the members ticked off as absent.
  for (const form of document.querySelectorAll("form.attendance")) {
    form.classList.add("js-roll");
    for (const box of form.querySelectorAll(".roll-row input[type=checkbox]")) {
      const row = box.closest(".roll-row");
      const sync = () => row.classList.toggle("absent", !box.checked);
      box.addEventListener("change", sync);
      sync();
    }
  }
});
