// werkbot chat widget: one WebSocket to the gateway, conversation id in localStorage.
(() => {
  "use strict";
  const STORAGE_KEY = "werkbot.conversationId";
  const OPEN_KEY = "werkbot.open";
  const MAX_CHARS = 2000;
  const ERASED_CLOSE_CODE = 4001;
  const root = document.getElementById("werkbot");
  if (!root) return;
  const launcher = root.querySelector(".wb-launcher");
  const panel = root.querySelector(".wb-panel");
  const closeButton = root.querySelector(".wb-close");
  const endButton = root.querySelector(".wb-end");
  const eraseButton = root.querySelector(".wb-erase");
  const retention = root.querySelector(".wb-retention");
  const log = root.querySelector(".wb-log");
  const replies = root.querySelector(".wb-replies");
  const statusLine = root.querySelector(".wb-status");
  const form = root.querySelector(".wb-form");
  const input = root.querySelector(".wb-input");

  let socket = null;
  let retries = 0;
  // true after "Beenden" or an erase: no reconnect until the person writes again
  let stopped = false;
  let typingTimer = null;
  // Latest custom.handoff_state seen: "waiting"/"active" while an advisor takes over.
  let handoffState = null;
  const handoffRunning = () => handoffState === "waiting" || handoffState === "active";
  const outbox = [];

  const setStatus = (text) => { statusLine.textContent = text; };

  // Text is always inserted as text nodes; only http(s) URLs become links.
  function appendWithLinks(element, text) {
    const urlPattern = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g;
    let last = 0;
    for (const match of text.matchAll(urlPattern)) {
      element.append(text.slice(last, match.index));
      const link = document.createElement("a");
      link.href = match[0];
      link.textContent = match[0];
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      element.append(link);
      last = match.index + match[0].length;
    }
    element.append(text.slice(last));
  }

  function showTyping(on) {
    clearTimeout(typingTimer);
    log.querySelector(".wb-typing")?.remove();
    if (!on) return;
    const item = document.createElement("li");
    item.className = "wb-typing";
    item.textContent = "Assistent schreibt …";
    log.append(item);
    typingTimer = setTimeout(() => showTyping(false), 8000);
  }

  function showReplies(buttons) {
    replies.replaceChildren();
    for (const button of buttons || []) {
      const element = document.createElement("button");
      element.type = "button";
      element.className = "wb-reply";
      element.textContent = button.title;
      element.addEventListener("click", () => send(button.title, button.payload));
      replies.append(element);
    }
  }

  function render(message) {
    showTyping(false);
    const item = document.createElement("li");
    item.className = "wb-msg";
    item.dataset.sender = message.sender;
    if (message.custom && typeof message.custom.handoff_state === "string") {
      handoffState = message.custom.handoff_state;
    }
    if (message.custom && message.custom.erased === true) forget();
    if (message.sender === "advisor") {
      const label = document.createElement("span");
      label.className = "wb-advisor";
      label.textContent = (message.custom && message.custom.advisor) || "Beratung";
      item.append(label);
    }
    appendWithLinks(item, message.text || "");
    log.append(item);
    showReplies(message.sender === "user" ? [] : message.buttons);
    // Long answers are read from their first line, the rest of the log follows the end.
    log.scrollTop = message.sender === "bot" ? item.offsetTop - 8 : log.scrollHeight;
  }

  // Forget this device's conversation: the next message starts a new one.
  function forget() {
    localStorage.removeItem(STORAGE_KEY);
    stopped = true;
  }

  function connect() {
    if (socket && socket.readyState <= WebSocket.OPEN) return;
    stopped = false;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    // The id travels in the first frame, never in the URL (access logs).
    const opened = new WebSocket(`${scheme}://${location.host}/ws`);
    socket = opened;
    let resumed = false;
    setStatus("Verbindung wird hergestellt …");
    opened.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data);
      const id = localStorage.getItem(STORAGE_KEY);
      if (frame.type === "welcome" && !resumed && id && frame.conversation_id !== id) {
        resumed = true;
        opened.send(JSON.stringify({ type: "resume", conversation_id: id }));
        return;
      }
      if (frame.type === "welcome") {
        resumed = true;
        if (retention && frame.retention_days) retention.textContent = String(frame.retention_days);
        localStorage.setItem(STORAGE_KEY, frame.conversation_id);
        log.replaceChildren();
        replies.replaceChildren();
        handoffState = null;
        frame.history.forEach(render);
        retries = 0;
        setStatus("");
        // Messages typed while offline: shown again after the history, then sent.
        for (const queued of outbox.splice(0)) {
          render({ sender: "user", text: queued.text, buttons: [] });
          showTyping(!handoffRunning());
          opened.send(JSON.stringify(queued));
        }
      } else if (frame.type === "message") {
        render(frame.message);
      }
    });
    opened.addEventListener("close", (event) => {
      showTyping(false);
      if (socket !== opened) return;
      if (stopped || event.code === ERASED_CLOSE_CODE) {
        stopped = true;
        setStatus("");
        return;
      }
      if (event.code === 1003 || event.code === 1007 || event.code === 1009) {
        setStatus("Die Nachricht konnte nicht verarbeitet werden. Verbindung wird neu aufgebaut …");
      } else {
        setStatus("Verbindung unterbrochen – neuer Versuch …");
      }
      setTimeout(connect, Math.min(10000, 500 * 2 ** retries++));
    });
  }

  function send(text, payload) {
    const clean = text.trim();
    if (!clean) return;
    if (clean.length > MAX_CHARS) {
      setStatus(`Bitte höchstens ${MAX_CHARS} Zeichen.`);
      return;
    }
    render({ sender: "user", text: clean, buttons: [] });
    showTyping(!handoffRunning());
    const frame = { type: "message", text: clean, payload: payload || null };
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    else { outbox.push(frame); connect(); }
  }

  function setOpen(open) {
    root.dataset.state = open ? "open" : "closed";
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    localStorage.setItem(OPEN_KEY, open ? "1" : "0");
    if (open) { connect(); input.focus(); }
  }

  endButton.addEventListener("click", () => {
    forget();
    if (socket) socket.close();
    socket = null;
    handoffState = null;
    log.replaceChildren();
    replies.replaceChildren();
    setStatus("Gespräch beendet. Auf diesem Gerät ist es vergessen.");
  });
  eraseButton.addEventListener("click", () => send("Meine Daten löschen", "#privacy:erase"));

  launcher.addEventListener("click", () => setOpen(true));
  closeButton.addEventListener("click", () => setOpen(false));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(input.value);
    input.value = "";
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  if (localStorage.getItem(OPEN_KEY) === "1") setOpen(true);
})();
