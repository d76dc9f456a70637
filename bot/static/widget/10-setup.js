// Setup: where the gateway is (the script's own address or data-server), what the host
// page asked for (data-title, data-position), and what is kept in the browser.
"use strict";
const script = document.currentScript;
if (!script) throw new Error("werkbot: widget.js muss als <script src=…> eingebunden werden");
const SERVER = new URL(script.dataset.server || script.src, location.href).origin;
const TITLE = script.dataset.title || "Digitaler Assistent";
const POSITION = script.dataset.position === "left" ? "left" : "right";
const MAX_CHARS = 2000;
const ERASED_CLOSE_CODE = 4001;
// a frame not acknowledged within this time means the connection is dead (half-open)
const ACK_TIMEOUT_MS = 5000;
const PING_EVERY_MS = 20000;
// a message still not acknowledged after this time is marked as not delivered
const FAILED_AFTER_MS = 15000;
const TYPING_EVERY_MS = 3000;
const KEYS = {
  conversation: "werkbot.conversationId", // localStorage: shared by the site's tabs
  open: "werkbot.open", // localStorage: whether the panel was open
  pending: "werkbot.pending", // sessionStorage: this tab's messages not yet acknowledged
};

const storage = {
  get(area, key) {
    try { return area.getItem(key); } catch { return null; }
  },
  set(area, key, value) {
    try {
      if (value === null) area.removeItem(key);
      else area.setItem(key, value);
    } catch { /* storage blocked: the chat works for this page view */ }
  },
};

function newClientId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
