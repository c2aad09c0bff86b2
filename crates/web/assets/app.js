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
});
