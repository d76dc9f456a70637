// werkbot advisor console: wires the modules together. Queue over a WebSocket, details
// and actions over the JSON API (docs/berater-api.md).
import { $, emit, on, state } from "./berater-core.js";
import { onMailFrame, useSocketState } from "./berater-actions.js";
import { personMessage, queueChanged, seen } from "./berater-attention.js";
import { load as loadCanned } from "./berater-canned.js";
import "./berater-closed.js";
import { onMessage, openDetail, showDelivery, showPresence, showTyping } from "./berater-detail.js";
import "./berater-drafts.js";
import { QUEUES, refreshWaitTimes, rememberClock, renderQueue } from "./berater-queue.js";
import "./berater-shortcuts.js";
import { connect, showOnline, socketOpen } from "./berater-socket.js";

// On narrow screens the pane sits below the lists: bring it into view.
on("reveal", () => {
  if (window.matchMedia("(max-width: 59.99rem)").matches) $("pane").scrollIntoView({ behavior: "smooth", block: "start" });
});
on("open", seen);

on("queue", (frame) => {
  rememberClock(frame);
  queueChanged(frame);
  renderQueue(frame);
  showOnline();
});
on("message", (frame) => {
  if (!frame.message) return;
  const id = Number(frame.handoff_id);
  onMessage(id, frame.message);
  personMessage(id, frame.message);
});
on("delivery", showDelivery);
on("presence", (frame) => {
  if (Number(frame.handoff_id) !== state.current) return;
  showPresence(frame.open ? "open" : "closed");
  if (!frame.open) showTyping(false);
});
on("typing", (frame) => {
  if (Number(frame.handoff_id) === state.current && frame.sender === "user") showTyping(true);
});
on("transcript_mail", onMailFrame);
// messages of the open conversation that came while the socket was away
on("reconnected", () => {
  if (state.current !== null) openDetail(state.current, { keepError: true });
});

for (const key of QUEUES) {
  $(`queue-${key}`).addEventListener("click", (event) => {
    const item = event.target.closest("li[data-id]");
    if (!item) return;
    emit("reveal");
    openDetail(Number(item.dataset.id));
  });
}

useSocketState(socketOpen);
setInterval(refreshWaitTimes, 5000);
loadCanned();
connect();
