// replylint playground: plain JavaScript, no build step, no external assets.
//
// The draft is a transparent <textarea> over a "backdrop" <div> that mirrors its text, with a
// <mark> for each finding. Offsets come from the API's js_start/js_end (UTF-16 code units, the
// indices of a JavaScript string), so emoji and other astral characters line up.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const draft = $("draft");
  const customer = $("customer");
  const backdrop = $("backdrop");
  const list = $("findings");
  const summary = $("summary");
  const status = $("status");
  const notice = $("notice");
  const tooltip = $("tooltip");
  const checkButton = $("check");
  const applyAllButton = $("apply-all");
  const live = $("live");

  const DEBOUNCE_MS = 450;
  const RANK = { info: 0, warning: 1, error: 2 };
  const SLOT = /<[a-z][^<>]*>/;

  let ready = false;
  let pending = false; // a check was asked for before the pipeline was ready
  let result = null; // the last check: {text, customer, findings, rewritten, elapsed_ms}
  let view = { text: "", marks: [] }; // what the backdrop shows: marks follow edits
  let seq = 0;
  let controller = null;
  let timer = 0;
  const rules = new Map(); // rule id -> its /v1/rules/{id} answer (for "Why?")

  // -- status ----------------------------------------------------------------------------------

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  function say(text, isError = false) {
    notice.textContent = text;
    notice.classList.toggle("error", isError);
  }

  async function waitReady() {
    for (;;) {
      try {
        const res = await fetch("v1/ready", { cache: "no-store" });
        const data = await res.json();
        if (res.ok && data.ready) {
          ready = true;
          setStatus("ready", `Ready · ${data.pipeline} ${data.pipeline_version} · ${data.rules} rules`);
          if (pending || draft.value.trim()) checkNow();
          return;
        }
        if (data.error) {
          setStatus("error", `The pipeline failed to load: ${data.error}`);
          return;
        }
        setStatus("loading", "Loading the language pipeline…");
      } catch (err) {
        setStatus("error", "Cannot reach the replylint server; retrying…");
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  // -- the editor ------------------------------------------------------------------------------

  function autogrow() {
    draft.style.height = "auto";
    draft.style.height = `${draft.scrollHeight + draft.offsetHeight - draft.clientHeight}px`;
  }

  // Keep marks where they belong while the user types: marks before the edit stay, marks after
  // it move, marks the edit touches go (until the next check).
  function follow(oldText, newText, marks) {
    const max = Math.min(oldText.length, newText.length);
    let prefix = 0;
    while (prefix < max && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (
      suffix < max - prefix &&
      oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)
    ) suffix++;
    const editEnd = oldText.length - suffix;
    const delta = newText.length - oldText.length;
    const out = [];
    for (const m of marks) {
      if (m.end <= prefix) out.push(m);
      else if (m.start >= editEnd) out.push({ ...m, start: m.start + delta, end: m.end + delta });
    }
    return out;
  }

  function drawBackdrop() {
    const { text, marks } = view;
    const nodes = [];
    const cuts = new Set([0, text.length]);
    for (const m of marks) {
      cuts.add(Math.min(m.start, text.length));
      cuts.add(Math.min(m.end, text.length));
    }
    const points = [...cuts].sort((a, b) => a - b);
    for (let k = 0; k < points.length; k++) {
      const at = points[k];
      for (const m of marks) {
        if (m.start === at && m.end === at) {
          const point = document.createElement("mark");
          point.className = `hl point sev-${m.severity}`;
          point.dataset.findings = String(m.index);
          nodes.push(point);
        }
      }
      if (k + 1 === points.length) break;
      const next = points[k + 1];
      const piece = text.slice(at, next);
      const over = marks.filter((m) => m.start < m.end && m.start <= at && m.end >= next);
      if (!over.length) {
        nodes.push(document.createTextNode(piece));
        continue;
      }
      const worst = over.reduce((a, b) => (RANK[b.severity] > RANK[a.severity] ? b : a));
      const mark = document.createElement("mark");
      mark.className = `hl sev-${worst.severity}${over.length > 1 ? " many" : ""}`;
      mark.dataset.findings = over.map((m) => m.index).join(" ");
      mark.textContent = piece;
      nodes.push(mark);
    }
    nodes.push(document.createTextNode(" ")); // keeps a trailing newline's empty line
    backdrop.replaceChildren(...nodes);
    highlightActive();
  }

  function onDraftInput() {
    view = { text: draft.value, marks: follow(view.text, draft.value, view.marks) };
    autogrow();
    drawBackdrop();
    markStale();
    schedule();
  }

  function schedule() {
    clearTimeout(timer);
    if (live.checked) timer = setTimeout(checkNow, DEBOUNCE_MS);
  }

  function isFresh() {
    return result !== null && result.text === draft.value;
  }

  function markStale() {
    const stale = !isFresh();
    for (const li of list.children) li.classList.toggle("stale", stale);
    for (const button of list.querySelectorAll("button.apply")) button.disabled = stale;
    applyAllButton.disabled = stale || !result || !result.findings.some((f) => f.suggestions.length);
    if (stale && result && result.findings.length && !live.checked) {
      summary.textContent = "The draft changed: check again to update the findings.";
      summary.classList.remove("clean");
    }
  }

  // -- checking --------------------------------------------------------------------------------

  async function checkNow() {
    clearTimeout(timer);
    const text = draft.value;
    const cust = customer.value.trim() ? customer.value : null;
    if (!ready) {
      pending = true;
      summary.textContent = "Waiting for the language pipeline to load…";
      return;
    }
    pending = false;
    if (controller) controller.abort();
    if (!text.trim()) {
      show({ text, customer: cust, findings: [], rewritten: text, elapsed_ms: 0 });
      summary.textContent = "Type or paste a draft to check it.";
      return;
    }
    controller = new AbortController();
    const mine = ++seq;
    checkButton.setAttribute("aria-busy", "true");
    try {
      const res = await fetch("v1/check", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text, customer: cust }),
        signal: controller.signal,
      });
      const data = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
      if (mine !== seq) return;
      if (res.status === 503 && !data.error?.includes("failed")) {
        ready = false;
        pending = true;
        waitReady();
        return;
      }
      if (!res.ok) {
        say(data.error || `The server answered ${res.status}.`, true);
        return;
      }
      say("");
      show({ text, customer: cust, ...data });
    } catch (err) {
      if (err.name !== "AbortError" && mine === seq) say("Could not reach the replylint server.", true);
    } finally {
      if (mine === seq) checkButton.removeAttribute("aria-busy");
    }
  }

  function show(data) {
    result = data;
    data.findings.forEach((f, i) => (f.index = i));
    if (draft.value === data.text) {
      view = {
        text: data.text,
        marks: data.findings.map((f) => ({
          index: f.index,
          start: f.js_start,
          end: f.js_end,
          severity: f.severity,
        })),
      };
      drawBackdrop();
    }
    renderFindings();
    markStale();
    updateCursor();
  }

  // -- the findings list -----------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function withSlots(text) {
    const out = document.createDocumentFragment();
    text.split(/(<[a-z][^<>]*>)/).forEach((part, k) => {
      if (part) out.append(k % 2 ? el("span", "slot", part) : part); // odd parts are the slots
    });
    return out;
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  function renderFindings() {
    const findings = result.findings;
    list.replaceChildren();
    summary.classList.toggle("clean", findings.length === 0);
    if (!findings.length) {
      summary.textContent = "No findings: this reply reads well.";
      return;
    }
    const bySeverity = ["error", "warning", "info"]
      .map((s) => [s, findings.filter((f) => f.severity === s).length])
      .filter(([, n]) => n)
      .map(([s, n]) => plural(n, s));
    const took = result.elapsed_ms ? ` · checked in ${Math.round(result.elapsed_ms)} ms` : "";
    summary.textContent = `${plural(findings.length, "finding")}: ${bySeverity.join(", ")}${took}`;

    findings.forEach((f, i) => {
      const li = el("li", `finding sev-${f.severity}`);
      li.id = `finding-${i}`;
      li.dataset.rule = f.rule;
      li.dataset.index = String(i);
      li.addEventListener("mouseenter", () => setActive([i]));
      li.addEventListener("mouseleave", () => updateCursor());

      const head = el("div", "finding-head");
      head.append(el("span", `badge sev-${f.severity}`, f.severity), el("code", "rule", f.rule));
      const go = el("button", "link excerpt", `“${f.excerpt}”`);
      go.type = "button";
      go.title = "Select it in the draft";
      go.setAttribute("aria-label", `Select “${f.excerpt}” in the draft`);
      go.addEventListener("click", () => selectFinding(i));
      head.append(go);
      li.append(head, el("p", "message", f.message));

      f.suggestions.forEach((s, j) => li.append(renderSuggestion(f, s, i, j)));
      li.append(renderWhy(f.rule));
      list.append(li);
    });
  }

  // what a suggestion's applicability means for the agent (models.Applicability.words)
  const APPLICABILITY = {
    safe: "safe to apply",
    unsafe: "review before sending",
    "display-only": "fill in the blanks",
  };

  function renderSuggestion(f, s, i, j) {
    const box = el("div", "suggestion");
    const head = el("div", "suggestion-head");
    const apply = el("button", "apply", "Apply");
    apply.type = "button";
    apply.setAttribute("aria-label", `Apply suggestion: ${s.description}`);
    apply.addEventListener("click", () => applySuggestion(i, j));
    head.append(apply, el("span", "desc", s.description), el("span", "applicability", APPLICABILITY[s.applicability] || s.applicability));
    const replacement = el("p", "replacement");
    const target = result.text.slice(s.js_start, s.js_end);
    if (s.js_start === s.js_end) replacement.append(el("span", "op", "insert "));
    else if (!s.replacement) replacement.append(el("span", "op", `delete “${target}”`));
    else replacement.append(el("span", "op", `replace “${target}” with `));
    replacement.append(withSlots(s.replacement));
    box.append(head, replacement);
    return box;
  }

  function renderWhy(ruleId) {
    const details = el("details", "why");
    details.append(el("summary", "", "Why?"));
    const body = el("div");
    details.append(body);
    details.addEventListener("toggle", async () => {
      if (!details.open || body.childElementCount) return;
      try {
        if (!rules.has(ruleId)) {
          const res = await fetch(`v1/rules/${encodeURIComponent(ruleId)}`);
          if (!res.ok) throw new Error(String(res.status));
          rules.set(ruleId, await res.json());
        }
        const rule = rules.get(ruleId);
        body.append(el("p", "", rule.why));
        for (const src of rule.source) body.append(el("p", "source", `Source: ${src.file}, “${src.heading}”`));
      } catch (err) {
        body.append(el("p", "", "Could not load the rule's explanation."));
      }
    });
    return details;
  }

  // -- applying --------------------------------------------------------------------------------

  function replaceRange(start, end, text) {
    const before = draft.value;
    const expected = before.slice(0, start) + text + before.slice(end);
    draft.focus();
    draft.setSelectionRange(start, end);
    let ok = false;
    try {
      ok = document.execCommand("insertText", false, text); // keeps the browser's undo (Ctrl+Z)
    } catch (err) {
      ok = false;
    }
    if (!ok || draft.value !== expected) {
      draft.value = expected;
      onDraftInput();
    }
  }

  function selectSlotOrEnd(from, text) {
    const slot = SLOT.exec(text);
    if (slot) draft.setSelectionRange(from + slot.index, from + slot.index + slot[0].length);
    else draft.setSelectionRange(from + text.length, from + text.length);
  }

  function applySuggestion(i, j) {
    if (!isFresh()) {
      checkNow();
      return;
    }
    const s = result.findings[i].suggestions[j];
    replaceRange(s.js_start, s.js_end, s.replacement);
    selectSlotOrEnd(s.js_start, s.replacement);
    say(SLOT.test(s.replacement) ? "Applied. Fill in the <slot> selected in the draft." : "Applied.");
    checkNow();
  }

  function applyAll() {
    if (!isFresh()) return;
    replaceRange(0, draft.value.length, result.rewritten);
    selectSlotOrEnd(0, result.rewritten);
    say("Applied every finding's first suggestion.");
    checkNow();
  }

  async function copy() {
    const text = draft.value;
    try {
      await navigator.clipboard.writeText(text);
      say("Copied the reply to the clipboard.");
    } catch (err) {
      draft.focus();
      draft.select();
      const ok = document.execCommand("copy");
      say(ok ? "Copied the reply to the clipboard." : "Press Ctrl+C to copy the selected reply.");
    }
  }

  // -- where the cursor or the mouse is --------------------------------------------------------

  function marksAt(pos) {
    return view.marks.filter((m) => m.start <= pos && pos <= m.end);
  }

  function setActive(indices) {
    const wanted = new Set(indices.map(String));
    for (const li of list.children) li.classList.toggle("active", wanted.has(li.dataset.index));
    highlightActive(wanted);
  }

  function highlightActive(wanted) {
    const active = wanted || new Set([...list.querySelectorAll("li.active")].map((li) => li.dataset.index));
    for (const mark of backdrop.querySelectorAll("mark")) {
      mark.classList.toggle("active", mark.dataset.findings.split(" ").some((k) => active.has(k)));
    }
  }

  function findingText(index) {
    const f = result && result.findings[index];
    return f ? `${f.rule} (${f.severity}): ${f.message}` : "";
  }

  function updateCursor() {
    const cursor = $("at-cursor");
    if (document.activeElement !== draft || draft.selectionStart !== draft.selectionEnd) {
      cursor.textContent = "";
      setActive([]);
      return;
    }
    const here = marksAt(draft.selectionStart);
    cursor.textContent = here.map((m) => findingText(m.index)).join(" · ");
    setActive(here.map((m) => m.index));
  }

  function selectFinding(i) {
    const m = view.marks.find((mark) => mark.index === i);
    if (!m) return;
    draft.focus();
    draft.setSelectionRange(m.start, m.end);
    setActive([i]);
    $("at-cursor").textContent = findingText(i);
  }

  function onPointer(event) {
    const hit = document
      .elementsFromPoint(event.clientX, event.clientY)
      .find((node) => node.matches && node.matches("#backdrop mark"));
    if (!hit) {
      tooltip.hidden = true;
      return;
    }
    const indices = hit.dataset.findings.split(" ").map(Number);
    tooltip.replaceChildren(
      ...indices.map((k) => {
        const f = result.findings[k];
        const p = el("p");
        p.append(el("code", "", f.rule), ` ${f.message}`);
        return p;
      }),
    );
    tooltip.hidden = false;
    const x = Math.min(event.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8);
    const y = event.clientY + 18 + tooltip.offsetHeight > window.innerHeight
      ? event.clientY - tooltip.offsetHeight - 10
      : event.clientY + 18;
    tooltip.style.left = `${Math.max(8, x)}px`;
    tooltip.style.top = `${y}px`;
  }

  // -- wiring ----------------------------------------------------------------------------------

  const EXAMPLE_CUSTOMER =
    "I was charged twice for my plan this month and nobody has answered my emails. 😡";
  const EXAMPLE_DRAFT =
    "Hi Sam,\n\nNope. Refunds take 5-10 business days, it's our policy. 🙂 " +
    "I've had a terrible week myself, so I get it.\n\nThanks,\nAlex";

  draft.addEventListener("input", onDraftInput);
  customer.addEventListener("input", () => {
    markStale();
    schedule();
  });
  for (const field of [draft, customer]) {
    field.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        checkNow();
      }
    });
  }
  for (const type of ["keyup", "click", "focus", "select", "blur"]) draft.addEventListener(type, updateCursor);
  draft.addEventListener("mousemove", onPointer);
  draft.addEventListener("mouseleave", () => (tooltip.hidden = true));
  checkButton.addEventListener("click", checkNow);
  applyAllButton.addEventListener("click", applyAll);
  $("copy").addEventListener("click", copy);
  live.addEventListener("change", () => live.checked && !isFresh() && schedule());
  $("example").addEventListener("click", () => {
    customer.value = EXAMPLE_CUSTOMER;
    draft.value = EXAMPLE_DRAFT;
    onDraftInput();
    checkNow();
  });
  window.addEventListener("resize", autogrow);

  view = { text: draft.value, marks: [] };
  autogrow();
  drawBackdrop();
  waitReady();
})();
