// werkbot advisor console: shared state, DOM and HTTP helpers, and a small event bus.
// All text from people, the bot or advisors is inserted as text nodes, never as HTML.
export const API = "/berater/api";

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute("content") || "";
const csrfToken = meta("csrf-token");

export const $ = (id) => document.getElementById(id);

export const state = {
  current: null, // id of the open handoff
  handoff: null, // the open handoff as last loaded
  detail: null, // the last detail answer (guides, transcript mail …)
  queue: null, // the last queue frame
  clockOffset: 0, // server time minus local time
  unread: new Map(), // handoff id → the person's messages not yet seen
  busy: false,
};

const listeners = new Map();

export function on(name, listener) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(listener);
}

export function emit(name, data) {
  for (const listener of listeners.get(name) || []) listener(data);
}

export function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
}

export function button(text, className) {
  const element = el("button", className, text);
  element.type = "button";
  return element;
}

export function shorten(text, max) {
  const clean = String(text || "").replace(/\s+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
}

export function safeUrl(url) {
  try {
    const parsed = new URL(String(url), location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

export const serverNow = () => Date.now() + state.clockOffset;

export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const today = new Date(serverNow()).toDateString() === date.toDateString();
  const time = date.toLocaleTimeString("de-DE", { hour: "2-digit", minute: "2-digit" });
  return today ? time : `${date.toLocaleDateString("de-DE")} ${time}`;
}

export function showError(text) {
  const error = $("pane-error");
  error.textContent = text || "";
  error.hidden = !text;
}

// Sends JSON with the CSRF token on every method but GET; a 401 goes to the login page.
export async function request(method, path, body) {
  const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (method !== "GET") {
    options.headers["Content-Type"] = "application/json";
    options.headers["X-CSRF-Token"] = csrfToken;
    options.body = JSON.stringify(body || {});
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    return { ok: false, status: 0, data: { error: "Keine Verbindung zum Server." } };
  }
  if (response.status === 401) {
    location.assign("/berater/login");
    return { ok: false, status: 401, data: { error: "Bitte melden Sie sich neu an." } };
  }
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = {};
  }
  return { ok: response.ok, status: response.status, data: data || {} };
}

export function errorText(result) {
  if (result.data && typeof result.data.error === "string" && result.data.error) return result.data.error;
  if (result.status === 404) return "Vorgang nicht gefunden.";
  return "Das hat nicht geklappt. Bitte versuchen Sie es erneut.";
}

// Starts a same-origin download (the session cookie goes along).
export function download(path, filename) {
  const link = el("a");
  link.href = path;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
}

// Puts `text` into a text field at the cursor (on a line of its own) and focuses it.
export function insertText(field, text) {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? field.value.length;
  const before = field.value.slice(0, start);
  const glue = before && !before.endsWith("\n") && !before.endsWith(" ") ? " " : "";
  field.value = `${before}${glue}${text}${field.value.slice(end)}`;
  const caret = before.length + glue.length + text.length;
  field.focus();
  field.setSelectionRange(caret, caret);
  field.dispatchEvent(new Event("input", { bubbles: true }));
}
