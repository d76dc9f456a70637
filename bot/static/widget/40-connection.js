// The connection: one WebSocket to the gateway. Every message of the person carries its
// own id and stays in `pending` (sessionStorage) until the gateway acknowledges it as
// stored; a resend after a lost acknowledgement is stored once. A frame without answer
// (ack or pong) within ACK_TIMEOUT_MS means the socket is half-open: it is dropped and a
// new one opened, and what is pending goes out again.
let settings = null;
let socket = null;
let ready = false; // the socket is open and attached to the conversation
let retries = 0;
let stopped = false; // after "Beenden" or an erase: no reconnect until the person writes
let conversationId = storage.get(localStorage, KEYS.conversation);
let renderedConversation = null; // the conversation the log shows
let lastTyping = 0;
let pending = loadPending();
let pongTimer = null;
let pingTimer = null;
const ackTimers = new Map();

function loadPending() {
  try { return JSON.parse(storage.get(sessionStorage, KEYS.pending) || "[]"); } catch { return []; }
}

function savePending() {
  storage.set(sessionStorage, KEYS.pending, pending.length ? JSON.stringify(pending) : null);
}

function bubbleOf(clientId) {
  return ui.log.querySelector(`.wb-msg[data-client-id="${CSS.escape(clientId)}"]`);
}

function delivered(clientId) {
  clearTimeout(ackTimers.get(clientId));
  ackTimers.delete(clientId);
  setDelivery(bubbleOf(clientId), "sent");
  const before = pending.length;
  pending = pending.filter((entry) => entry.id !== clientId);
  if (pending.length !== before) savePending();
}

function setBanner(text) {
  ui.banner.textContent = text;
  ui.banner.hidden = !text;
}

function showConnection() {
  if (!navigator.onLine) {
    setBanner("Sie sind offline. Ihre Nachrichten werden gesendet, sobald die Verbindung wieder da ist.");
  } else if (ready) setBanner("");
  else if (retries > 0) setBanner("Verbindung unterbrochen – neuer Versuch …");
}

function connect() {
  if (socket || !settings) return;
  stopped = false;
  const opened = new WebSocket(`${SERVER.replace(/^http/, "ws")}/ws`);
  socket = opened;
  ready = false;
  let resumed = false;
  opened.addEventListener("message", (event) => {
    if (socket !== opened) return;
    const frame = JSON.parse(event.data);
    if (frame.type === "welcome") {
      // the id travels in a frame, never in the URL (access logs)
      const known = storage.get(localStorage, KEYS.conversation);
      if (!resumed && known && frame.conversation_id !== known) {
        resumed = true;
        opened.send(JSON.stringify({ type: "resume", conversation_id: known }));
        return;
      }
      resumed = true;
      welcome(opened, frame);
    } else onFrame(frame);
  });
  opened.addEventListener("close", (event) => {
    if (socket === opened) lost(event.code);
  });
}

function welcome(opened, frame) {
  conversationId = frame.conversation_id;
  if (frame.history.length) storage.set(localStorage, KEYS.conversation, conversationId);
  if (renderedConversation !== conversationId) {
    clearLog();
    renderedConversation = conversationId;
    renderHistory(frame.history);
  } else {
    for (const message of frame.history) render(message); // only what is new
  }
  for (const entry of pending) {
    if (!bubbleOf(entry.id)) setDelivery(render({ sender: "user", text: entry.text, client_id: entry.id }), "pending");
  }
  ready = true;
  retries = 0;
  showConnection();
  clearInterval(pingTimer);
  pingTimer = setInterval(() => ping(opened), PING_EVERY_MS);
  for (const entry of pending) transmit(entry);
}

function onFrame(frame) {
  if (frame.type === "pong") {
    clearTimeout(pongTimer);
  } else if (frame.type === "ack") {
    storage.set(localStorage, KEYS.conversation, conversationId);
    if (frame.message) render(frame.message);
    delivered(frame.id);
    if (!handoffRunning()) showTyping("Assistent schreibt …");
  } else if (frame.type === "reject") {
    const entry = pending.find((candidate) => candidate.id === frame.id);
    pending = pending.filter((candidate) => candidate.id !== frame.id);
    savePending();
    clearTimeout(ackTimers.get(frame.id));
    if (entry) setDelivery(bubbleOf(entry.id), "failed", () => retry(entry));
    if (frame.message) render(frame.message);
  } else if (frame.type === "typing") {
    showTyping(`${frame.name || "Die Beratung"} schreibt …`);
  } else if (frame.type === "message") {
    render(frame.message);
    if (frame.message.custom?.erased) forget();
  }
}

function ping(opened) {
  if (socket !== opened || opened.readyState !== WebSocket.OPEN) return;
  opened.send(JSON.stringify({ type: "ping" }));
  clearTimeout(pongTimer);
  pongTimer = setTimeout(() => abandon(opened), ACK_TIMEOUT_MS);
}

// A socket that no longer carries frames: dropped at once, a new one opened.
function abandon(opened) {
  if (socket !== opened) return;
  try { opened.close(); } catch { /* already closing */ }
  lost(1006);
}

function lost(code) {
  socket = null;
  ready = false;
  clearInterval(pingTimer);
  clearTimeout(pongTimer);
  showTyping("");
  if (stopped || code === ERASED_CLOSE_CODE) {
    stopped = true;
    return;
  }
  retries += 1;
  showConnection();
  if (navigator.onLine) setTimeout(connect, Math.min(10000, 250 * 2 ** retries));
}

function transmit(entry) {
  if (!navigator.onLine) return; // kept; sent when the browser is online again
  if (!ready || !socket) {
    connect();
    return;
  }
  socket.send(JSON.stringify({ type: "message", text: entry.text, payload: entry.payload || null, id: entry.id }));
  const opened = socket;
  clearTimeout(ackTimers.get(entry.id));
  ackTimers.set(entry.id, setTimeout(() => abandon(opened), ACK_TIMEOUT_MS));
}

function retry(entry) {
  if (!pending.some((candidate) => candidate.id === entry.id)) pending.push(entry);
  savePending();
  setDelivery(bubbleOf(entry.id), "pending");
  watch(entry);
  transmit(entry);
}

// Not acknowledged in time: the bubble says so and offers a resend (it is resent on
// every reconnect anyway).
function watch(entry) {
  setTimeout(() => {
    if (pending.some((candidate) => candidate.id === entry.id)) {
      setDelivery(bubbleOf(entry.id), "failed", () => retry(entry));
    }
  }, FAILED_AFTER_MS);
}

function send(text, payload) {
  const clean = text.trim();
  if (!clean) return;
  if (clean.length > MAX_CHARS) {
    setBanner(`Bitte höchstens ${MAX_CHARS} Zeichen.`);
    return;
  }
  stopped = false;
  const entry = { id: newClientId(), text: clean, payload: payload || null };
  pending.push(entry);
  savePending();
  setDelivery(render({ sender: "user", text: clean, client_id: entry.id }), "pending");
  watch(entry);
  transmit(entry);
}

function typing() {
  const now = Date.now();
  if (!handoffRunning() || !ready || now - lastTyping < TYPING_EVERY_MS) return;
  lastTyping = now;
  socket.send(JSON.stringify({ type: "typing" }));
}

// Forget this device's conversation: the next message starts a new one.
function forget() {
  storage.set(localStorage, KEYS.conversation, null);
  pending = [];
  savePending();
  stopped = true;
}

function endHere(notice) {
  forget();
  const closing = socket;
  socket = null;
  ready = false;
  closing?.close();
  clearLog();
  renderedConversation = null;
  conversationId = null;
  setBanner(notice);
}
