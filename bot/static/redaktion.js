// werkbot editors' page: the curation queue over the JSON API (/berater/api/curation).
// Questions arrive masked; everything is inserted as text, never as HTML.
import { $, button, el, errorText, formatTime, request } from "./berater-core.js";

const API = "/berater/api/curation";
const state = { current: null, group: null, me: null, sections: new Map() };

function showError(text) {
  $("group-error").textContent = text || "";
  $("group-error").hidden = !text;
}

function fill(select, entries, empty) {
  select.replaceChildren();
  if (empty) select.append(new Option(empty, ""));
  for (const [value, label] of entries) select.append(new Option(label, String(value)));
}

async function loadOptions() {
  const result = await request("GET", `${API}/options`);
  if (!result.ok) return showError(errorText(result));
  state.me = result.data.me;
  fill($("assign-to"), result.data.editors.map((e) => [e.id, e.name]), "Niemand");
  state.sections = new Map(result.data.guides.map((g) => [g.id, g.sections]));
  const guides = result.data.guides.map((g) => [g.id, g.title]);
  for (const select of document.querySelectorAll(".guide-select")) fill(select, guides, "Bitte wählen …");
}

function fillSections() {
  const headings = state.sections.get($("propose-guide").value) || [];
  fill($("propose-section"), headings.map((h) => [h, h]), "Den passenden sucht der Assistent selbst");
}

function groupLine(group) {
  const item = el("li");
  item.dataset.id = group.id;
  const open = button("", "curation-group");
  open.append(el("span", "curation-count", `${group.count}×`), el("span", "curation-text", group.question));
  const details = [group.status_label, `zuletzt ${formatTime(group.last_seen)}`];
  if (group.assignee) details.push(group.assignee.name);
  open.append(el("span", "curation-details", details.join(" · ")));
  if (group.id === state.current) open.setAttribute("aria-current", "true");
  open.addEventListener("click", () => openGroup(group.id));
  item.append(open);
  return item;
}

async function loadGroups() {
  const params = new URLSearchParams({ status: $("filter-status").value, kind: $("filter-kind").value });
  const result = await request("GET", `${API}/groups?${params}`);
  if (!result.ok) {
    $("groups-status").textContent = errorText(result);
    return;
  }
  const groups = result.data.groups;
  $("groups").replaceChildren(...groups.map(groupLine));
  $("groups-status").textContent = groups.length === 1 ? "1 Gruppe" : `${groups.length} Gruppen`;
}

function meta(list, label, value) {
  list.append(el("dt", null, label), el("dd", null, value));
}

function itemLine(item) {
  const line = el("li", "curation-item");
  line.append(el("p", "curation-item-question", item.question));
  const about = [item.kind_label, item.channel, formatTime(item.at)];
  line.append(el("p", "curation-item-meta", about.join(" · ")));
  if (item.guide) {
    const section = item.section ? ` – Abschnitt „${item.section.heading}“` : "";
    line.append(el("p", "curation-item-guide", `Antwort aus „${item.guide.title}“${section}`));
  }
  if (item.answer) line.append(el("blockquote", "curation-answer", item.answer));
  const erase = button("Frage löschen", "curation-erase");
  erase.setAttribute("aria-label", `Frage löschen: ${item.question}`);
  erase.addEventListener("click", () => eraseItem(item));
  line.append(erase);
  return line;
}

function render(group) {
  state.group = group;
  $("group-empty").hidden = true;
  $("group-body").hidden = false;
  $("group-title").textContent = `Gruppe ${group.id}`;
  $("group-question").textContent = group.question;
  const list = $("group-meta");
  list.replaceChildren();
  meta(list, "Status", group.status_label);
  meta(list, "Anzahl", String(group.count));
  meta(list, "Zuerst", formatTime(group.first_seen));
  meta(list, "Zuletzt", formatTime(group.last_seen));
  meta(list, "Arten", group.kinds.map((k) => `${k.label}: ${k.count}`).join(", "));
  meta(list, "Zugewiesen", group.assignee ? group.assignee.name : "niemand");
  meta(list, "Leitfaden", group.guide ? group.guide.title : "keiner");
  const done = group.status === "dismissed" || group.status === "resolved";
  $("dismiss").hidden = done;
  $("resolve").hidden = done;
  $("reopen").hidden = !done;
  $("assign-to").value = group.assignee ? String(group.assignee.id) : "";
  if (group.guide) {
    $("link-guide").value = group.guide.id;
    if ($("propose-guide").value !== group.guide.id) {
      $("propose-guide").value = group.guide.id;
      fillSections();
    }
  }
  if (!$("propose-text").value) $("propose-text").value = group.question;
  $("group-items").replaceChildren(...group.items.map(itemLine));
  $("group-comments").replaceChildren(
    ...group.comments.map((c) => el("li", null, `${c.author} (${formatTime(c.at)}): ${c.text}`)),
  );
}

async function openGroup(id) {
  showError("");
  state.current = id;
  $("proposal").hidden = true;
  $("group-notice").textContent = "";
  $("propose-text").value = "";
  $("propose-section").value = "";  // a section chosen for another group does not carry over
  const result = await request("GET", `${API}/groups/${id}`);
  if (!result.ok) return showError(errorText(result));
  render(result.data.group);
  for (const line of $("groups").querySelectorAll("button")) line.removeAttribute("aria-current");
  $("groups").querySelector(`li[data-id="${id}"] button`)?.setAttribute("aria-current", "true");
  $("group-title").focus({ preventScroll: true });
}

async function closeGroup(notice) {
  state.current = null;
  state.group = null;
  $("group-body").hidden = true;
  $("group-empty").hidden = false;
  await loadGroups();
  $("groups-status").textContent = `${notice} ${$("groups-status").textContent}`;
}

async function act(action, body, notice) {
  if (state.current === null) return null;
  showError("");
  const result = await request("POST", `${API}/groups/${state.current}/${action}`, body);
  if (!result.ok) {
    showError(errorText(result));
    return null;
  }
  if (result.data.group_erased) {
    await closeGroup("Frage gelöscht, die Gruppe hatte keine weiteren und ist entfernt.");
    return result.data;
  }
  render(result.data.group);
  $("group-notice").textContent = notice;
  loadGroups();
  return result.data;
}

function eraseItem(item) {
  // for personal data the masking missed (a name, an address): gone for good
  const sure = window.confirm(`Diese Frage endgültig löschen?\n\n„${item.question}“`);
  if (sure) act("erase-item", { item_id: item.id }, "Frage gelöscht.");
}

function onSubmit(id, handler) {
  $(id).addEventListener("submit", (event) => {
    event.preventDefault();
    handler();
  });
}

$("group-title").tabIndex = -1;
onSubmit("filter-form", loadGroups);
$("assign-me").addEventListener("click", () => act("assign", { advisor_id: "me" }, "Ihnen zugewiesen."));
$("dismiss").addEventListener("click", () => act("dismiss", {}, "Gruppe verworfen."));
$("resolve").addEventListener("click", () => act("resolve", {}, "Gruppe erledigt."));
$("reopen").addEventListener("click", () => act("reopen", {}, "Gruppe wieder geöffnet."));
onSubmit("assign-form", () => {
  const value = $("assign-to").value;
  act("assign", { advisor_id: value ? Number(value) : null }, value ? "Zugewiesen." : "Zuweisung entfernt.");
});
onSubmit("link-form", () => act("link", { guide_id: $("link-guide").value }, "Mit Leitfaden verknüpft."));
onSubmit("comment-form", async () => {
  if (await act("comment", { text: $("comment-text").value }, "Kommentar gespeichert.")) $("comment-text").value = "";
});
$("propose-guide").addEventListener("change", fillSections);
onSubmit("propose-form", async () => {
  const body = {
    guide_id: $("propose-guide").value,
    section: $("propose-section").value,
    questions: [$("propose-text").value],
  };
  const data = await act("propose", body, "Änderung zur Prüfung abgelegt.");
  if (!data || !data.proposal) return;
  const proposal = data.proposal;
  $("proposal-files").textContent = proposal.changed
    ? `Geschrieben: var/kb-review/${proposal.file} und ${proposal.diff_file}. Anwenden mit „git apply var/kb-review/${proposal.diff_file}“.`
    : "Diese Frage steht schon so im Leitfaden.";
  $("proposal-diff").textContent = proposal.diff;
  $("proposal").hidden = false;
});

loadOptions().then(loadGroups);
