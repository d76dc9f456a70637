// Messages in the log: text as text nodes (links only for http(s) addresses, titled
// when the message names them), a hidden sender for screen readers, delivery states.
const SENDER_NAMES = { user: "Sie", bot: "Assistent", advisor: "Beratung", system: "Hinweis" };
const shownIds = new Set(); // stored messages on screen (history, pushes and acks meet)
let quickRepliesFor = null; // the message whose buttons are shown
let handoffState = null; // "waiting"/"active" while an advisor takes over, else null
let advisorName = "";
let inputHint = null;
const handoffRunning = () => handoffState === "waiting" || handoffState === "active";

function appendWithLinks(node, text, links) {
  const titles = new Map((links || []).map((link) => [link.url, link.title]));
  const urlPattern = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g;
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    node.append(text.slice(last, match.index));
    const link = element("a", { href: match[0], target: "_blank", rel: "noopener noreferrer" });
    link.textContent = titles.get(match[0]) || match[0];
    node.append(link);
    last = match.index + match[0].length;
  }
  node.append(text.slice(last));
}

function showTyping(text) {
  ui.log.querySelector(".wb-typing")?.remove();
  clearTimeout(showTyping.timer);
  if (!text) return;
  const item = element("p", { class: "wb-typing", "aria-hidden": "true" }, text);
  ui.log.append(item);
  showTyping.timer = setTimeout(() => showTyping(""), 8000);
}

function showReplies(message) {
  quickRepliesFor = message;
  ui.replies.replaceChildren();
  for (const button of message?.buttons || []) {
    const node = element("button", { type: "button", class: "wb-reply" }, button.title);
    node.addEventListener("click", () => {
      send(button.title, button.payload);
      ui.input.focus(); // the button is gone: focus stays in the chat
    });
    ui.replies.append(node);
  }
}

function showStarters() {
  if (ui.log.querySelector(".wb-msg") || !settings) return;
  showReplies({ buttons: settings.starters });
}

function setInputHint(hint) {
  inputHint = hint || null;
  const contact = inputHint === "contact";
  ui.keyboard.hidden = !contact;
  ui.input.setAttribute("autocomplete", { name: "name", business: "organization" }[inputHint] || "off");
  applyKeyboard(contact ? "tel" : null); // a callback is a call: the number first
}

function applyKeyboard(kind) {
  ui.input.removeAttribute("inputmode");
  if (kind === "email") {
    ui.input.setAttribute("inputmode", "email");
    ui.input.setAttribute("autocomplete", "email");
    ui.keyboard.textContent = "Telefonnummer eingeben";
    ui.keyboard.dataset.next = "tel";
  } else if (kind === "tel") {
    ui.input.setAttribute("inputmode", "tel");
    ui.input.setAttribute("autocomplete", "tel");
    ui.keyboard.textContent = "E-Mail eingeben";
    ui.keyboard.dataset.next = "email";
  }
}

function updateHeader(message) {
  const custom = message.custom || {};
  if (typeof custom.handoff_state === "string") handoffState = custom.handoff_state;
  if (custom.advisor) advisorName = custom.advisor;
  if (!handoffRunning()) advisorName = "";
  ui.who.textContent = handoffState === "active" && advisorName
    ? `${advisorName} – Beratung der Handwerkskammer`
    : handoffState === "waiting" ? "Digitaler Assistent – Beratung angefragt" : "Digitaler Assistent – kein Mensch";
}

function render(message, { scroll = true } = {}) {
  const own = message.client_id
    ? ui.log.querySelector(`.wb-msg[data-client-id="${CSS.escape(message.client_id)}"]`)
    : null;
  if (own) { // this tab's bubble, stored: the history or an ack confirms it
    if (message.id != null) { own.dataset.id = String(message.id); shownIds.add(message.id); }
    delivered(message.client_id);
    return own;
  }
  if (message.id != null) {
    if (shownIds.has(message.id)) return null;
    shownIds.add(message.id);
  }
  showTyping("");
  const item = element("div", { class: "wb-msg", "data-sender": message.sender });
  if (message.id != null) item.dataset.id = String(message.id);
  if (message.client_id) item.dataset.clientId = message.client_id;
  updateHeader(message);
  const custom = message.custom || {};
  item.append(element("span", { class: "wb-hidden" }, `${SENDER_NAMES[message.sender] || "Hinweis"}: `));
  if (message.sender === "advisor") item.append(element("span", { class: "wb-advisor", "aria-hidden": "true" }, custom.advisor || "Beratung"));
  const body = element("span", { class: "wb-text" });
  appendWithLinks(body, message.text || "", custom.links);
  item.append(body);
  ui.log.append(item);
  if (message.sender !== "user") {
    showReplies(message);
    setInputHint(custom.input);
  } else showReplies(null);
  if (scroll) {
    // a long answer is read from its first line; everything else follows the end
    ui.log.scrollTop = message.sender === "bot" ? item.offsetTop - 8 : ui.log.scrollHeight;
  }
  return item;
}

// The state of one of the person's own bubbles: pending, failed or delivered.
function setDelivery(item, state, onRetry) {
  if (!item) return;
  item.querySelector(".wb-state")?.remove();
  item.dataset.delivery = state;
  if (state === "sent") return;
  const note = element("span", { class: "wb-state" });
  if (state === "pending") note.textContent = "wird gesendet …";
  else {
    note.append("nicht zugestellt – ");
    const retry = element("button", { type: "button" }, "erneut senden");
    retry.addEventListener("click", onRetry);
    note.append(retry);
  }
  item.append(note);
}

function clearLog() {
  for (const node of ui.log.querySelectorAll(".wb-msg, .wb-typing")) node.remove();
  shownIds.clear();
  handoffState = null;
  advisorName = "";
  updateHeader({});
  setInputHint(null);
  showReplies(null);
}

// A whole history: rendered silently (a screen reader must not read it all again).
function renderHistory(history) {
  ui.log.setAttribute("aria-live", "off");
  for (const message of history) render(message, { scroll: false });
  ui.log.scrollTop = ui.log.scrollHeight;
  setTimeout(() => ui.log.setAttribute("aria-live", "polite"), 300);
  showStarters();
}
