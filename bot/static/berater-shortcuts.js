// Keyboard shortcuts (Alt+Shift+N/C/R/E, "?") and their help dialog. Only the jump to
// the reply box works while typing in a text field.
import { $, state } from "./berater-core.js";
import { claim, closeChat, focusReply } from "./berater-actions.js";
import { openDetail } from "./berater-detail.js";
import { openDialog } from "./berater-dialog.js";
import { workList } from "./berater-queue.js";

const help = $("shortcuts-dialog");

function typingInField(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function nextChat() {
  const items = workList();
  if (!items.length) return;
  const at = items.findIndex((handoff) => handoff.id === state.current);
  openDetail(items[(at + 1) % items.length].id);
}

export function openHelp() {
  openDialog(help, $("shortcuts-close"));
}

const COMMANDS = { KeyN: nextChat, KeyC: claim, KeyE: closeChat };

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.isComposing || document.querySelector("dialog[open]")) return;
  if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey) {
    if (event.code === "KeyR") {
      if (focusReply()) event.preventDefault();
      return;
    }
    const command = COMMANDS[event.code];
    if (!command || typingInField(event.target)) return;
    event.preventDefault();
    command();
  } else if (event.key === "?" && !event.altKey && !event.ctrlKey && !event.metaKey && !typingInField(event.target)) {
    event.preventDefault();
    openHelp();
  }
});
$("shortcuts-button").addEventListener("click", openHelp);
$("shortcuts-close").addEventListener("click", () => help.close());
