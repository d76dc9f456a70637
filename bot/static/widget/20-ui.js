// The widget's own DOM, built inside a Shadow DOM: the host page's CSS cannot break it
// and its CSS cannot leak out. No inline script or style: CSP-safe.
function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function buildUi() {
  const host = element("werkbot-chat");
  const shadow = host.attachShadow({ mode: "open" });
  shadow.append(element("link", { rel: "stylesheet", href: `${SERVER}/static/widget.css` }));
  const root = element("div", { class: "wb", "data-state": "closed", "data-position": POSITION });
  root.hidden = true; // until the stylesheet and the settings are there
  const launcher = element("button", {
    class: "wb-launcher", type: "button", "aria-expanded": "false", "aria-controls": "wb-panel",
  }, "Fragen? Chat starten");
  const panel = element("section", { class: "wb-panel", id: "wb-panel", role: "dialog", "aria-labelledby": "wb-title" });
  panel.hidden = true;

  const head = element("header", { class: "wb-head" });
  const titles = element("div", { class: "wb-titles" });
  titles.append(element("h2", { class: "wb-title", id: "wb-title" }, TITLE));
  const who = element("p", { class: "wb-who" }, "Digitaler Assistent – kein Mensch");
  titles.append(who);
  const close = element("button", { class: "wb-close", type: "button", "aria-label": "Chat schließen" }, "×");
  const tools = element("div", { class: "wb-tools" });
  const end = element("button", { class: "wb-tool", type: "button", title: "Gespräch auf diesem Gerät beenden" }, "Beenden");
  const erase = element("button", { class: "wb-tool", type: "button", title: "Dieses Gespräch überall löschen" }, "Daten löschen");
  tools.append(end, erase);
  head.append(titles, tools, close);

  const banner = element("p", { class: "wb-banner", role: "status" });
  banner.hidden = true;
  const log = element("div", {
    class: "wb-log", role: "log", "aria-live": "polite", "aria-label": "Chatverlauf", tabindex: "0",
  });
  const welcome = element("div", { class: "wb-welcome" });
  log.append(welcome);
  const replies = element("div", { class: "wb-replies", role: "group", "aria-label": "Antwortvorschläge" });
  const form = element("form", { class: "wb-form" });
  const label = element("label", { class: "wb-hidden", for: "wb-input" }, "Ihre Nachricht");
  const input = element("textarea", {
    id: "wb-input", class: "wb-input", rows: "1", maxlength: String(MAX_CHARS),
    placeholder: "Ihre Frage …", enterkeyhint: "send", autocomplete: "off",
  });
  const keyboard = element("button", { class: "wb-keyboard", type: "button" });
  keyboard.hidden = true;
  const sendButton = element("button", { class: "wb-send", type: "submit" }, "Senden");
  form.append(label, input, keyboard, sendButton);
  panel.append(head, banner, log, replies, form);
  root.append(launcher, panel);
  shadow.append(root);
  return { host, shadow, root, launcher, panel, who, close, end, erase, banner, log, welcome, replies, form, input, keyboard };
}

const ui = buildUi();

function fillWelcome(settings) {
  const intro = element("p", {}, settings.welcome);
  const privacy = element("p", {}, `${settings.privacy} `);
  privacy.append(element("a", { href: settings.privacy_url, target: "_blank", rel: "noopener" }, "Datenschutz"));
  ui.welcome.replaceChildren(intro, privacy);
}
