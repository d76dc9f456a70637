// werkbot advisor console: queue over a WebSocket, details and actions over the JSON API.
// All text from people, the bot or advisors is inserted as text nodes, never as HTML.
(() => {
  "use strict";
  const API = "/berater/api";
  const SUMMARY_CHARS = 90;

  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute("content") || "";
  const csrfToken = meta("csrf-token");
  const $ = (id) => document.getElementById(id);

  const connection = $("connection");
  const pane = {
    title: $("pane-title"),
    error: $("pane-error"),
    empty: $("pane-empty"),
    body: $("pane-body"),
    status: $("pane-status"),
    meta: $("pane-meta"),
    transcript: $("transcript"),
    guides: $("guides"),
    feedback: $("feedback"),
    notes: $("notes"),
    replyForm: $("reply-form"),
    replyNotice: $("reply-notice"),
    replyText: $("reply-text"),
    replySend: $("reply-send"),
    noteForm: $("note-form"),
    noteText: $("note-text"),
    noteSave: $("note-save"),
  };
  const buttons = {
    claim: $("claim"),
    close: $("close"),
    handback: $("handback"),
    done: $("done"),
    exportData: $("export"),
    erase: $("erase"),
  };
  const eraseDialog = $("erase-dialog");
  const eraseReason = $("erase-reason");
  const QUEUES = ["waiting", "callbacks", "active", "closed"];
  const lists = Object.fromEntries(QUEUES.map((key) => [key, $(`queue-${key}`)]));

  const STATUS = {
    waiting: "Wartet auf Übernahme",
    active: "In Bearbeitung",
    callback_open: "Rückrufbitte offen",
    callback_done: "Rückruf erledigt",
    closed: "Beendet",
    handed_back: "An Assistenten zurückgegeben",
    cancelled: "Von der Person beendet",
  };
  const REASON = {
    request_human: "Wunsch der Person",
    fallback: "Bot hat zweimal nicht verstanden",
    not_helpful: "Zweimal „Hat nicht geholfen“",
    no_answer: "Keine passende Antwort",
  };
  const REGION = { halle: "Halle", magdeburg: "Magdeburg", online: "online" };
  const SENDER = { user: "Person", bot: "Assistent", system: "System" };

  let socket = null;
  let retries = 0;
  let reconnectTimer = null;
  let clockOffset = 0; // server time minus local time, from the last queue frame
  let queue = null; // last queue frame
  const unread = new Set(); // handoff ids with new messages not yet looked at

  let current = null; // id of the open handoff
  let currentHandoff = null;
  let loadToken = 0; // ignores answers to detail requests that are no longer current
  let loading = false;
  let pending = []; // messages for the open handoff that arrived while it was loading
  let busy = false;

  // ---------- helpers ----------

  function el(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined && text !== null) element.textContent = String(text);
    return element;
  }

  function shorten(text, max) {
    const clean = String(text || "").replace(/\s+/g, " ").trim();
    return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(String(url), location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch {
      return null;
    }
  }

  const serverNow = () => Date.now() + clockOffset;

  function formatTime(iso) {
    if (!iso) return "";
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    const today = new Date(serverNow()).toDateString() === date.toDateString();
    const time = date.toLocaleTimeString("de-DE", { hour: "2-digit", minute: "2-digit" });
    return today ? time : `${date.toLocaleDateString("de-DE")} ${time}`;
  }

  function waitText(iso) {
    const since = Date.parse(iso);
    if (Number.isNaN(since)) return "";
    const minutes = Math.max(0, Math.floor((serverNow() - since) / 60000));
    if (minutes < 1) return "wartet seit unter 1 Min.";
    if (minutes < 60) return `wartet seit ${minutes} Min.`;
    const hours = Math.floor(minutes / 60);
    return `wartet seit ${hours} Std. ${minutes % 60} Min.`;
  }

  function setConnection(state, text) {
    connection.dataset.state = state;
    connection.textContent = text;
  }

  function showError(text) {
    pane.error.textContent = text || "";
    pane.error.hidden = !text;
  }

  // ---------- HTTP ----------

  async function request(method, path, body) {
    const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (method === "POST") {
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

  function errorText(result) {
    if (result.data && typeof result.data.error === "string" && result.data.error) return result.data.error;
    if (result.status === 404) return "Vorgang nicht gefunden.";
    return "Das hat nicht geklappt. Bitte versuchen Sie es erneut.";
  }

  // ---------- queue ----------

  function badge(text, className) {
    return el("span", `badge ${className}`, text);
  }

  function renderItem(handoff, key) {
    const item = el("li", "queue-item");
    item.dataset.id = String(handoff.id);
    item.dataset.ticket = handoff.ticket || "";
    item.dataset.status = handoff.status || "";
    item.classList.toggle("matches", Boolean(handoff.matches));
    item.classList.toggle("mine", Boolean(handoff.mine));
    item.classList.toggle("has-new", unread.has(handoff.id));
    item.classList.toggle("selected", handoff.id === current);

    const open = el("button", "item-open");
    open.type = "button";
    if (handoff.id === current) open.setAttribute("aria-current", "true");

    const top = el("span", "item-top");
    top.append(el("span", "ticket", handoff.ticket));
    if (unread.has(handoff.id)) top.append(badge("neue Nachricht", "badge-new"));
    if (handoff.mine) top.append(badge("bei mir", "badge-mine"));
    if (handoff.matches && (key === "waiting" || key === "callbacks")) {
      top.append(badge("passt zu Ihnen", "badge-match"));
    }
    open.append(top);

    if (handoff.summary) open.append(el("span", "item-summary", shorten(handoff.summary, SUMMARY_CHARS)));
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
    if (handoff.status === "active") {
      open.append(el("span", "item-advisor", `bei ${handoff.advisor || "—"}`));
    }
    if (key === "closed") {
      const closedAt = formatTime(handoff.closed_at);
      open.append(el("span", "item-facts", [STATUS[handoff.status] || handoff.status, closedAt].filter(Boolean).join(" · ")));
    }
    item.append(open);
    return item;
  }

  function renderQueue(frame) {
    queue = frame;
    for (const key of QUEUES) {
      const handoffs = Array.isArray(frame[key]) ? frame[key] : [];
      lists[key].replaceChildren(...handoffs.map((handoff) => renderItem(handoff, key)));
      const count = $(`count-${key}`);
      if (count) count.textContent = handoffs.length ? `(${handoffs.length})` : "";
      const empty = $(`empty-${key}`);
      if (empty) empty.hidden = handoffs.length > 0;
    }
  }

  function rememberClock(frame) {
    const now = Date.parse(frame.now);
    if (!Number.isNaN(now)) clockOffset = now - Date.now();
  }

  function showOnline() {
    const online = queue && Number.isInteger(queue.online) ? ` · ${queue.online} online` : "";
    setConnection("open", `Verbunden${online}`);
  }

  async function fetchQueue() {
    const result = await request("GET", `${API}/queue`);
    if (result.ok && result.data) {
      rememberClock(result.data);
      renderQueue(result.data);
    }
  }

  function refreshWaitTimes() {
    for (const wait of document.querySelectorAll(".wait[data-queued-at]")) {
      wait.textContent = waitText(wait.dataset.queuedAt);
    }
  }

  function markUnread(handoffId) {
    unread.add(handoffId);
    for (const item of document.querySelectorAll(`.queue-item[data-id="${handoffId}"]`)) {
      if (item.classList.contains("has-new")) continue;
      item.classList.add("has-new");
      item.querySelector(".item-top")?.insertBefore(
        badge("neue Nachricht", "badge-new"), item.querySelector(".item-top .badge"),
      );
    }
  }

  function markSelected() {
    for (const item of document.querySelectorAll(".queue-item")) {
      const selected = Number(item.dataset.id) === current;
      item.classList.toggle("selected", selected);
      const open = item.querySelector(".item-open");
      if (selected) open?.setAttribute("aria-current", "true");
      else open?.removeAttribute("aria-current");
      if (selected) {
        item.classList.remove("has-new");
        item.querySelector(".badge-new")?.remove();
      }
    }
  }

  // ---------- WebSocket ----------

  function connect() {
    clearTimeout(reconnectTimer);
    if (socket && socket.readyState <= WebSocket.OPEN) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/berater/ws`);
    setConnection("connecting", "Verbindung wird hergestellt …");
    socket.addEventListener("open", () => {
      retries = 0;
      showOnline();
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === "queue") {
        rememberClock(frame);
        renderQueue(frame);
        showOnline();
      } else if (frame.type === "message" && frame.message) {
        onMessage(Number(frame.handoff_id), frame.message);
      } else if (frame.type === "delivery") {
        showDelivery(frame);
      }
    });
    socket.addEventListener("close", () => {
      const delay = Math.min(30000, 1000 * 2 ** retries++) + Math.floor(Math.random() * 500);
      setConnection("closed", `Verbindung unterbrochen – neuer Versuch in ${Math.round(delay / 1000)} s …`);
      reconnectTimer = setTimeout(connect, delay);
      fetchQueue(); // keeps the lists current and sends an expired session to the login page
    });
  }

  function onMessage(handoffId, message) {
    if (handoffId === current) {
      if (loading) pending.push(message);
      else appendMessage(message);
    } else {
      markUnread(handoffId);
    }
  }

  // ---------- detail pane ----------

  const CHANNEL = { web: "Website-Chat", whatsapp: "WhatsApp", telegram: "Telegram" };

  function senderLabel(message) {
    if (message.sender === "advisor") return message.advisor || "Beratung";
    return SENDER[message.sender] || message.sender;
  }

  function appendMessage(message) {
    if (message.id !== undefined && message.id !== null) {
      const known = pane.transcript.querySelector(`li[data-message-id="${CSS.escape(String(message.id))}"]`);
      if (known) return;
    }
    const stick = pane.transcript.scrollHeight - pane.transcript.scrollTop - pane.transcript.clientHeight < 40;
    const item = el("li", "msg");
    item.dataset.sender = message.sender || "";
    if (message.id !== undefined && message.id !== null) item.dataset.messageId = String(message.id);
    const head = el("span", "msg-head");
    head.append(el("span", "msg-sender", senderLabel(message)));
    const time = formatTime(message.created_at);
    if (time) head.append(el("time", "msg-time", time));
    if (message.delivery) head.append(deliveryLabel(message.delivery));
    item.append(head, el("span", "msg-text", message.text || ""));
    pane.transcript.append(item);
    if (stick) pane.transcript.scrollTop = pane.transcript.scrollHeight;
  }

  // a messenger message's delivery state: gesendet, zugestellt, gelesen, nicht zustellbar …
  function deliveryLabel(delivery) {
    const label = el("span", "msg-delivery", delivery.label || delivery.status || "");
    label.dataset.status = delivery.status || "";
    if (delivery.error) label.title = delivery.error;
    return label;
  }

  function showDelivery(frame) {
    for (const id of frame.message_ids || []) {
      const item = pane.transcript.querySelector(`li[data-message-id="${CSS.escape(String(id))}"]`);
      if (!item) continue;
      const head = item.querySelector(".msg-head");
      const old = head.querySelector(".msg-delivery");
      const label = deliveryLabel(frame);
      if (old) old.replaceWith(label);
      else head.append(label);
    }
  }

  function addFact(term, value) {
    if (value === null || value === undefined || value === "") return;
    pane.meta.append(el("dt", "", term), el("dd", "", value));
  }

  function renderHandoff(handoff) {
    currentHandoff = handoff;
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
    addFact("Kontakt", handoff.contact);
    addFact("Wunschzeit", handoff.preferred_time);
    if (handoff.email_failed) addFact("E-Mail", "nicht zustellbar – bitte direkt bearbeiten");
    if (handoff.closed_at) addFact("Abgeschlossen", formatTime(handoff.closed_at));
    if (handoff.rating !== null && handoff.rating !== undefined) addFact("Bewertung", String(handoff.rating));

    const status = handoff.status;
    const mine = Boolean(handoff.mine);
    const others = Boolean(handoff.advisor) && !mine; // held by another advisor
    buttons.claim.hidden = !((status === "waiting" || status === "callback_open") && !mine && !others);
    buttons.close.hidden = !(status === "active" && mine);
    buttons.handback.hidden = !(status === "waiting" || (status === "active" && mine));
    buttons.done.hidden = !(status === "callback_open" && !others);
    pane.replyForm.hidden = !(status === "active" && mine);
    pane.replyNotice.textContent = handoff.reply_notice || "";
    pane.replyNotice.hidden = !handoff.reply_notice;
    buttons.exportData.hidden = false;
    buttons.erase.hidden = false;
    setBusy(busy);
  }

  function renderList(list, items, renderEntry, emptyText) {
    list.replaceChildren();
    for (const entry of items || []) list.append(renderEntry(entry));
    if (!list.children.length) list.append(el("li", "none", emptyText));
  }

  function renderDetail(data) {
    renderHandoff(data.handoff);
    pane.transcript.replaceChildren();
    for (const message of data.messages || []) appendMessage(message);
    pane.transcript.scrollTop = pane.transcript.scrollHeight;

    renderList(pane.guides, data.guides, (guide) => {
      const item = el("li");
      const url = safeUrl(guide.url);
      if (url) {
        const link = el("a", "", guide.title || url);
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        item.append(link);
      } else {
        item.textContent = guide.title || "";
      }
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
  }

  function showEmpty(text) {
    pane.title.textContent = "Vorgang";
    pane.empty.textContent = text;
    pane.empty.hidden = false;
    pane.body.hidden = true;
  }

  async function openDetail(id, { keepError = false } = {}) {
    const token = ++loadToken;
    if (id !== current || !currentHandoff) {
      current = id;
      currentHandoff = null;
      pane.replyText.value = "";
      pane.noteText.value = "";
      pane.transcript.replaceChildren();
      showEmpty("Vorgang wird geladen …");
    }
    loading = true;
    pending = [];
    unread.delete(id);
    markSelected();
    if (!keepError) showError("");
    const result = await request("GET", `${API}/handoffs/${encodeURIComponent(id)}`);
    if (token !== loadToken) return;
    loading = false;
    if (!result.ok || !result.data.handoff) {
      showError(errorText(result));
      if (currentHandoff) {
        for (const message of pending.splice(0)) appendMessage(message);
      } else {
        pending = [];
        current = null;
        markSelected();
        showEmpty("Wählen Sie einen Vorgang aus der Liste.");
      }
      return;
    }
    pane.empty.hidden = true;
    pane.body.hidden = false;
    renderDetail(result.data);
    for (const message of pending.splice(0)) appendMessage(message);
  }

  function setBusy(on) {
    busy = on;
    for (const button of [...Object.values(buttons), pane.replySend, pane.noteSave]) button.disabled = on;
  }

  // POSTs an action for the open handoff; `onSuccess` runs before the detail is fetched again.
  async function act(action, body, onSuccess) {
    if (current === null || !currentHandoff || busy) return;
    const id = current;
    setBusy(true);
    showError("");
    const result = await request("POST", `${API}/handoffs/${encodeURIComponent(id)}/${action}`, body);
    setBusy(false);
    if (id !== current) return;
    if (!result.ok) {
      showError(errorText(result));
      if (result.status === 409) await openDetail(id, { keepError: true });
      return;
    }
    if (onSuccess) onSuccess();
    if (result.data.handoff) renderHandoff(result.data.handoff);
    if (!socket || socket.readyState !== WebSocket.OPEN) fetchQueue();
    await openDetail(id);
  }

  // On narrow screens the pane sits below the lists: bring it into view.
  function revealPane() {
    if (window.matchMedia("(max-width: 59.99rem)").matches) {
      $("pane").scrollIntoView({ behavior: "smooth", block: "start" });
    }
  }

  // ---------- events ----------

  for (const key of QUEUES) {
    lists[key].addEventListener("click", (event) => {
      const item = event.target.closest("li[data-id]");
      if (!item) return;
      revealPane();
      openDetail(Number(item.dataset.id));
    });
  }

  buttons.claim.addEventListener("click", () => act("claim"));
  buttons.close.addEventListener("click", () => act("close"));
  buttons.handback.addEventListener("click", () => act("handback"));
  buttons.done.addEventListener("click", () => act("done"));

  // The export is a download of the same origin (the session cookie goes along).
  buttons.exportData.addEventListener("click", () => {
    if (current === null) return;
    const link = el("a");
    link.href = `${API}/handoffs/${encodeURIComponent(current)}/export`;
    link.download = `auskunft-${currentHandoff?.ticket || current}.json`;
    document.body.append(link);
    link.click();
    link.remove();
  });

  buttons.erase.addEventListener("click", () => {
    if (current === null || !currentHandoff) return;
    eraseReason.value = "";
    eraseDialog.showModal();
  });
  $("erase-cancel").addEventListener("click", () => eraseDialog.close());
  $("erase-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!eraseReason.value || current === null || busy) return;
    const id = current;
    const ticket = currentHandoff?.ticket || "";
    setBusy(true);
    const result = await request("POST", `${API}/handoffs/${encodeURIComponent(id)}/erase`, {
      reason: eraseReason.value,
    });
    setBusy(false);
    eraseDialog.close();
    if (!result.ok) {
      showError(errorText(result));
      return;
    }
    if (id === current) {
      current = null;
      currentHandoff = null;
      markSelected();
      showEmpty(ticket ? `Vorgang ${ticket} wurde gelöscht.` : "Der Vorgang wurde gelöscht.");
    }
    if (!socket || socket.readyState !== WebSocket.OPEN) fetchQueue();
  });

  pane.replyForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = pane.replyText.value.trim();
    if (!text) return;
    await act("reply", { text }, () => {
      if (pane.replyText.value.trim() === text) pane.replyText.value = "";
    });
    if (!pane.replyForm.hidden) pane.replyText.focus();
  });
  pane.replyText.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      pane.replyForm.requestSubmit();
    }
  });

  pane.noteForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = pane.noteText.value.trim();
    if (!text) return;
    await act("note", { text }, () => {
      if (pane.noteText.value.trim() === text) pane.noteText.value = "";
    });
  });

  $("search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("ticket-search");
    const ticket = input.value.trim().toUpperCase();
    if (!ticket) {
      showError("Bitte geben Sie eine Vorgangsnummer ein.");
      return;
    }
    const result = await request("GET", `${API}/search?ticket=${encodeURIComponent(ticket)}`);
    if (result.ok && result.data.handoff) {
      revealPane();
      await openDetail(result.data.handoff.id);
    } else if (result.status === 404) {
      showError("Keine Vorgangsnummer gefunden.");
    } else {
      showError(errorText(result));
    }
  });

  setInterval(refreshWaitTimes, 5000);
  connect();
})();
