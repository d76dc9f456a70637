// The advisor's actions on the open handoff, the reply and note forms, and the search.
import { $, API, download, emit, errorText, request, showError, state } from "./berater-core.js";
import { actionButtons, clearDetail, openDetail, showConversationEnd, showMailState } from "./berater-detail.js";
import { confirmAction } from "./berater-dialog.js";
import { clearDraft } from "./berater-drafts.js";
import { fetchQueue } from "./berater-queue.js";

const TYPING_EVERY_MS = 3000;
const reply = { form: $("reply-form"), text: $("reply-text"), send: $("reply-send") };
const note = { form: $("note-form"), text: $("note-text"), save: $("note-save") };
const outcome = { form: $("outcome-form"), select: $("outcome"), save: $("outcome-save") };
const extra = {
  exportData: $("export"),
  erase: $("erase"),
  download: $("transcript-download"),
  mail: $("transcript-mail"),
};
const eraseDialog = $("erase-dialog");
const eraseReason = $("erase-reason");
let lastTyping = 0;
let socketOpen = () => false;

export function useSocketState(isOpen) {
  socketOpen = isOpen;
}

export function setBusy(on) {
  state.busy = on;
  const all = [...Object.values(actionButtons), extra.exportData, extra.erase, extra.download, reply.send, note.save, outcome.save];
  for (const element of all) element.disabled = on;
  extra.mail.disabled = on || extra.mail.dataset.blocked === "true";
}

// POSTs an action for the open handoff; `onSuccess` runs before the detail is fetched again.
export async function act(action, body, onSuccess) {
  if (state.current === null || !state.handoff || state.busy) return false;
  const id = state.current;
  setBusy(true);
  showError("");
  const result = await request("POST", `${API}/handoffs/${encodeURIComponent(id)}/${action}`, body);
  setBusy(false);
  if (id !== state.current) return false;
  if (!result.ok) {
    showError(errorText(result));
    if (result.status === 409) await openDetail(id, { keepError: true });
    return false;
  }
  if (onSuccess) onSuccess();
  if (!socketOpen()) fetchQueue();
  await openDetail(id);
  return true;
}

export async function claim() {
  if (actionButtons.claim.hidden || actionButtons.claim.disabled) return;
  if (await act("claim")) focusReply();
}

export async function closeChat() {
  if (actionButtons.close.hidden || state.busy) return;
  const sure = await confirmAction({
    heading: "Gespräch beenden?",
    message: "Die Person spricht danach wieder mit dem digitalen Assistenten und wird um eine Bewertung gebeten.",
    confirm: "Ja, beenden",
  });
  if (sure) await act("close");
}

async function handBack() {
  const sure = await confirmAction({
    heading: "An den Assistenten zurückgeben?",
    message: "Die Person spricht danach wieder mit dem digitalen Assistenten.",
    confirm: "Ja, zurückgeben",
  });
  if (sure) await act("handback");
}

export function focusReply() {
  if (reply.form.hidden) return false;
  showConversationEnd();
  reply.text.focus();
  return true;
}

// Tells the person "… schreibt" at most every three seconds.
function typing() {
  const now = Date.now();
  if (state.current === null || reply.form.hidden || now - lastTyping < TYPING_EVERY_MS) return;
  lastTyping = now;
  request("POST", `${API}/handoffs/${encodeURIComponent(state.current)}/typing`);
}

actionButtons.claim.addEventListener("click", claim);
actionButtons.close.addEventListener("click", closeChat);
actionButtons.handback.addEventListener("click", handBack);
actionButtons.done.addEventListener("click", () => act("done"));

extra.exportData.addEventListener("click", () => {
  if (state.current === null) return;
  download(`${API}/handoffs/${encodeURIComponent(state.current)}/export`, `auskunft-${state.handoff?.ticket || state.current}.json`);
});
extra.download.addEventListener("click", () => {
  if (state.current === null) return;
  download(`${API}/handoffs/${encodeURIComponent(state.current)}/transcript`, `verlauf-${state.handoff?.ticket || state.current}.txt`);
});
extra.mail.addEventListener("click", () => act("transcript-mail"));

outcome.form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!outcome.select.value) {
    showError("Bitte wählen Sie ein Ergebnis des Rückrufs.");
    return;
  }
  await act("outcome", { outcome: outcome.select.value });
});

extra.erase.addEventListener("click", () => {
  if (state.current === null || !state.handoff) return;
  eraseReason.value = "";
  eraseDialog.showModal();
});
$("erase-cancel").addEventListener("click", () => eraseDialog.close());
$("erase-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!eraseReason.value || state.current === null || state.busy) return;
  const id = state.current;
  const ticket = state.handoff?.ticket || "";
  setBusy(true);
  const result = await request("POST", `${API}/handoffs/${encodeURIComponent(id)}/erase`, { reason: eraseReason.value });
  setBusy(false);
  eraseDialog.close();
  if (!result.ok) {
    showError(errorText(result));
    return;
  }
  clearDraft(id);
  if (id === state.current) clearDetail(ticket ? `Vorgang ${ticket} wurde gelöscht.` : "Der Vorgang wurde gelöscht.");
  if (!socketOpen()) fetchQueue();
});

reply.form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = reply.text.value.trim();
  if (!text) return;
  const id = state.current;
  await act("reply", { text }, () => {
    if (reply.text.value.trim() === text) {
      reply.text.value = "";
      clearDraft(id);
    }
  });
  focusReply();
});
reply.text.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    reply.form.requestSubmit();
  }
});
reply.text.addEventListener("input", (event) => {
  if (event.isTrusted) typing();
});

note.form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = note.text.value.trim();
  if (!text) return;
  await act("note", { text }, () => {
    if (note.text.value.trim() === text) note.text.value = "";
  });
});

$("search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const ticket = $("ticket-search").value.trim().toUpperCase();
  if (!ticket) {
    showError("Bitte geben Sie eine Vorgangsnummer ein.");
    return;
  }
  const result = await request("GET", `${API}/search?ticket=${encodeURIComponent(ticket)}`);
  if (result.ok && result.data.handoff) {
    emit("reveal");
    await openDetail(result.data.handoff.id);
  } else {
    showError(result.status === 404 ? "Keine Vorgangsnummer gefunden." : errorText(result));
  }
});

export function onMailFrame(frame) {
  if (Number(frame.handoff_id) !== state.current || !state.detail) return;
  const mail = { ...(state.detail.transcript_mail || {}), state: frame.state };
  if (frame.state === "asked") mail.blocked = "Die Person wurde schon gefragt und hat noch nicht geantwortet.";
  else if (mail.blocked?.startsWith("Die Person wurde schon gefragt")) mail.blocked = null;
  showMailState(mail);
}
