import { writeFetch } from "./auth.js";
// Analyst review in the source drawer: accept, correct or reject a record, add one the machine missed
// from a selection in the report's text, and each record's history (the audit log). Writes go to the
// same /api routes as `marsad review`; after each, the dashboard reloads so every view shows the change.

const COUNT_FIELDS = ["killed", "wounded"];
const BOUNDS = ["low", "best", "high"];
const USER_KEY = "marsad-user";

let ctx = null;  // { t, label, vocabulary, changed }

export function setupReview(context) {
  ctx = context;
}

export const currentUser = () => localStorage.getItem(USER_KEY) || "";

async function send(url, body) {
  const response = await writeFetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: currentUser() || null, ...body }),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail));
  return data;
}

function node(tag, attrs = {}, text) {
  const n = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) n.setAttribute(key, value);
  }
  if (text !== undefined) n.textContent = text;
  return n;
}

function select(name, values, group, current, allowEmpty) {
  const box = node("select", { name });
  if (allowEmpty) box.appendChild(node("option", { value: "" }, "–"));
  for (const value of values) {
    const opt = node("option", { value }, ctx.label(group, value));
    if (value === current) opt.selected = true;
    box.appendChild(opt);
  }
  return box;
}

function field(labelKey, input) {
  const wrap = node("label");
  wrap.append(node("span", {}, ctx.t(labelKey)), input);
  return wrap;
}

// The form's fields, filled from a record (or empty for a new one).
function recordForm(record) {
  const form = node("form", { class: "review-form", "data-testid": "review-form" });
  const v = ctx.vocabulary;
  form.append(
    field("kind", select("kind", v.kinds, "kinds", record.kind || "incident")),
    field("event_type", select("event_type", v.event_types, "event_types", record.event_type, true)),
    field("perpetrator", select("perpetrator", v.actors, "actors", record.perpetrator || "unknown")),
    field("victim", select("victim_group", v.actors, "actors", record.victim_group || "unknown")),
    field("date", node("input", { type: "date", name: "date", value: record.date || "" })),
  );
  for (const name of COUNT_FIELDS) {
    const count = record[name] || {};
    const row = node("fieldset", { class: "counts" });
    row.appendChild(node("legend", {}, ctx.t(name)));
    for (const bound of BOUNDS) {
      const input = node("input", { type: "number", min: "0", step: "1", name: `${name}.${bound}`, value: count[bound] ?? "" });
      row.appendChild(field(bound, input));
    }
    form.appendChild(row);
  }
  const place = record.location ? record.location.text || record.location.name || "" : "";
  const placeInput = node("input", { name: "place", value: place, "data-original": place });
  const found = node("span", { class: "hint place-found", "data-testid": "place-found" });
  placeInput.addEventListener("input", () => lookUp(placeInput.value, found));
  form.append(
    field("place", placeInput),
    found,
    field("reason", node("input", { name: "reason", required: "", maxlength: "2000" })),
  );
  const buttons = node("div", { class: "review-buttons" });
  buttons.append(node("button", { type: "submit", "data-testid": "review-save" }, ctx.t("save")),
    node("button", { type: "button", class: "cancel" }, ctx.t("cancel")));
  form.append(buttons, node("p", { class: "review-error", role: "alert" }));
  return form;
}

let lookUpTimer = null;

// The place the gazetteer finds for what the analyst types (what saving will store), as they type.
function lookUp(text, out) {
  clearTimeout(lookUpTimer);
  lookUpTimer = setTimeout(async () => {
    if (text.trim().length < 2) { out.textContent = ""; return; }
    const data = await (await fetch(`/api/places?q=${encodeURIComponent(text.trim())}`)).json();
    const hit = (data.items || [])[0];
    out.textContent = hit ? `→ ${[hit.name, ctx.label("admin1", hit.admin1), hit.country].filter(Boolean).join(", ")}` : `→ ${ctx.t("no_place")}`;
  }, 250);
}

// Only what the analyst changed, as field paths: {"killed.best": 5, "perpetrator": "isis"}.
function changes(form, record) {
  const found = {};
  for (const name of ["kind", "event_type", "perpetrator", "victim_group", "date"]) {
    const value = form.elements[name].value || null;
    if (value !== (record[name] ?? null)) found[name] = value;
  }
  for (const name of COUNT_FIELDS) {
    for (const bound of BOUNDS) {
      const raw = form.elements[`${name}.${bound}`].value;
      const value = raw === "" ? null : Number(raw);
      if (value !== ((record[name] || {})[bound] ?? null)) found[`${name}.${bound}`] = value;
    }
  }
  const place = form.elements.place;
  if (place.value.trim() !== place.dataset.original) found.place = place.value.trim();
  return found;
}

function fail(form, err) {
  form.querySelector(".review-error").textContent = `${ctx.t("error")}: ${err.message}`;
}

export function openCorrection(item, record) {
  item.querySelector(".review-form")?.remove();
  const form = recordForm(record);
  form.querySelector(".cancel").addEventListener("click", () => form.remove());
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const set = changes(form, record);
    if (!Object.keys(set).length) { form.remove(); return; }
    try {
      await send(`/api/records/${encodeURIComponent(record.record_id)}/correct`, { set, reason: form.elements.reason.value });
      await ctx.changed();
    } catch (err) { fail(form, err); }
  });
  item.appendChild(form);
  form.elements["killed.best"].focus();
}

export async function decide(record, action, reason) {
  await send(`/api/records/${encodeURIComponent(record.record_id)}/${action}`, { reason: reason || null });
  await ctx.changed();
}

async function history(list, recordId) {
  const data = await (await fetch(`/api/review/log?record_id=${encodeURIComponent(recordId)}`)).json();
  list.replaceChildren();
  for (const entry of data.items || []) {
    const changed = Object.entries(entry.changes || {}).map(([path, [a, b]]) => `${path}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
    const undo = entry.action !== "flag" ? node("button", { type: "button", class: "undo", "data-change": entry.change_id }, ctx.t("undo")) : null;
    const li = node("li", { "data-change": entry.change_id },
      `#${entry.change_id} ${entry.at.slice(0, 16).replace("T", " ")} ${entry.user} · ${ctx.t(entry.action)}` +
      `${entry.reason ? ` · “${entry.reason}”` : ""}${changed.length ? ` · ${changed.join("; ")}` : ""} `);
    if (undo) {
      undo.addEventListener("click", async () => {
        try { await send(`/api/review/undo/${entry.change_id}`, { reason: null }); await ctx.changed(); } catch (err) { li.append(` ${err.message}`); }
      });
      li.appendChild(undo);
    }
    list.appendChild(li);
  }
  list.closest("details").hidden = !list.children.length;
}

// The review controls under one record of the drawer.
export function decorateRecord(item, record) {
  if (record.review) {
    item.classList.add(`review-${record.review}`);
    item.prepend(node("span", { class: `badge ${record.review}`, "data-testid": "review-status" }, ctx.t(record.review)));
  }
  const bar = node("div", { class: "review-actions" });
  const reason = node("input", { class: "reason", name: "reason", placeholder: ctx.t("reason"), maxlength: "2000" });
  for (const action of ["accept", "correct", "reject"]) {
    const button = node("button", { type: "button", "data-action": action }, ctx.t(action));
    button.addEventListener("click", async () => {
      if (action === "correct") { openCorrection(item, record); return; }
      try { await decide(record, action, reason.value); } catch (err) { bar.append(` ${ctx.t("error")}: ${err.message}`); }
    });
    bar.appendChild(button);
  }
  bar.appendChild(reason);
  const log = node("details", { class: "review-log", hidden: "" });
  const list = node("ul", { "data-testid": "review-log" });
  log.append(node("summary", {}, ctx.t("history")), list);
  item.append(bar, log);
  history(list, record.record_id).catch(() => {});
}

// Character offsets of the selection inside the report's text node (the text evidence offsets index).
function selectionSpan(report) {
  const sel = window.getSelection();
  if (!sel.rangeCount || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!report.contains(range.startContainer) || !report.contains(range.endContainer)) return null;
  const before = document.createRange();
  before.setStart(report, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const start = before.toString().length;
  return { start, end: start + range.toString().length };
}

// "Add a record the machine missed": select its evidence in the report, then fill in the record.
export function decorateDocument(box, doc) {
  const button = node("button", { type: "button", class: "add-record", "data-testid": "add-record" }, ctx.t("add_record"));
  button.addEventListener("click", () => {
    const report = box.querySelector(".report");
    const span = selectionSpan(report);
    box.querySelector(".review-form")?.remove();
    if (!span) { button.title = ctx.t("select_evidence"); button.nextSibling?.remove?.(); button.after(node("span", { class: "hint" }, ctx.t("select_evidence"))); return; }
    const form = recordForm({ kind: "incident" });
    form.prepend(node("p", { class: "hint" }, `“${doc.text.slice(span.start, span.end)}”`));
    form.querySelector(".cancel").addEventListener("click", () => form.remove());
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const record = { evidence: [{ ...span, role: "count" }] };
      for (const [path, value] of Object.entries(changes(form, {}))) {
        if (path === "place") continue;
        const [head, bound] = path.split(".");
        if (bound) { record[head] = record[head] || { low: null, best: null, high: null }; record[head][bound] = value; } else record[head] = value;
      }
      try {
        const added = await send(`/api/documents/${encodeURIComponent(doc.doc_id)}/records`, { record, reason: form.elements.reason.value });
        const place = form.elements.place.value.trim();
        if (place) await send(`/api/records/${encodeURIComponent(added.record.record_id)}/correct`, { set: { place }, reason: form.elements.reason.value });
        await ctx.changed(added.record.record_id);
      } catch (err) { fail(form, err); }
    });
    button.after(form);
  });
  box.querySelector("h3").after(button);
}

export function userBox() {
  const input = node("input", { id: "review-user", name: "user", value: currentUser(), placeholder: ctx.t("user"), maxlength: "100", "data-testid": "review-user" });
  input.addEventListener("change", () => localStorage.setItem(USER_KEY, input.value.trim()));
  return field("user", input);
}
