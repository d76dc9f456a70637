// An accessible confirmation in a modal <dialog>: focus starts on "Abbrechen" (the safe
// choice), Escape cancels, and focus goes back to the button that asked.
import { $ } from "./berater-core.js";

const dialog = $("confirm-dialog");
const title = $("confirm-title");
const text = $("confirm-text");
const ok = $("confirm-ok");
const cancel = $("confirm-cancel");
let answer = null;

function finish(value) {
  if (!answer) return;
  const resolve = answer;
  answer = null;
  dialog.close();
  resolve(value);
}

ok.addEventListener("click", () => finish(true));
cancel.addEventListener("click", () => finish(false));
dialog.addEventListener("cancel", (event) => {
  event.preventDefault();
  finish(false);
});

// Resolves true if the advisor confirms.
export function confirmAction({ heading, message, confirm }) {
  if (answer) return Promise.resolve(false);
  const opener = document.activeElement;
  title.textContent = heading;
  text.textContent = message;
  ok.textContent = confirm;
  dialog.showModal();
  cancel.focus();
  return new Promise((resolve) => {
    answer = (value) => {
      if (opener instanceof HTMLElement && opener.isConnected && !opener.hidden) opener.focus();
      resolve(value);
    };
  });
}

// Opens a plain dialog and puts focus back where it was when it closes.
export function openDialog(element, focus) {
  const opener = document.activeElement;
  element.addEventListener("close", () => {
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
  }, { once: true });
  element.showModal();
  (focus || element.querySelector("button, input, textarea, select"))?.focus();
}
