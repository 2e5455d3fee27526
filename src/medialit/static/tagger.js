// medialit's claim tagger, front end (an anywidget ES module; no build step).
// The Python side (medialit/tagger.py) owns the answers: this file draws them and sends
// actions ({type: "choose", unit, layer, label, on}, ...). Article text is set with
// textContent only. Keys: see helpLine below; JupyterLab's shortcuts are suppressed inside.
// In the instructor's author mode (model "mode" is "author", medialit/author.py) the label
// buttons set the expert's label, and each layer gets an author panel (authorPanel below):
// also-accepted labels, anchor, rationale and the row's problems. Student mode is unchanged.

function helpLine(layers) {
  const most = Math.max(...layers.map((l) => l.labels.length));
  const parts = [
    "Keys (click a sentence first): ↓ or j next sentence",
    "↑ or k previous",
    `1–${most} choose a label`,
  ];
  if (layers.some((l) => l.none)) parts.push("0 none");
  if (layers.length > 1) parts.push("← → another layer");
  parts.push("n next untagged", "u or Backspace undo", "Tab reaches the buttons.");
  return parts.join(" · ");
}

// ids of its own for each tagger (the module may be evaluated once per widget)
function uniqueId() {
  return `medialit-tagger-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function h(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "true" : String(value));
  }
  if (text !== null) node.textContent = text;
  return node;
}

function cssName(name) {
  return name.replace(/\./g, "-").replace(/_/g, "-");
}

// the author mode's panel for one layer: what else is accepted, anchor, rationale, problems
function authorPanel(uid, layer, send, unitId) {
  const box = h("div", { class: `medialit-author medialit-author-${layer.name}` });
  const acceptRow = h("div", {
    class: "medialit-label-row medialit-author-accept",
    role: "group",
    "aria-label": `${layer.title}: also accepted`,
  });
  acceptRow.append(h("span", { class: "medialit-author-what" }, "Also accepted:"));
  const accepts = new Map();
  const pending = new Map(); // "label" or "anchor" -> wanted state, until the kernel answers
  const choices = layer.labels.map((lab) => [lab.name, lab.text]);
  if (layer.none) choices.push(["none", layer.none]);
  for (const [name, text] of choices) {
    const button = h("button", {
      type: "button",
      class: `medialit-accept medialit-accept-${layer.name}-${name}`,
      "aria-pressed": "false",
    }, text);
    button.addEventListener("click", () => {
      const on = button.getAttribute("aria-pressed") !== "true";
      pending.set(name, on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      send({ type: "accept", unit: unitId(), layer: layer.name, label: name, on });
    });
    acceptRow.append(button);
    accepts.set(name, button);
  }
  const anchorId = `${uid}-anchor-${layer.name}`;
  const anchorRow = h("div", { class: "medialit-author-anchor-row" });
  const anchor = h("input", { type: "checkbox", id: anchorId, class: `medialit-author-anchor medialit-author-anchor-${layer.name}` });
  anchor.addEventListener("change", () => {
    pending.set("anchor", anchor.checked);
    send({ type: "anchor", unit: unitId(), layer: layer.name, on: anchor.checked });
  });
  const clear = h("button", { type: "button", class: `medialit-author-clear medialit-author-clear-${layer.name}` }, "Clear this layer");
  clear.addEventListener("click", () => send({ type: "clear", unit: unitId(), layer: layer.name }));
  anchorRow.append(anchor, h("label", { for: anchorId }, " Anchor: only the label is right (graded strictly)"), clear);
  const whyId = `${uid}-why-${layer.name}`;
  const why = h("textarea", { id: whyId, class: `medialit-note medialit-author-rationale medialit-author-rationale-${layer.name}`, rows: "2" });
  why.addEventListener("change", () => send({ type: "rationale", unit: unitId(), layer: layer.name, text: why.value }));
  const said = h("div", { role: "status" }); // a live region around the list keeps its list role
  const problems = h("ul", { class: `medialit-author-problems medialit-author-problems-${layer.name}` });
  said.append(problems);
  box.append(acceptRow, anchorRow, h("label", { for: whyId, class: "medialit-note-label" }, "Why (the rationale students read):"), why, said);

  function draw(panel, retired, applies) {
    const chosen = new Set(panel.accepted.filter((lab) => !panel.alternatives.includes(lab)));
    for (const [name, button] of accepts) {
      const on = pending.has(name) ? pending.get(name) : panel.alternatives.includes(name);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.classList.toggle("mod-active", on);
      button.hidden = chosen.has(name);
      button.disabled = retired || !applies;
    }
    anchor.checked = pending.has("anchor") ? pending.get("anchor") : panel.anchor === "yes";
    anchor.indeterminate = !pending.has("anchor") && !panel.anchor;
    anchor.disabled = retired || !applies;
    clear.disabled = retired || !panel.annotated;
    if (document.activeElement !== why) why.value = panel.rationale || "";
    why.disabled = retired;
    const lines = panel.annotated ? panel.problems : ["Not annotated yet.", ...panel.problems];
    problems.replaceChildren(...lines.map((text) => h("li", {}, text)));
    problems.hidden = !lines.length;
  }
  // the kernel answered: what it sent is the truth again
  const settle = () => pending.clear();
  return { box, draw, settle };
}

function render({ model, el }) {
  const uid = uniqueId();
  const author = model.get("mode") === "author";
  const doneWord = author ? "done" : "tagged";
  const units = model.get("units");
  const layers = model.get("layers");
  const mine = units.filter((u) => u.tagged_here);
  let layerAt = 0; // the layer the number keys choose in
  let shownUnit = null; // the sentence last centred in the article box
  const pending = new Map(); // "unit|layer|label" -> wanted state, until the kernel answers

  const root = h("div", {
    class: "medialit-tagger",
    "data-lm-suppress-shortcuts": "true",
    role: "region",
    "aria-label": author ? `Reference author for ${model.get("exercise")}` : `Claim tagger for ${model.get("exercise")}`,
  });
  const notice = h("div", { class: "medialit-notice", role: "alert" });
  const progress = h("div", { class: "medialit-progress", "aria-live": "polite" });
  const help = h("p", { class: "medialit-help", id: `${uid}-help` }, helpLine(layers));

  // the article as running text; the tagger's own sentences are options of one listbox
  const article = h("div", {
    class: "medialit-article",
    role: "listbox",
    tabindex: "0",
    "aria-label": "The article: choose a sentence to tag",
    "aria-describedby": `${uid}-help`,
  });
  const options = new Map();
  let para = null;
  let paraNumber = null;
  for (const unit of units) {
    if (unit.paragraph !== paraNumber) {
      paraNumber = unit.paragraph;
      para = h("div", {
        class: unit.headline ? "medialit-para medialit-headline" : "medialit-para",
        role: "none",
      });
      article.append(para);
    }
    if (unit.tagged_here) {
      const option = h("span", {
        class: `medialit-sentence medialit-unit-${cssName(unit.id)}`,
        role: "option",
        id: `${uid}-${cssName(unit.id)}`,
        "aria-selected": "false",
        "data-unit": unit.id,
      });
      const mark = h("span", { class: "medialit-mark", "aria-hidden": "true" });
      const id = h("span", { class: "medialit-unit-id" }, unit.id);
      const badge = h("span", { class: "medialit-badge" });
      option.append(mark, id, badge, document.createTextNode(" " + unit.text));
      option.addEventListener("click", () => {
        go(mine.findIndex((u) => u.id === unit.id));
        article.focus();
      });
      options.set(unit.id, option);
      para.append(option);
    } else {
      para.append(h("span", { class: "medialit-sentence-context", "aria-hidden": "true" }, unit.text));
    }
    para.append(document.createTextNode(" "));
  }

  const current = h("div", { class: "medialit-unit medialit-unit-current", id: `${uid}-current` });
  const currentId = h("b", { class: "medialit-current-id" });
  const currentText = h("span", { class: "medialit-unit-text" });
  current.append(currentId, document.createTextNode(" "), currentText);

  // one group of label buttons per layer
  const groups = [];
  for (const [i, layer] of layers.entries()) {
    const group = h("div", {
      class: `medialit-layer medialit-layer-${layer.name}`,
      role: "group",
      "aria-labelledby": `${uid}-layer-${layer.name}`,
    });
    const head = h("div", { class: "medialit-layer-head", id: `${uid}-layer-${layer.name}` });
    head.append(h("b", {}, layer.title), document.createTextNode(` — ${layer.question} (${layer.how})`));
    const row = h("div", { class: "medialit-label-row" });
    const buttons = new Map();
    const add = (name, text, definition, key) => {
      const button = h("button", {
        type: "button",
        class: `medialit-label medialit-label-${layer.name}-${name}`,
        "aria-pressed": "false",
        title: definition,
        "aria-keyshortcuts": String(key),
      });
      button.append(h("kbd", { "aria-hidden": "true" }, String(key)), document.createTextNode(" " + text));
      button.addEventListener("click", () => {
        layerAt = i;
        pick(layer, name);
      });
      row.append(button);
      buttons.set(name, button);
    };
    layer.labels.forEach((lab, n) => add(lab.name, lab.text, lab.definition, n + 1));
    if (layer.none) add("none", layer.none, `Nothing in the ${layer.title.toLowerCase()} layer applies here`, 0);
    const closed = h("p", { class: `medialit-layer-note medialit-layer-note-${layer.name}` });
    group.append(head, row, closed);
    const cues = new Map();
    if (layer.multiple) {
      for (const lab of layer.labels) {
        const box = h("div", { class: `medialit-cue-row medialit-cue-row-${cssName(lab.name)}` });
        const inputId = `${uid}-cues-${lab.name}`;
        const label = h("label", { for: inputId }, `Cue words for ${lab.text}:`);
        const input = h("input", {
          type: "text",
          id: inputId,
          class: `medialit-cues medialit-cues-${lab.name}`,
          placeholder: "the words that carry it, separated by ;",
        });
        input.addEventListener("change", () =>
          send({ type: "cues", unit: unitId(), label: lab.name, text: input.value }),
        );
        box.append(label, input);
        group.append(box);
        cues.set(lab.name, { box, input });
      }
      group.append(h("p", { class: "medialit-cue-warning", role: "status" }));
    }
    const panel = author ? authorPanel(uid, layer, send, unitId) : null;
    if (panel) group.append(panel.box);
    groups.push({ layer, group, buttons, closed, cues, panel });
  }

  const noteId = `${uid}-note`;
  const noteLabel = h("label", { for: noteId, class: "medialit-note-label" }, "Note on this sentence (optional): why did you choose this?");
  const note = h("textarea", { id: noteId, class: "medialit-note", rows: "2" });
  note.addEventListener("change", () => send({ type: "note", unit: unitId(), text: note.value }));

  const nav = h("div", { class: "medialit-nav" });
  const navButton = (cls, text, title, onClick) => {
    const button = h("button", { type: "button", class: cls, title }, text);
    button.addEventListener("click", onClick);
    nav.append(button);
    return button;
  };
  const prev = navButton("medialit-prev", "◀ Previous", "the sentence before (↑ or k)", () => go(model.get("index") - 1));
  const next = navButton("medialit-next", "Next ▶", "the sentence after (↓ or j)", () => go(model.get("index") + 1));
  navButton("medialit-next-untagged", "Next untagged »", "the next sentence not tagged yet (n)", () =>
    send({ type: "next_untagged" }),
  );
  const undo = navButton("medialit-undo", "↶ Undo", "undo your last change (u or Backspace)", () => send({ type: "undo" }));
  const check = author
    ? navButton("medialit-check", "Check the whole reference", "list every problem, as medialit reference check does", () =>
        send({ type: "check" }),
      )
    : navButton("medialit-check", "Check against the expert", "compare the sentences you tagged", () =>
        send({ type: "check" }),
      );
  const status = h("div", { class: "medialit-status", role: "status" });
  const checkOut = h("div", { class: "medialit-check-output" });

  noteLabel.hidden = note.hidden = author; // the author writes a rationale per layer instead
  root.append(notice, progress, help, article, current, ...groups.map((g) => g.group), noteLabel, note, nav, status, checkOut);
  el.append(root);

  // -- actions -------------------------------------------------------------------------
  function send(action) {
    model.send(action);
  }

  function unitId() {
    const unit = mine[model.get("index")];
    return unit ? unit.id : null;
  }

  function go(index) {
    const clamped = Math.max(0, Math.min(index, mine.length - 1));
    if (clamped !== model.get("index")) {
      model.set("index", clamped);
      model.save_changes();
    }
    draw();
  }

  // A click toggles a label; a number key chooses it (pressed again, it stays chosen, so a
  // double press never untags a sentence in a one-label layer; u undoes).
  function pick(layer, name, fromKey = false) {
    if (model.get("retired")) return;
    const unit = unitId();
    const marks = (model.get("marks")[unit] || { layers: {} }).layers[layer.name] || {};
    if (marks.applies === false) return;
    const keep = fromKey && !(layer.multiple && name !== "none");
    if (name === "none") {
      const on = keep ? true : !marks.none;
      pending.set(`${unit}|${layer.name}|none`, on);
      send({ type: "none", unit, layer: layer.name, on });
    } else {
      const on = keep ? true : !(marks.labels || []).includes(name);
      pending.set(`${unit}|${layer.name}|${name}`, on);
      if (!layer.multiple && on) {
        for (const other of layer.labels) if (other.name !== name) pending.set(`${unit}|${layer.name}|${other.name}`, false);
      }
      send({ type: "choose", unit, layer: layer.name, label: name, on });
    }
    draw();
  }

  // the buttons the number keys choose in, scrolled into the notebook's view
  function showLayer() {
    const group = groups[layerAt].group;
    if (typeof group.scrollIntoView === "function") group.scrollIntoView({ block: "nearest" });
  }

  // the current sentence in the middle of the article box, without scrolling the page
  function centre(option) {
    const top = option.offsetTop; // the article is the positioned parent
    const wanted = top - (article.clientHeight - option.offsetHeight) / 2;
    article.scrollTop = Math.max(0, wanted);
  }

  function keydown(event) {
    const target = event.target;
    if (target.matches("input, textarea")) {
      if (event.key === "Escape") {
        event.preventDefault();
        article.focus();
      }
      event.stopPropagation(); // typing is typing, never a notebook command
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const index = model.get("index");
    let handled = true;
    switch (event.key) {
      case "ArrowDown":
      case "j":
        go(index + 1);
        break;
      case "ArrowUp":
      case "k":
        go(index - 1);
        break;
      case "Home":
        go(0);
        break;
      case "End":
        go(mine.length - 1);
        break;
      case "ArrowRight":
      case "l":
        layerAt = Math.min(layerAt + 1, groups.length - 1);
        draw();
        showLayer();
        break;
      case "ArrowLeft":
      case "h":
        layerAt = Math.max(layerAt - 1, 0);
        draw();
        showLayer();
        break;
      case "n":
        send({ type: "next_untagged" });
        break;
      case "u":
      case "Backspace":
        send({ type: "undo" });
        break;
      default:
        if (/^[0-9]$/.test(event.key)) {
          const { layer } = groups[layerAt];
          const n = Number(event.key);
          if (n === 0 && layer.none) pick(layer, "none", true);
          else if (n >= 1 && n <= layer.labels.length) pick(layer, layer.labels[n - 1].name, true);
          showLayer();
        } else if (event.key.length === 1) {
          // a letter JupyterLab would take (m, a, b, d, ...): keep it away from the notebook
        } else {
          handled = false;
        }
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }
  root.addEventListener("keydown", keydown);

  // -- drawing -------------------------------------------------------------------------
  function draw() {
    const marks = model.get("marks");
    const index = model.get("index");
    const unit = mine[index];
    const retired = model.get("retired");
    const tagged = mine.filter((u) => marks[u.id] && marks[u.id].tagged).length;
    const choosing = groups.length > 1 ? ` · keys choose: ${groups[layerAt].layer.title}` : "";
    progress.textContent = `${tagged} of ${mine.length} ${doneWord} · sentence ${index + 1} of ${mine.length} (${unit.id})${choosing}`;
    notice.textContent = model.get("notice_text") ? `⚠ Please read: ${model.get("notice_text")}` : "";
    notice.hidden = !model.get("notice_text");

    for (const [id, option] of options) {
      const here = id === unit.id;
      const done = Boolean(marks[id] && marks[id].tagged);
      option.setAttribute("aria-selected", here ? "true" : "false");
      option.classList.toggle("medialit-current", here);
      option.classList.toggle("medialit-unit-tagged", done);
      option.firstChild.textContent = done ? "✓" : "";
      const chosen = [];
      for (const layer of layers) {
        const state = marks[id] && marks[id].layers[layer.name];
        if (!state) continue;
        if (state.none && layer.none) chosen.push(layer.none);
        for (const label of state.labels) chosen.push(label.replace(/_/g, " "));
      }
      option.children[2].textContent = chosen.length ? chosen.join(" · ") : "";
      option.children[2].hidden = !chosen.length;
      const said = chosen.length ? ` (${chosen.join(", ")})` : "";
      option.setAttribute("aria-label", `${id}${done ? `, ${doneWord}` : ""}${said}: ${option.lastChild.textContent.trim()}`);
    }
    article.setAttribute("aria-activedescendant", options.get(unit.id).id);
    if (unit.id !== shownUnit) {
      centre(options.get(unit.id));
      shownUnit = unit.id;
    }

    currentId.textContent = `▶ ${unit.id}${unit.headline ? " (headline)" : ""}`;
    currentText.textContent = unit.text;

    const mark = marks[unit.id] || { layers: {}, cues: {}, note: "", warning: "" };
    for (const [i, g] of groups.entries()) {
      const state = mark.layers[g.layer.name] || { labels: [], none: false, applies: true };
      g.group.classList.toggle("medialit-layer-current", i === layerAt);
      for (const [name, button] of g.buttons) {
        const saved = name === "none" ? state.none : state.labels.includes(name);
        const key = `${unit.id}|${g.layer.name}|${name}`;
        const shown = pending.has(key) ? pending.get(key) : saved;
        button.setAttribute("aria-pressed", shown ? "true" : "false");
        button.classList.toggle("mod-active", shown);
        button.classList.toggle("medialit-pending", pending.has(key) && pending.get(key) !== saved);
        button.disabled = retired || !state.applies;
      }
      g.closed.textContent = state.applies ? "" : g.layer.closed_note;
      g.closed.hidden = state.applies;
      const panel = author && mark.author ? mark.author[g.layer.name] : null;
      for (const [name, { box, input }] of g.cues) {
        const cued = Boolean((mark.cues || {})[name]);
        box.hidden = panel ? !(panel.accepted.includes(name) || cued) : !state.labels.includes(name);
        if (document.activeElement !== input) input.value = (mark.cues || {})[name] || "";
        input.disabled = retired;
      }
      const warning = g.group.querySelector(".medialit-cue-warning");
      if (warning) warning.textContent = mark.warning || "";
      if (panel) g.panel.draw(panel, retired, state.applies);
    }
    if (document.activeElement !== note) note.value = mark.note || "";
    note.disabled = retired;
    prev.disabled = index === 0;
    next.disabled = index === mine.length - 1;
    undo.disabled = !model.get("can_undo");
    check.disabled = false;
    status.textContent = model.get("status");
    status.classList.toggle("medialit-error", model.get("status_error"));
    checkOut.innerHTML = model.get("check_html"); // built by the kit, article text escaped there
    root.classList.toggle("medialit-retired", retired);
  }

  function answered() {
    pending.clear(); // the kernel's answer is the truth
    for (const g of groups) if (g.panel) g.panel.settle();
    draw();
  }

  const events = [
    ["change:revision", answered],
    ["change:index", draw],
    ["change:status", draw],
    ["change:status_error", draw],
    ["change:retired", draw],
    ["change:can_undo", draw],
    ["change:check_html", draw],
    ["change:notice_text", draw],
  ];
  for (const [name, fn] of events) model.on(name, fn);
  draw();
  return () => {
    for (const [name, fn] of events) model.off(name, fn);
  };
}

export default { render };
