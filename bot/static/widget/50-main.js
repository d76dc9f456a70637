// Wiring: settings from the gateway (a site not in ALLOWED_ORIGINS gets no widget), the
// panel's open state, focus and keys, the phone's on-screen keyboard, other tabs.
const PHONE = window.matchMedia("(max-width: 40em), (max-height: 30em)");

function setOpen(open, { focus = true } = {}) {
  ui.root.dataset.state = open ? "open" : "closed";
  ui.panel.hidden = !open;
  ui.launcher.setAttribute("aria-expanded", String(open));
  storage.set(localStorage, KEYS.open, open ? "1" : "0");
  fitViewport();
  if (open) {
    connect();
    showStarters();
    if (focus) ui.input.focus();
  } else if (focus) ui.launcher.focus();
}

// On a phone the panel fills the visible area above the on-screen keyboard.
function fitViewport() {
  const viewport = window.visualViewport;
  if (PHONE.matches && viewport && ui.root.dataset.state === "open") {
    ui.panel.style.height = `${viewport.height}px`;
    ui.root.style.top = `${viewport.offsetTop}px`;
  } else {
    ui.panel.style.removeProperty("height");
    ui.root.style.removeProperty("top");
  }
}

function growInput() {
  ui.input.style.height = "auto";
  ui.input.style.height = `${Math.min(ui.input.scrollHeight + 2, 120)}px`;
}

ui.launcher.addEventListener("click", () => setOpen(true));
ui.close.addEventListener("click", () => setOpen(false));
ui.panel.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    event.preventDefault();
    setOpen(false);
  }
});
ui.end.addEventListener("click", () => {
  endHere("Gespräch beendet. Auf diesem Gerät ist es vergessen.");
  showStarters();
  ui.input.focus();
});
ui.erase.addEventListener("click", () => send("Meine Daten löschen", "#privacy:erase"));
ui.keyboard.addEventListener("click", () => {
  applyKeyboard(ui.keyboard.dataset.next);
  ui.input.focus();
});
ui.form.addEventListener("submit", (event) => {
  event.preventDefault();
  send(ui.input.value);
  ui.input.value = "";
  growInput();
});
ui.input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ui.form.requestSubmit();
  }
});
ui.input.addEventListener("input", () => {
  growInput();
  typing();
});
window.addEventListener("offline", () => {
  if (socket) abandon(socket); // a phone's socket does not survive this; a new one follows
  showConnection();
});
window.addEventListener("online", () => {
  retries = 0;
  showConnection();
  if (!stopped || pending.length) connect();
});
window.visualViewport?.addEventListener("resize", fitViewport);
PHONE.addEventListener("change", fitViewport);
// another tab of this site started, resumed or ended the conversation
window.addEventListener("storage", (event) => {
  if (event.key !== KEYS.conversation || event.newValue === conversationId) return;
  if (event.newValue === null) endHere("Gespräch in einem anderen Fenster beendet.");
  else if (ready && socket) socket.send(JSON.stringify({ type: "resume", conversation_id: event.newValue }));
});

async function start() {
  document.body.append(ui.host);
  const styled = new Promise((resolve) => {
    const sheet = ui.shadow.querySelector("link");
    sheet.addEventListener("load", resolve, { once: true });
    sheet.addEventListener("error", resolve, { once: true });
  });
  try {
    const response = await fetch(`${SERVER}/widget/config`, { credentials: "omit" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    settings = await response.json();
  } catch (error) {
    console.warn("werkbot: Der Chat ist für diese Website nicht freigegeben oder nicht erreichbar.", error);
    ui.host.remove();
    return;
  }
  fillWelcome(settings);
  await styled;
  ui.root.hidden = false;
  for (const opener of document.querySelectorAll("[data-werkbot-open]")) {
    opener.addEventListener("click", (event) => {
      event.preventDefault();
      setOpen(true);
    });
  }
  // reopened as it was left, without taking the page's focus; messages that were not
  // acknowledged before a reload go out now
  if (storage.get(localStorage, KEYS.open) === "1") setOpen(true, { focus: false });
  else if (pending.length) connect();
}

start();
