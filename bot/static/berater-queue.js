// The queue lists: rendering, unread counts and the last message of the person.
import { $, API, el, formatTime, request, serverNow, shorten, state } from "./berater-core.js";

export const QUEUES = ["waiting", "callbacks", "active", "closed"];
const SUMMARY_CHARS = 90;
const PREVIEW_CHARS = 80;

export const STATUS = {
  waiting: "Wartet auf Übernahme",
  active: "In Bearbeitung",
  callback_open: "Rückrufbitte offen",
  callback_done: "Rückruf erledigt",
  closed: "Beendet",
  handed_back: "An Assistenten zurückgegeben",
  cancelled: "Von der Person beendet",
};
export const REGION = { halle: "Halle", magdeburg: "Magdeburg", online: "online" };

const lists = Object.fromEntries(QUEUES.map((key) => [key, $(`queue-${key}`)]));

function badge(text, className) {
  return el("span", `badge ${className}`, text);
}

function unreadBadge(count) {
  return badge(count === 1 ? "1 neue Nachricht" : `${count} neue Nachrichten`, "badge-new");
}

export function waitText(iso) {
  const since = Date.parse(iso);
  if (Number.isNaN(since)) return "";
  const minutes = Math.max(0, Math.floor((serverNow() - since) / 60000));
  if (minutes < 1) return "wartet seit unter 1 Min.";
  if (minutes < 60) return `wartet seit ${minutes} Min.`;
  return `wartet seit ${Math.floor(minutes / 60)} Std. ${minutes % 60} Min.`;
}

// One list entry; `key` is the list it is in ("closed" for search results too).
export function renderItem(handoff, key) {
  const count = state.unread.get(handoff.id) || 0;
  const item = el("li", "queue-item");
  item.dataset.id = String(handoff.id);
  item.dataset.ticket = handoff.ticket || "";
  item.dataset.status = handoff.status || "";
  item.classList.toggle("matches", Boolean(handoff.matches));
  item.classList.toggle("mine", Boolean(handoff.mine));
  item.classList.toggle("has-new", count > 0);
  item.classList.toggle("selected", handoff.id === state.current);

  const open = el("button", "item-open");
  open.type = "button";
  if (handoff.id === state.current) open.setAttribute("aria-current", "true");

  const top = el("span", "item-top");
  top.append(el("span", "ticket", handoff.ticket));
  if (count) top.append(unreadBadge(count));
  if (handoff.mine) top.append(badge("bei mir", "badge-mine"));
  if (handoff.matches && (key === "waiting" || key === "callbacks")) top.append(badge("passt zu Ihnen", "badge-match"));
  open.append(top);

  if (handoff.summary) open.append(el("span", "item-summary", shorten(handoff.summary, SUMMARY_CHARS)));
  if (handoff.preview) open.append(el("span", "item-preview", `Zuletzt: „${shorten(handoff.preview, PREVIEW_CHARS)}“`));
  const facts = [handoff.trade, handoff.topic, REGION[handoff.region] || handoff.region].filter(Boolean);
  if (facts.length) open.append(el("span", "item-facts", facts.join(" · ")));

  if (key === "callbacks") {
    const who = [handoff.contact_name, handoff.business].filter(Boolean).join(", ");
    if (who) open.append(el("span", "item-contact", who));
    const how = [handoff.contact, handoff.preferred_time].filter(Boolean).join(" · ");
    if (how) open.append(el("span", "item-contact", how));
    if (handoff.email_failed) open.append(el("span", "item-alert", "E-Mail nicht zustellbar"));
  }
  if (handoff.status === "waiting" && handoff.queued_at) {
    const wait = el("span", "wait", waitText(handoff.queued_at));
    wait.dataset.queuedAt = handoff.queued_at;
    open.append(wait);
  }
  if (handoff.status === "active") open.append(el("span", "item-advisor", `bei ${handoff.advisor || "—"}`));
  if (key === "closed") {
    const closedAt = formatTime(handoff.closed_at);
    open.append(el("span", "item-facts", [STATUS[handoff.status] || handoff.status, closedAt].filter(Boolean).join(" · ")));
  }
  item.append(open);
  return item;
}

export function renderQueue(frame) {
  state.queue = frame;
  for (const key of QUEUES) {
    const handoffs = Array.isArray(frame[key]) ? frame[key] : [];
    lists[key].replaceChildren(...handoffs.map((handoff) => renderItem(handoff, key)));
    $(`count-${key}`).textContent = handoffs.length ? `(${handoffs.length})` : "";
    $(`empty-${key}`).hidden = handoffs.length > 0;
  }
}

export function rememberClock(frame) {
  const now = Date.parse(frame.now);
  if (!Number.isNaN(now)) state.clockOffset = now - Date.now();
}

export async function fetchQueue() {
  const result = await request("GET", `${API}/queue`);
  if (result.ok && result.data) {
    rememberClock(result.data);
    renderQueue(result.data);
  }
  return result.ok ? result.data : null;
}

export function refreshWaitTimes() {
  for (const wait of document.querySelectorAll(".wait[data-queued-at]")) wait.textContent = waitText(wait.dataset.queuedAt);
}

// Updates the unread badge and the preview of one handoff in place.
export function showUnread(handoffId, preview) {
  const count = state.unread.get(handoffId) || 0;
  for (const item of document.querySelectorAll(`.queue-item[data-id="${handoffId}"]`)) {
    item.classList.toggle("has-new", count > 0);
    item.querySelector(".badge-new")?.remove();
    if (count) item.querySelector(".item-top .ticket")?.after(unreadBadge(count));
    if (preview) {
      const line = item.querySelector(".item-preview") || el("span", "item-preview");
      line.textContent = `Zuletzt: „${shorten(preview, PREVIEW_CHARS)}“`;
      if (!line.isConnected) item.querySelector(".item-top")?.after(line);
    }
  }
  for (const handoff of QUEUES.flatMap((key) => state.queue?.[key] || [])) {
    if (handoff.id === handoffId && preview) handoff.preview = preview;
  }
}

export function markSelected() {
  for (const item of document.querySelectorAll(".queue-item")) {
    const selected = Number(item.dataset.id) === state.current;
    item.classList.toggle("selected", selected);
    const open = item.querySelector(".item-open");
    if (selected) open?.setAttribute("aria-current", "true");
    else open?.removeAttribute("aria-current");
  }
}

// The handoffs an advisor works through with "next": waiting first, then their active chats.
export function workList() {
  return ["waiting", "active"].flatMap((key) => state.queue?.[key] || []);
}
