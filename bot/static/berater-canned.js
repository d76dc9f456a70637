// Canned responses ("Textbausteine"): managed in a dialog, inserted into the reply with
// one click; the guides the person was shown are one click away as "title: link".
import { $, API, button, el, errorText, insertText, on, request, safeUrl } from "./berater-core.js";
import { openDialog } from "./berater-dialog.js";

const reply = $("reply-text");
const quick = $("canned-quick");
const guideQuick = $("guide-quick");
const dialog = $("canned-dialog");
const list = $("canned-list");
const form = $("canned-form");
const formTitle = $("canned-form-title");
const titleInput = $("canned-title-input");
const textInput = $("canned-text-input");
const error = $("canned-error");
let canned = [];
let editing = null; // id of the canned response in the form, null for a new one

function showFormError(text) {
  error.textContent = text || "";
  error.hidden = !text;
}

function renderQuick() {
  quick.replaceChildren(...canned.map((entry) => {
    const insert = button(entry.title, "chip");
    insert.addEventListener("click", () => insertText(reply, entry.text));
    return insert;
  }));
}

function edit(entry) {
  editing = entry ? entry.id : null;
  formTitle.textContent = entry ? `Textbaustein „${entry.title}“ bearbeiten` : "Neuer Textbaustein";
  titleInput.value = entry ? entry.title : "";
  textInput.value = entry ? entry.text : "";
  showFormError("");
  titleInput.focus();
}

async function remove(entry) {
  const result = await request("DELETE", `${API}/canned/${encodeURIComponent(entry.id)}`);
  if (!result.ok) {
    showFormError(errorText(result));
    return;
  }
  if (editing === entry.id) edit(null);
  await load();
  form.querySelector("button")?.focus();
}

function renderManager() {
  list.replaceChildren(...canned.map((entry) => {
    const item = el("li", "canned-item");
    const change = button("Bearbeiten");
    change.setAttribute("aria-label", `„${entry.title}“ bearbeiten`);
    change.addEventListener("click", () => edit(entry));
    const drop = button("Löschen", "danger");
    drop.setAttribute("aria-label", `„${entry.title}“ löschen`);
    drop.addEventListener("click", () => remove(entry));
    item.append(el("strong", "canned-name", entry.title), el("span", "canned-text", entry.text), change, drop);
    return item;
  }));
  if (!canned.length) list.append(el("li", "none", "Noch keine Textbausteine."));
}

export async function load() {
  const result = await request("GET", `${API}/canned`);
  if (!result.ok) return;
  canned = Array.isArray(result.data.canned) ? result.data.canned : [];
  renderQuick();
  renderManager();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { title: titleInput.value, text: textInput.value };
  const result = editing === null
    ? await request("POST", `${API}/canned`, body)
    : await request("PUT", `${API}/canned/${encodeURIComponent(editing)}`, body);
  if (!result.ok) {
    showFormError(errorText(result));
    return;
  }
  edit(null);
  await load();
});
$("canned-new").addEventListener("click", () => edit(null));
$("canned-close").addEventListener("click", () => dialog.close());
$("canned-manage").addEventListener("click", () => {
  edit(null);
  openDialog(dialog, titleInput);
});

on("detail", (data) => {
  guideQuick.replaceChildren(...(data.guides || []).filter((guide) => safeUrl(guide.url)).map((guide) => {
    const insert = button(`Leitfaden: ${guide.title}`, "chip chip-guide");
    insert.addEventListener("click", () => insertText(reply, `${guide.title}: ${safeUrl(guide.url)}`));
    return insert;
  }));
});
