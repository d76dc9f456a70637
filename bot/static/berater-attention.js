// Attention while the advisor looks elsewhere: "(N) …" in the title for the person's
// unread messages and newly waiting chats, an optional beep (WebAudio, off by default,
// remembered in localStorage) and a desktop notification while the tab is hidden.
import { $, state } from "./berater-core.js";
import { showUnread } from "./berater-queue.js";

const SOUND_KEY = "werkbot.berater.sound";
const baseTitle = document.title;
const soundToggle = $("sound-toggle");
const notifyButton = $("notify-button");
const newWaiting = new Set(); // waiting handoffs that came in and were not opened yet
let knownWaiting = null; // ids of the waiting list as last seen (null before the first frame)
let audio = null;

function unseen(handoffId) {
  return document.hidden || handoffId !== state.current;
}

export function updateTitle() {
  let count = newWaiting.size;
  for (const value of state.unread.values()) count += value;
  document.title = count ? `(${count}) ${baseTitle}` : baseTitle;
}

function beep() {
  if (!soundToggle.checked) return;
  try {
    audio = audio || new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.3);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.3);
  } catch {
    // no audio output: the title counter still counts
  }
}

function notify(title, body, tag) {
  if (!document.hidden || !("Notification" in window) || Notification.permission !== "granted") return;
  try {
    const note = new Notification(title, { body, tag, lang: "de" });
    note.addEventListener("click", () => window.focus());
  } catch {
    // notifications refused by the browser
  }
}

function ticketOf(handoffId) {
  const all = ["waiting", "callbacks", "active"].flatMap((key) => state.queue?.[key] || []);
  return all.find((handoff) => handoff.id === handoffId)?.ticket || "";
}

// A message of the person (sender "user") arrived; system and bot messages never count.
export function personMessage(handoffId, message) {
  if (message.sender !== "user") return;
  if (unseen(handoffId)) {
    state.unread.set(handoffId, (state.unread.get(handoffId) || 0) + 1);
    beep();
    notify("Neue Nachricht", `Vorgang ${ticketOf(handoffId)}`.trim(), `message-${handoffId}`);
  }
  showUnread(handoffId, message.text);
  updateTitle();
}

// A queue frame: which waiting chats are new since the last one.
export function queueChanged(frame) {
  const waiting = frame.waiting || [];
  const ids = new Set(waiting.map((handoff) => handoff.id));
  for (const id of [...newWaiting]) if (!ids.has(id)) newWaiting.delete(id);
  if (knownWaiting !== null) {
    for (const handoff of waiting) {
      if (knownWaiting.has(handoff.id) || !unseen(handoff.id)) continue;
      newWaiting.add(handoff.id);
      beep();
      notify("Neuer Chat wartet", `Vorgang ${handoff.ticket}`, `waiting-${handoff.id}`);
    }
  }
  knownWaiting = ids;
  updateTitle();
}

// The advisor looks at a handoff: its messages and its arrival count as seen.
export function seen(handoffId) {
  if (handoffId === null || document.hidden) return;
  state.unread.delete(handoffId);
  newWaiting.delete(handoffId);
  showUnread(handoffId);
  updateTitle();
}

function showNotifyState() {
  if (!("Notification" in window)) {
    notifyButton.disabled = true;
    notifyButton.textContent = "Desktop-Benachrichtigungen (nicht verfügbar)";
  } else if (Notification.permission === "granted") {
    notifyButton.textContent = "Desktop-Benachrichtigungen an";
  } else if (Notification.permission === "denied") {
    notifyButton.textContent = "Desktop-Benachrichtigungen blockiert";
  }
}

notifyButton.addEventListener("click", async () => {
  if (!("Notification" in window) || Notification.permission !== "default") return;
  await Notification.requestPermission();
  showNotifyState();
});

try {
  soundToggle.checked = localStorage.getItem(SOUND_KEY) === "on";
} catch {
  soundToggle.checked = false;
}
soundToggle.addEventListener("change", () => {
  try {
    localStorage.setItem(SOUND_KEY, soundToggle.checked ? "on" : "off");
  } catch {
    // not remembered
  }
  if (soundToggle.checked) beep(); // a user gesture unlocks audio, and the advisor hears it
});
document.addEventListener("visibilitychange", () => seen(state.current));
showNotifyState();
