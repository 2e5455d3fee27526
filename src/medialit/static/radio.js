// medialit's single-choice widget, front end (an anywidget ES module; no build step).
// Native radio inputs in one group, each option a label that wraps at any width; the group
// carries data-lm-suppress-shortcuts so arrow keys move between options instead of moving
// JupyterLab's cell selection, and letters (m, a, b, d...) never reach the notebook.

// A name of its own for each group: the module may be evaluated once per widget, so a
// counter would restart and two questions on one page would share one radio group.
function uniqueName() {
  return `medialit-radio-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function render({ model, el }) {
  const name = uniqueName();
  const group = document.createElement("div");
  group.className = "medialit-radio";
  group.setAttribute("role", "radiogroup");
  group.setAttribute("data-lm-suppress-shortcuts", "true");
  const label = model.get("description");
  if (label) group.setAttribute("aria-label", label);
  el.append(group);

  function build() {
    group.replaceChildren();
    group.classList.toggle("medialit-radio-horizontal", model.get("orientation") === "horizontal");
    model.get("options").forEach(([text, value], index) => {
      const option = document.createElement("label");
      option.className = "medialit-radio-option";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = name;
      input.value = String(index);
      input.addEventListener("change", () => {
        if (input.checked) {
          model.set("index", index);
          model.save_changes();
        }
      });
      const span = document.createElement("span");
      span.textContent = text; // option text is text, never HTML
      option.append(input, span);
      group.append(option);
    });
    draw();
  }

  function draw() {
    const index = model.get("index");
    const disabled = model.get("disabled");
    group.querySelectorAll("input").forEach((input, i) => {
      input.checked = i === index;
      input.disabled = disabled;
    });
  }

  group.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.key === "Tab") return;
    event.stopPropagation(); // the radios handle arrows and space; nothing else is a command
  });

  model.on("change:options", build);
  model.on("change:orientation", build);
  model.on("change:index", draw);
  model.on("change:disabled", draw);
  build();
  return () => {
    model.off("change:options", build);
    model.off("change:orientation", build);
    model.off("change:index", draw);
    model.off("change:disabled", draw);
  };
}

export default { render };
