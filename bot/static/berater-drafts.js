// Drafts of replies, one per handoff, in sessionStorage: kept while switching between
// conversations and across a reload of this tab, gone when the tab closes.
import { $, on, state } from "./berater-core.js";

const reply = $("reply-text");
const key = (id) => `werkbot.berater.draft.${id}`;

function save(id) {
  if (id === null || id === undefined) return;
  try {
    if (reply.value.trim()) sessionStorage.setItem(key(id), reply.value);
    else sessionStorage.removeItem(key(id));
  } catch {
    // storage full or disabled: the draft just is not kept
  }
}

export function restoreDraft(id) {
  try {
    reply.value = sessionStorage.getItem(key(id)) || "";
  } catch {
    reply.value = "";
  }
}

export function clearDraft(id) {
  try {
    sessionStorage.removeItem(key(id));
  } catch {
    // nothing kept
  }
}

reply.addEventListener("input", () => save(state.current));
on("leave", (id) => save(id));
on("open", (id) => restoreDraft(id));
