// Closed conversations: mine or all I may read, a date range, a topic, full-text search.
import { $, API, emit, errorText, request } from "./berater-core.js";
import { openDetail } from "./berater-detail.js";
import { renderItem } from "./berater-queue.js";

const form = $("closed-form");
const status = $("closed-status");
const results = $("closed-results");
const FIELDS = ["scope", "from", "to", "topic", "q"];

async function run() {
  const query = new URLSearchParams();
  for (const name of FIELDS) {
    const value = form.elements[name].value.trim();
    if (value) query.set(name, value);
  }
  status.textContent = "Suche läuft …";
  const result = await request("GET", `${API}/closed?${query}`);
  if (!result.ok) {
    results.replaceChildren();
    status.textContent = errorText(result);
    return;
  }
  const found = result.data.handoffs || [];
  results.replaceChildren(...found.map((handoff) => renderItem(handoff, "closed")));
  const more = result.data.more ? " (nur die neuesten angezeigt – bitte enger filtern)" : "";
  const count = found.length === 1 ? "1 Vorgang" : `${found.length} Vorgänge`;
  status.textContent = found.length ? `${count} gefunden${more}.` : "Keine Vorgänge gefunden.";
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
form.addEventListener("reset", () => {
  results.replaceChildren();
  status.textContent = "";
});
results.addEventListener("click", (event) => {
  const item = event.target.closest("li[data-id]");
  if (!item) return;
  emit("reveal");
  openDetail(Number(item.dataset.id));
});
