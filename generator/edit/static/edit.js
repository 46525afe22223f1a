// qa-site edit: the form's behaviour. Everything it sends goes to this computer's own
// editor, with the session's token; it loads nothing from anywhere else.
"use strict";

(function () {
  const token = document.querySelector('meta[name="qa-edit-token"]').content;

  async function call(name, payload) {
    const response = await fetch("api/" + name, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-QA-Edit-Token": token },
      body: JSON.stringify(payload),
      credentials: "same-origin",
    });
    let answer;
    try {
      answer = await response.json();
    } catch (error) {
      answer = { error: "the editor did not answer (is qa-site edit still running?)" };
    }
    if (!response.ok) {
      const refused = new Error(answer.error || "the editor refused");
      refused.field = answer.field || null;
      refused.answer = answer;
      throw refused;
    }
    return answer;
  }

  // Starting a new file, from the list
  for (const form of document.querySelectorAll("form.new-file")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const message = form.querySelector(".message");
      const where = form.querySelector('[name="where"]').value;
      const date = form.querySelector('[name="date"]').value;
      message.textContent = "Starting…";
      try {
        const answer = await call("new", { kind: form.dataset.kind, where: where, date: date });
        message.textContent = "Started " + answer.file + ".";
        window.location.assign(answer.url);
      } catch (error) {
        message.textContent = "Not started: " + error.message;
        message.classList.add("error-text");
      }
    });
  }

  const editor = document.getElementById("editor");
  if (!editor) return;

  // Reading the form: data-obj, data-list and data-item give the shape
  function value(control) {
    if (control.dataset.type === "multi") {
      return Array.from(control.querySelectorAll('input[type="checkbox"]'))
        .filter((box) => box.checked)
        .map((box) => box.value);
    }
    if (control.dataset.type === "bool") return control.checked;
    return control.value;
  }

  function walk(element, into, path) {
    for (const child of element.children) {
      if (child.tagName === "TEMPLATE") continue;
      const data = child.dataset;
      if (data.list) {
        const items = [];
        const itemElements = Array.from(child.children).filter((c) => "item" in c.dataset);
        itemElements.forEach((item, index) => {
          const fields = {};
          walk(item, fields, path.concat([data.list, index]));
          if (item.dataset.origin !== undefined) fields.origin = Number(item.dataset.origin);
          if (item.dataset.fieldBy) {
            const key = fields[item.dataset.fieldBy] || "";
            setField(item, fieldName(path.concat([data.list])) + (key ? "." + key : ""));
          } else {
            setField(item, fieldName(path.concat([data.list, index])));
          }
          const number = item.querySelector(":scope > legend [data-number]");
          if (number) number.textContent = String(index + 1);
          items.push(fields);
        });
        into[data.list] = items;
        setField(child, fieldName(path.concat([data.list])));
      } else if (data.obj) {
        const fields = into[data.obj] || {};
        walk(child, fields, path.concat([data.obj]));
        into[data.obj] = fields;
      } else if (data.key) {
        into[data.key] = value(child);
        if (!child.closest("[data-field-by]") || child.dataset.key !== "standard") {
          setField(child, fieldName(path.concat([data.key])), true);
        }
      } else if (data.payload) {
        // Sent beside the data, not in it (the date names the file; the body is Markdown).
      } else {
        walk(child, into, path);
      }
    }
  }

  function setField(element, name, computed) {
    if (computed && element.dataset.fieldFixed) return;
    element.dataset.field = name;
  }

  function fieldName(path) {
    let text = "";
    for (const part of path) {
      if (typeof part === "number") text += "[" + part + "]";
      else text += text ? "." + part : part;
    }
    return text;
  }

  function payload() {
    const data = {};
    walk(editor.querySelector(".fields"), data, []);
    const out = { file: editor.dataset.file, digest: editor.dataset.digest, data: data };
    for (const element of editor.querySelectorAll("[data-payload]")) {
      out[element.dataset.payload] = element.value;
    }
    return out;
  }

  // Problems beside their fields
  function clearProblems() {
    for (const note of editor.querySelectorAll(".field-problem")) note.remove();
    for (const control of editor.querySelectorAll("[aria-invalid]")) {
      control.removeAttribute("aria-invalid");
      const described = (control.getAttribute("aria-describedby") || "")
        .split(" ")
        .filter((id) => id && !id.startsWith("problem-"));
      if (described.length) control.setAttribute("aria-describedby", described.join(" "));
      else control.removeAttribute("aria-describedby");
    }
    for (const holder of editor.querySelectorAll(".has-problem")) holder.classList.remove("has-problem");
  }

  function target(field) {
    let name = field;
    while (name) {
      const found = editor.querySelector('[data-field="' + CSS.escape(name) + '"]');
      if (found) return found;
      const cut = Math.max(name.lastIndexOf("."), name.lastIndexOf("["));
      if (cut <= 0) break;
      name = name.slice(0, cut);
    }
    return null;
  }

  function focusable(element) {
    if (element.matches("input, select, textarea")) return element;
    return element.querySelector("input, select, textarea");
  }

  let problemNumber = 0;
  function showProblems(problems) {
    clearProblems();
    const list = document.getElementById("problems");
    list.textContent = "";
    for (const problem of problems) {
      const id = "problem-" + ++problemNumber;
      const where = target(problem.field);
      const item = document.createElement("li");
      item.className = problem.severity;
      const label = problem.severity === "error" ? "Error" : "Warning";
      const text = label + ": " + (problem.field ? problem.field + ": " : "") + problem.message;
      if (where) {
        const control = focusable(where) || where;
        const note = document.createElement("p");
        note.className = "field-problem " + problem.severity;
        note.id = id;
        note.textContent = label + ": " + problem.message;
        const holder = where.matches("input, select, textarea") ? where.closest(".field") || where.parentElement : where;
        holder.classList.add("has-problem");
        if (holder.matches(".field")) holder.appendChild(note);
        else holder.insertBefore(note, firstAfterLegend(holder));
        // A problem with a whole list (the cases, the actions) is said above the list, not
        // tied to the first box in it, which it is not about.
        const wholeList = where.dataset.list !== undefined;
        if (!wholeList && control.matches("input, select, textarea, fieldset")) {
          if (problem.severity === "error") control.setAttribute("aria-invalid", "true");
          const described = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
          described.push(id);
          control.setAttribute("aria-describedby", described.join(" "));
        }
        const link = document.createElement("a");
        link.href = "#" + (control.id || id);
        link.textContent = text;
        link.addEventListener("click", (event) => {
          event.preventDefault();
          const details = control.closest("details");
          if (details) details.open = true;
          control.focus();
        });
        item.appendChild(link);
      } else {
        item.textContent = text + (problem.line ? " (line " + problem.line + ")" : "");
      }
      list.appendChild(item);
    }
  }

  function firstAfterLegend(holder) {
    const first = holder.firstElementChild;
    return first && first.tagName === "LEGEND" ? first.nextSibling : holder.firstChild;
  }

  function showCount(answer) {
    const count = document.getElementById("problem-count");
    const errors = answer.errors;
    const warnings = answer.problems.length - errors;
    let text;
    if (!answer.problems.length) text = "No problems in this file.";
    else {
      text = [plural(errors, "error"), plural(warnings, "warning")].filter(Boolean).join(" and ") + " in this file.";
    }
    if (answer.elsewhere.length) text += " " + plural(answer.elsewhere.length, "error") + " in other files.";
    const para = document.createElement("p");
    para.textContent = text;
    say(count, [para]);
  }

  // A live region is read out each time it changes, so it is changed only when what it
  // says does: a screen reader then does not repeat the score after every keystroke.
  function say(region, elements) {
    const fresh = document.createElement("div");
    for (const element of elements) fresh.appendChild(element);
    if (fresh.innerHTML === region.innerHTML) return;
    region.replaceChildren(...fresh.childNodes);
  }

  function plural(n, noun) {
    if (!n) return "";
    return n + " " + noun + (n === 1 ? "" : "s");
  }

  // The live score
  function showScore(score) {
    const panel = document.getElementById("score");
    if (!panel || !score) return;
    say(panel, scoreParts(score));
  }

  function scoreParts(score) {
    const parts = [];
    const add = (tag, text, className) => {
      const element = document.createElement(tag);
      element.textContent = text;
      if (className) element.className = className;
      parts.push(element);
      return element;
    };
    if (!score.ready) {
      add("p", score.why);
      return parts;
    }
    if (!score.rating) {
      add("p", score.text);
      return parts;
    }
    add("p", score.rating + ", " + score.percent, "overall");
    add("p", score.points + "; " + score.position + ".");
    add("p", score.rated + " of " + score.standards + " standards rated" + (score.draft ? " (a draft: only rated standards count)." : "."));
    if (score.limited) {
      const names = score.limited_by.map((s) => s.id + " " + s.name).join(", ");
      add("p", "Limited: the percentage earns " + score.band + ", but critical " + (score.limited_by.length === 1 ? "standard " : "standards ") + names + " rated " + score.lowest + " hold the rating at " + score.rating + ".", "limited");
    } else {
      add("p", "Not limited by a critical standard.");
    }
    if (score.next_review) add("p", "Next review due " + score.next_review + ".");
    if (score.provisional) add("p", "Provisional until the errors are fixed.", "provisional");
    return parts;
  }

  // Checking as the reviewer types
  let timer = null;
  let sequence = 0;
  let shown = 0;
  async function check() {
    const mine = ++sequence;
    try {
      const answer = await call("check", payload());
      if (mine < shown) return;
      shown = mine;
      showProblems(answer.problems);
      showCount(answer);
      showScore(answer.score);
      document.getElementById("diff").textContent = answer.diff || "No changes yet.";
    } catch (error) {
      if (mine < shown) return;
      shown = mine;
      document.getElementById("problem-count").textContent = "Could not check: " + error.message;
    }
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(check, 350);
  }

  editor.addEventListener("input", soon);
  editor.addEventListener("change", soon);
  editor.addEventListener("submit", (event) => event.preventDefault());

  // Repeated groups
  let added = 0;
  editor.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || !editor.contains(button)) return;
    if (button.dataset.add) {
      addItem(button);
    } else if ("remove" in button.dataset) {
      removeItem(button);
    } else if ("preview" in button.dataset) {
      preview();
    } else if ("save" in button.dataset) {
      save(false);
    } else if ("commit" in button.dataset) {
      save(true);
    }
  });

  function addItem(button) {
    const name = button.dataset.add;
    const scope = button.parentElement;
    const list = scope.querySelector('[data-list="' + name + '"]');
    const template = document.getElementById("template-" + name);
    const html = template.innerHTML.replace(/__N__/g, "new" + ++added);
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const item = holder.firstElementChild;
    list.appendChild(item);
    payload(); // numbers the new item
    const first = item.querySelector("input, select, textarea");
    if (first) first.focus();
    soon();
  }

  function removeItem(button) {
    const item = button.closest("[data-item]");
    const list = item.parentElement;
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    payload();
    const focusTo = next ? next.querySelector("input, select, textarea") : list.parentElement.querySelector("button.add");
    if (focusTo) focusTo.focus();
    soon();
  }

  async function preview() {
    const region = document.getElementById("preview");
    try {
      const answer = await call("preview", { body: document.getElementById("body").value });
      region.innerHTML = answer.html;
    } catch (error) {
      region.textContent = "No preview: " + error.message;
    }
    region.hidden = false;
  }

  // One save at a time: a second click (a double click) while one is under way would
  // send the digest the first save is about to change, and be refused as a file changed
  // on disk by someone else.
  let saving = false;
  async function save(commit) {
    if (saving) return;
    saving = true;
    try {
      await saveOnce(commit);
    } finally {
      saving = false;
    }
  }

  async function saveOnce(commit) {
    const message = document.getElementById("save-message");
    message.textContent = commit ? "Saving and committing…" : "Saving…";
    message.className = "";
    try {
      const answer = await call(commit ? "commit" : "save", payload());
      shown = ++sequence; // a check asked before the save is out of date: not shown
      editor.dataset.digest = answer.digest;
      showProblems(answer.problems);
      showCount(answer);
      showScore(answer.score);
      let text = answer.saved ? "Saved " + answer.file + "." : "Nothing to save: the file is as it was.";
      if (answer.errors) text += " It has " + plural(answer.errors, "error") + " to fix before it can be published.";
      message.textContent = "";
      const para = document.createElement("p");
      para.textContent = text;
      message.appendChild(para);
      if (answer.commit) showCommit(message, answer.commit);
      if (answer.saved) {
        recordAmendment();
        renumberOrigins();
      }
      if (answer.file !== editor.dataset.file) {
        editor.dataset.file = answer.file;
        window.history.replaceState(null, "", "edit?file=" + encodeURIComponent(answer.file));
      }
      document.getElementById("diff").textContent = "No changes since the save.";
    } catch (error) {
      message.textContent = "Not saved: " + error.message;
      message.className = "error-text";
      if (error.answer && error.answer.problems) showProblems(error.answer.problems);
      if (error.field) {
        const where = target(error.field) || document.getElementById(error.field);
        const control = where && (focusable(where) || where);
        if (control && control.focus) control.focus();
      }
    }
  }

  // A saved amendment is in the file now: it joins the list of those recorded and its
  // boxes are emptied for the next one, so that saving again does not add it twice.
  function recordAmendment() {
    const amendment = editor.querySelector('[data-obj="amendment"]');
    const recorded = document.getElementById("amendments-recorded");
    if (!amendment || !recorded) return;
    const boxes = Array.from(amendment.querySelectorAll("[data-key]"));
    const entry = {};
    for (const box of boxes) entry[box.dataset.key] = box.value.trim();
    if (!entry.date && !entry.reason && !entry.by) return;
    const item = document.createElement("li");
    item.textContent = entry.date + ": " + entry.reason + " (" + entry.by + ")";
    recorded.querySelector("ul").appendChild(item);
    recorded.hidden = false;
    for (const box of boxes) box.value = "";
    amendment.dataset.field = "amendments[" + recorded.querySelectorAll("li").length + "]";
  }

  // The file now holds the items in the form's order: each item is now the file's item
  // at its place, so that the next save keeps what the form does not show (a case
  // note's audience, say) with the item it belongs to.
  function renumberOrigins() {
    for (const list of editor.querySelectorAll("[data-list]")) {
      Array.from(list.children)
        .filter((child) => "item" in child.dataset)
        .forEach((item, index) => {
          item.dataset.origin = String(index);
        });
    }
  }

  function showCommit(message, commit) {
    const para = document.createElement("p");
    if (commit.commands.length) {
      para.textContent = "Committed on the new branch " + commit.branch + ". To open the pull request, run:";
      message.appendChild(para);
      const pre = document.createElement("pre");
      pre.textContent = commit.commands.join("\n");
      message.appendChild(pre);
    } else {
      para.textContent = "Committed on the new branch " + commit.branch + ". This copy of the repository has no remote called origin: send the branch the way your team does, then open the pull request.";
      message.appendChild(para);
    }
    if (commit.pull_request_url) {
      const link = document.createElement("p");
      link.textContent = "Then open: " + commit.pull_request_url;
      message.appendChild(link);
    }
  }

  payload();
  check();
})();
