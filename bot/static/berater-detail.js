// The detail pane: one handoff with its transcript, facts, guides, feedback and notes.
import { $, API, el, emit, formatTime, request, safeUrl, showError, state, errorText } from "./berater-core.js";
import { REGION, STATUS, markSelected } from "./berater-queue.js";

const REASON = {
  request_human: "Wunsch der Person",
  fallback: "Bot hat zweimal nicht verstanden",
  not_helpful: "Zweimal „Hat nicht geholfen“",
  no_answer: "Keine passende Antwort",
};
const SENDER = { user: "Person", bot: "Assistent", system: "System" };
const CHANNEL = { web: "Website-Chat", whatsapp: "WhatsApp", telegram: "Telegram" };
const OUTCOME = { reached: "erreicht", not_reached: "nicht erreicht", appointment: "Termin vereinbart" };
const MAIL_STATE = {
  asked: "Die Person wurde gefragt, ob sie den Verlauf per E-Mail möchte.",
  declined: "Die Person möchte keinen Verlauf per E-Mail.",
  sending: "Die Person hat zugestimmt; der Verlauf wird gesendet.",
  sent: "Der Verlauf wurde per E-Mail gesendet.",
  failed: "Der Verlauf ließ sich nicht per E-Mail senden.",
};
const TYPING_SHOWN_MS = 6000;

const pane = {
  title: $("pane-title"),
  empty: $("pane-empty"),
  body: $("pane-body"),
  status: $("pane-status"),
  meta: $("pane-meta"),
  presence: $("presence"),
  typing: $("typing"),
  transcript: $("transcript"),
  guides: $("guides"),
  feedback: $("feedback"),
  notes: $("notes"),
  replyForm: $("reply-form"),
  replyNotice: $("reply-notice"),
  outcomeForm: $("outcome-form"),
  outcome: $("outcome"),
  mailButton: $("transcript-mail"),
  mailNote: $("transcript-mail-note"),
};
export const actionButtons = {
  claim: $("claim"),
  close: $("close"),
  handback: $("handback"),
  done: $("done"),
};

let loadToken = 0; // ignores answers to detail requests that are no longer current
let loading = false;
let pending = []; // messages for the open handoff that arrived while it was loading
let typingTimer = null;

function senderLabel(message) {
  if (message.sender === "advisor") return message.advisor || "Beratung";
  return SENDER[message.sender] || message.sender;
}

// a delivery state: gesendet, zugestellt, gelesen, nicht zustellbar …
function deliveryLabel(delivery) {
  const label = el("span", "msg-delivery", delivery.label || delivery.status || "");
  label.dataset.status = delivery.status || "";
  if (delivery.error) label.title = delivery.error;
  return label;
}

export function appendMessage(message) {
  const list = pane.transcript;
  if (message.id !== undefined && message.id !== null) {
    if (list.querySelector(`li[data-message-id="${CSS.escape(String(message.id))}"]`)) return;
  }
  const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const item = el("li", "msg");
  item.dataset.sender = message.sender || "";
  if (message.id !== undefined && message.id !== null) item.dataset.messageId = String(message.id);
  const head = el("span", "msg-head");
  head.append(el("span", "msg-sender", senderLabel(message)));
  const time = formatTime(message.created_at);
  if (time) head.append(el("time", "msg-time", time));
  if (message.delivery) head.append(deliveryLabel(message.delivery));
  item.append(head, el("span", "msg-text", message.text || ""));
  list.append(item);
  if (stick) list.scrollTop = list.scrollHeight;
  if (message.sender === "user") showTyping(false);
}

export function showDelivery(frame) {
  for (const id of frame.message_ids || []) {
    const item = pane.transcript.querySelector(`li[data-message-id="${CSS.escape(String(id))}"]`);
    if (!item) continue;
    const head = item.querySelector(".msg-head");
    const old = head.querySelector(".msg-delivery");
    if (old) old.replaceWith(deliveryLabel(frame));
    else head.append(deliveryLabel(frame));
  }
}

// "ist im Chat" / "hat das Fenster geschlossen"; nothing for messengers (presence null).
export function showPresence(presence) {
  pane.presence.hidden = !presence;
  pane.presence.dataset.state = presence || "";
  pane.presence.textContent = presence === "open" ? "Die Person ist im Chat." : presence === "closed" ? "Die Person hat das Fenster geschlossen." : "";
}

export function showTyping(on) {
  clearTimeout(typingTimer);
  pane.typing.hidden = !on;
  pane.typing.textContent = on ? "Die Person schreibt …" : "";
  if (on) typingTimer = setTimeout(() => showTyping(false), TYPING_SHOWN_MS);
}

export function showMailState(mail) {
  const blocked = mail?.blocked || null;
  pane.mailButton.disabled = Boolean(blocked) || state.busy;
  pane.mailButton.dataset.blocked = blocked ? "true" : "";
  pane.mailNote.textContent = blocked || MAIL_STATE[mail?.state] || "";
  if (state.detail) state.detail.transcript_mail = mail;
}

function addFact(term, value) {
  if (value === null || value === undefined || value === "") return;
  const dd = el("dd");
  if (value instanceof Node) dd.append(value);
  else dd.textContent = value;
  pane.meta.append(el("dt", "", term), dd);
}

// The contact as a tel: or mailto: link.
function contactLink(contact) {
  if (!contact) return null;
  const email = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(contact);
  const phone = contact.replace(/[^\d+]/g, "");
  if (!email && phone.length < 6) return contact;
  const link = el("a", "contact-link", contact);
  const [local, domain] = contact.split("@");
  link.href = email ? `mailto:${encodeURIComponent(local)}@${encodeURIComponent(domain)}` : `tel:${phone}`;
  return link;
}

export function renderHandoff(handoff) {
  state.handoff = handoff;
  pane.title.textContent = `Vorgang ${handoff.ticket || ""}`.trim();
  pane.status.textContent = STATUS[handoff.status] || handoff.status || "";
  pane.status.dataset.status = handoff.status || "";
  pane.meta.replaceChildren();
  addFact("Vorgangsnummer", handoff.ticket);
  addFact("Kanal", CHANNEL[handoff.channel] || handoff.channel);
  addFact("Grund", REASON[handoff.reason] || handoff.reason);
  addFact("Anliegen", handoff.summary);
  addFact("Gewerk", handoff.trade);
  addFact("Thema", handoff.topic);
  addFact("Region", REGION[handoff.region] || handoff.region);
  addFact("Eingegangen", formatTime(handoff.queued_at || handoff.created_at));
  if (handoff.advisor) addFact("Bearbeitet von", handoff.mine ? `${handoff.advisor} (Sie)` : handoff.advisor);
  addFact("Name", handoff.contact_name);
  addFact("Betrieb", handoff.business);
  addFact("Kontakt", contactLink(handoff.contact));
  addFact("Wunschzeit", handoff.preferred_time);
  addFact("Ergebnis des Rückrufs", OUTCOME[handoff.callback_outcome]);
  if (handoff.email_failed) addFact("E-Mail", "nicht zustellbar – bitte direkt bearbeiten");
  if (handoff.closed_at) addFact("Abgeschlossen", formatTime(handoff.closed_at));
  if (handoff.rating !== null && handoff.rating !== undefined) addFact("Bewertung", String(handoff.rating));

  const status = handoff.status;
  const mine = Boolean(handoff.mine);
  const others = Boolean(handoff.advisor) && !mine;
  actionButtons.claim.hidden = !((status === "waiting" || status === "callback_open") && !mine && !others);
  actionButtons.close.hidden = !(status === "active" && mine);
  actionButtons.handback.hidden = !(status === "waiting" || (status === "active" && mine));
  actionButtons.done.hidden = !(status === "callback_open" && !others);
  const callback = status === "callback_open" || status === "callback_done";
  pane.outcomeForm.hidden = !(callback && !others);
  if (document.activeElement !== pane.outcome) pane.outcome.value = handoff.callback_outcome || "";
  pane.replyForm.hidden = !(status === "active" && mine);
  pane.replyNotice.textContent = handoff.reply_notice || "";
  pane.replyNotice.hidden = !handoff.reply_notice;
  if (handoff.presence !== undefined) showPresence(handoff.presence);
  emit("handoff", handoff);
}

function renderList(list, items, renderEntry, emptyText) {
  list.replaceChildren();
  for (const entry of items || []) list.append(renderEntry(entry));
  if (!list.children.length) list.append(el("li", "none", emptyText));
}

function renderDetail(data) {
  state.detail = data;
  renderHandoff(data.handoff);
  showMailState(data.transcript_mail);
  pane.transcript.replaceChildren();
  for (const message of data.messages || []) appendMessage(message);
  pane.transcript.scrollTop = pane.transcript.scrollHeight;
  renderList(pane.guides, data.guides, (guide) => {
    const item = el("li");
    const url = safeUrl(guide.url);
    if (!url) return el("li", "", guide.title || "");
    const link = el("a", "", guide.title || url);
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    item.append(link);
    return item;
  }, "Keine Leitfäden angezeigt.");
  renderList(pane.feedback, data.feedback, (entry) => {
    const item = el("li", entry.helpful ? "helpful" : "not-helpful", entry.helpful ? "Hat geholfen" : "Hat nicht geholfen");
    const time = formatTime(entry.created_at);
    if (time) item.append(" ", el("time", "msg-time", time));
    return item;
  }, "Keine Rückmeldungen.");
  renderList(pane.notes, data.notes, (note) => {
    const item = el("li", "note");
    const head = el("span", "msg-head");
    head.append(el("span", "msg-sender", note.advisor || ""));
    const time = formatTime(note.created_at);
    if (time) head.append(el("time", "msg-time", time));
    item.append(head, el("span", "msg-text", note.text || ""));
    return item;
  }, "Keine Notizen.");
  emit("detail", data);
}

// Brings the newest messages into view above the sticky reply box of an own chat.
export function showConversationEnd() {
  if (pane.replyForm.hidden) return;
  pane.transcript.style.scrollMarginBottom = `${pane.replyForm.offsetHeight + 16}px`;
  pane.transcript.scrollIntoView({ block: "end" });
}

export function showEmpty(text) {
  pane.title.textContent = "Vorgang";
  pane.empty.textContent = text;
  pane.empty.hidden = false;
  pane.body.hidden = true;
}

export function onMessage(handoffId, message) {
  if (handoffId !== state.current) return;
  if (loading) pending.push(message);
  else appendMessage(message);
}

export async function openDetail(id, { keepError = false } = {}) {
  const token = ++loadToken;
  const fresh = id !== state.current || !state.handoff;
  if (fresh) {
    emit("leave", state.current);
    state.current = id;
    state.handoff = null;
    state.detail = null;
    pane.transcript.replaceChildren();
    showTyping(false);
    showPresence(null);
    showEmpty("Vorgang wird geladen …");
  }
  loading = true;
  pending = [];
  emit("open", id);
  markSelected();
  if (!keepError) showError("");
  const result = await request("GET", `${API}/handoffs/${encodeURIComponent(id)}`);
  if (token !== loadToken) return;
  loading = false;
  if (!result.ok || !result.data.handoff) {
    showError(errorText(result));
    if (state.handoff) {
      for (const message of pending.splice(0)) appendMessage(message);
    } else {
      pending = [];
      state.current = null;
      markSelected();
      showEmpty("Wählen Sie einen Vorgang aus der Liste.");
    }
    return;
  }
  pane.empty.hidden = true;
  pane.body.hidden = false;
  renderDetail(result.data);
  for (const message of pending.splice(0)) appendMessage(message);
  if (fresh) showConversationEnd();
}

export function clearDetail(text) {
  emit("leave", state.current);
  state.current = null;
  state.handoff = null;
  state.detail = null;
  markSelected();
  showEmpty(text);
}
