// The console's WebSocket: queue snapshots and live frames, reconnecting with backoff.
import { $, emit, state } from "./berater-core.js";
import { fetchQueue } from "./berater-queue.js";

const connection = $("connection");
let socket = null;
let retries = 0;
let reconnectTimer = null;
let connectedBefore = false;

function setConnection(kind, text) {
  connection.dataset.state = kind;
  connection.textContent = text;
}

export function showOnline() {
  const online = state.queue && Number.isInteger(state.queue.online) ? ` · ${state.queue.online} online` : "";
  setConnection("open", `Verbunden${online}`);
}

export const socketOpen = () => Boolean(socket && socket.readyState === WebSocket.OPEN);

// Emits "queue", "message", "delivery", "presence", "typing" and "transcript_mail";
// "reconnected" when the socket is back (what came meanwhile is only in the database).
export function connect() {
  clearTimeout(reconnectTimer);
  if (socket && socket.readyState <= WebSocket.OPEN) return;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/berater/ws`);
  setConnection("connecting", "Verbindung wird hergestellt …");
  socket.addEventListener("open", () => {
    retries = 0;
    showOnline();
    if (connectedBefore) emit("reconnected");
    connectedBefore = true;
  });
  socket.addEventListener("message", (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (frame && typeof frame.type === "string") emit(frame.type, frame);
  });
  socket.addEventListener("close", () => {
    const delay = Math.min(30000, 1000 * 2 ** retries++) + Math.floor(Math.random() * 500);
    setConnection("closed", `Verbindung unterbrochen – neuer Versuch in ${Math.round(delay / 1000)} s …`);
    reconnectTimer = setTimeout(connect, delay);
    fetchQueue(); // keeps the lists current and sends an expired session to the login page
  });
}
