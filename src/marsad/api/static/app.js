// The dashboard: filters shared by every view and mirrored in the URL, so a view can be shared.
import { captureToken } from "./auth.js";
import { drawOutlines, drawPoints, drawTimeline, zoomTo } from "./charts.js";
import { renderCompare } from "./compare.js";
import { renderSources } from "./sources.js";
import { decorateDocument, decorateRecord, setupReview, userBox } from "./review.js";
import { loadQueue, setupQueue } from "./queue.js";
import { bindSort, download, eventsCsv, sortEvents } from "./table.js";

const FILTERS = ["since", "until", "country", "admin1", "perpetrator", "victim", "event_type", "text"];
// Filters that take several values (comma-joined in the URL and the API, as on the command line).
const MULTI = ["country", "admin1", "perpetrator", "victim", "event_type"];
const PAGE_SIZE = 25;
const TALLY_PAGE = 20;
const $ = (sel) => document.querySelector(sel);

captureToken(); // before readUrl and writeUrl rewrite the address
const state = { filters: {}, lang: "en", bucket: "day", page: 0, event: null, drawer: null, sort: null, tallyPage: 0, ref: null };
let references = [];
let dict = null;
let vocabulary = null;
const last = {};

export const t = (key) => (dict.ui[key] ? dict.ui[key][state.lang] : key);
export function label(group, id) {
  if (id === null || id === undefined || id === "") return "";
  if (group === "admin1") return state.lang === "ar" ? dict.admin1[id] || id : id;
  const entry = dict[group] && dict[group][id];
  return entry ? entry[state.lang] : id;
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  state.filters = {};
  for (const key of FILTERS) if (params.get(key)) state.filters[key] = params.get(key);
  state.lang = params.get("lang") === "ar" ? "ar" : "en";
  state.bucket = params.get("bucket") === "week" ? "week" : "day";
  state.page = Math.max(0, parseInt(params.get("page") || "0", 10) || 0);
  state.event = params.get("event");
  state.ref = params.get("ref");
}

function writeUrl(push) {
  const params = new URLSearchParams(state.filters);
  if (state.lang !== "en") params.set("lang", state.lang);
  if (state.bucket !== "day") params.set("bucket", state.bucket);
  if (state.page) params.set("page", state.page);
  if (state.event) params.set("event", state.event);
  if (state.ref && references.length && state.ref !== references[0].name) params.set("ref", state.ref);
  const url = `${location.pathname}${params.toString() ? "?" + params : ""}`;
  history[push ? "pushState" : "replaceState"](null, "", url);
}

function apiQuery(extra = {}) {
  return new URLSearchParams({ ...state.filters, ...extra }).toString();
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = JSON.stringify((await response.json()).detail); } catch (_) { /* not JSON */ }
    throw new Error(`${response.status} ${detail}`);
  }
  return response.json();
}

function option(value, text) {
  const node = document.createElement("option");
  node.value = value;
  node.textContent = text;
  return node;
}

function fillSelects() {
  const form = $("#filters");
  const choices = {
    country: [...new Set(vocabulary.admin1.map((a) => a.country).filter(Boolean))].concat(["SY", "IQ"]),
    admin1: vocabulary.admin1.map((a) => a.admin1),
    perpetrator: vocabulary.actors,
    victim: vocabulary.actors,
    event_type: vocabulary.event_types,
  };
  const groups = { country: "countries", admin1: "admin1", perpetrator: "actors", victim: "actors", event_type: "event_types" };
  for (const [name, values] of Object.entries(choices)) {
    const select = form.elements[name];
    select.replaceChildren();
    for (const value of [...new Set(values)]) select.appendChild(option(value, label(groups[name], value)));
    // A shared URL may name a value this store lacks: keep it selectable rather than drop it silently.
    for (const wanted of (state.filters[name] || "").split(",").filter(Boolean)) {
      if (!values.includes(wanted)) select.appendChild(option(wanted, label(groups[name], wanted)));
    }
  }
}

function formToState() {
  const form = $("#filters");
  state.filters = {};
  for (const key of FILTERS) {
    const input = form.elements[key];
    const value = MULTI.includes(key) ? [...input.selectedOptions].map((o) => o.value).join(",") : input.value.trim();
    if (value) state.filters[key] = value;
  }
}

function stateToForm() {
  const form = $("#filters");
  for (const key of FILTERS) {
    const input = form.elements[key];
    if (!MULTI.includes(key)) { input.value = state.filters[key] || ""; continue; }
    const wanted = new Set((state.filters[key] || "").split(",").filter(Boolean));
    for (const opt of input.options) opt.selected = wanted.has(opt.value);
  }
  $("#bucket").value = state.bucket;
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.documentElement.dir = state.lang === "ar" ? "rtl" : "ltr";
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  document.title = t("title");
  fillSelects();
  stateToForm();
}

// Figures and date ranges read left to right inside Arabic text too ("6–1,600", "2018-02-15 → …").
const ltr = (html) => `<bdi dir="ltr">${html}</bdi>`;

// One formatter per language: toLocaleString builds one per call, 200 ms over the map's 2,000 places.
const formats = {};

function fmt(n) {
  if (n === null || n === undefined) return "–";
  formats[state.lang] ||= new Intl.NumberFormat(state.lang === "ar" ? "ar-u-nu-latn" : "en-US");
  return formats[state.lang].format(Number(n));
}

export function countText(count) {
  if (!count) return "–";
  const { low, best, high } = count;
  if (best !== null && best !== undefined) {
    const range = low !== null && low !== best ? `${fmt(low)}–` : "";
    return `${range}${fmt(best)}${high !== null && high !== undefined && high !== best ? `–${fmt(high)}` : ""}`;
  }
  if (low !== null && low !== undefined) return high ? `${fmt(low)}–${fmt(high)}` : `≥${fmt(low)}`;
  return high ? `≤${fmt(high)}` : "–";
}

function placeText(location) {
  if (!location) return "";
  const admin1 = label("admin1", location.admin1);
  const name = state.lang === "ar" ? location.text || location.name : location.name || location.text;
  return [name, admin1].filter((v, i, a) => v && a.indexOf(v) === i).join(", ");
}

function renderMap() {
  const points = last.map ? last.map.points : [];
  drawPoints($("#map"), points,
    (p) => `${label("admin1", p.admin1) || ""} ${fmt(p.killed_best)} ${t("killed")} (${fmt(p.count)} ${t(last.map.basis === "events" ? "events_unit" : "incidents")})`,
    (p) => { if (p.admin1) { state.filters.admin1 = p.admin1; refresh(true); } });
  // Zoom to the filter's places when a filter narrows where (or what); the whole region otherwise.
  zoomTo($("#map"), points, Object.keys(state.filters).length > 0);
  unsummedNote($("#map-unsummed"), last.map);
}

function renderTimeline() {
  const unsummed = unsummedNote($("#timeline-unsummed"), last.timeline);
  drawTimeline($("#timeline"), last.timeline ? last.timeline.points : [], state.bucket,
    { empty: unsummed ? "" : t("no_data"), killed: t("killed"), low: t("low"), high: t("high") });
}

// A common word is not summed over events (the API's `unsummed`): say so rather than draw nothing.
function unsummedNote(box, data) {
  box.hidden = !(data && data.unsummed);
  box.textContent = box.hidden ? "" : t("unsummed");
  return !box.hidden;
}

function renderTally() {
  const box = $("#tally");
  const data = last.tallies;
  if (!data) return;
  const unit = data.basis === "events" ? t("events_unit") : t("incidents");
  const rows = [
    `<div class="sum" data-testid="tally-sum"><span></span><span>${t("low")}</span><span>${t("best")}</span><span>${t("high")}</span>`,
    `<span>${t("killed")}</span><b data-testid="sum-killed-low">${fmt(data.killed_low)}</b><b data-testid="sum-killed-best">${fmt(data.killed_best)}</b><b>${fmt(data.killed_high)}</b></div>`,
    `<p class="muted">${t("sum")}: <span data-testid="sum-count">${fmt(data.events)}</span> ${unit}</p>`,
  ];
  if (data.unsummed) rows.push(`<p class="flag" data-testid="unsummed">${t("unsummed")}</p>`);
  if (!data.tallies.length) {
    rows.push(`<p class="muted" data-testid="no-tally">${t("no_tally")}</p>`);
  } else {
    const more = data.tallies_total > data.tallies.length ? ` (${fmt(data.tallies.length)} ${t("of")} ${fmt(data.tallies_total)})` : "";
    rows.push(`<p class="muted">${t("reported")}${more}</p><table data-testid="tallies"><thead><tr><th>${t("period")}</th><th>${t("regions")}</th>` +
      `<th>${t("victim")}</th><th class="num">${t("reported_figure")}</th><th class="num">${t("ours")}</th>` +
      `<th class="num">${t("difference")}</th><th>${t("coverage")}</th><th>${t("source")}</th></tr></thead><tbody>`);
    for (const r of data.tallies) {
      const regions = (r.regions || []).map((g) => label("admin1", g)).filter(Boolean).join("، ");
      const diff = r.difference;
      const cls = diff > 0 ? "pos" : diff < 0 ? "neg" : "";
      rows.push(`<tr data-record="${esc(r.record_id)}"><td>${ltr(`${esc(r.period_start || "…")} → ${esc(r.period_end || t("report_date"))}`)}</td><td>${esc(regions)}</td>` +
        `<td>${esc(label("actors", r.victim_group))}</td><td class="num">${ltr(countText(r.reported))}</td>` +
        `<td class="num">${r.events_in_period === null ? "–" : fmt(r.events_in_period)}</td>` +
        `<td class="num ${cls}">${ltr(diff === null ? "–" : (diff > 0 ? "+" : "") + fmt(diff))}</td><td>${esc(r.coverage ? t(r.coverage) : "")}</td>` +
        `<td><a href="#" data-doc="${esc(r.doc_id)}" data-record="${esc(r.record_id)}">${esc(r.source || r.doc_id)}</a></td></tr>`);
    }
    rows.push("</tbody></table>");
  }
  for (const flag of data.headline_flags || []) {
    rows.push(`<p class="flag">${t("headline_flag")}: ${esc(flag.record_id)} (${fmt(flag.headline)} ≠ ${fmt(flag.body)})</p>`);
  }
  for (const series of (data.series || []).filter((x) => x.decreases)) {
    rows.push(`<p class="flag">${t("series_flag")}: ${esc(series.source)} ${series.points.map((p) => fmt(p.killed)).join(" → ")}</p>`);
  }
  box.innerHTML = rows.join("");
  const pages = Math.max(1, Math.ceil((data.tallies_total || 0) / TALLY_PAGE));
  $("#tally-page").textContent = `${fmt(state.tallyPage + 1)} ${t("of")} ${fmt(pages)}`;
  $("#tally-prev").disabled = state.tallyPage <= 0;
  $("#tally-next").disabled = state.tallyPage + 1 >= pages;
  for (const link of box.querySelectorAll("a[data-doc]")) {
    link.addEventListener("click", (e) => {
      e.preventDefault();
      openSources({ event_id: link.dataset.record, sources: [{ record_id: link.dataset.record, doc_id: link.dataset.doc }] });
    });
  }
}

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function renderEvents() {
  const body = $("#events tbody");
  const data = last.events;
  if (!data) return;
  body.replaceChildren();
  // A filtered count stops at the store's cap (total_exact false): shown as a lower bound.
  const plus = data.total_exact === false ? "+" : "";
  $("#events-count").textContent = `(${fmt(data.total)}${plus})`;
  if (!data.items.length) {
    body.innerHTML = `<tr><td colspan="7" class="empty">${t("no_data")}</td></tr>`;
  }
  for (const ev of sortEvents(data.items, state.sort)) {
    const row = document.createElement("tr");
    row.dataset.event = ev.event_id;
    const victims = [ev.victim_group, ...(ev.victims || []).map((v) => v.group)].filter((v, i, a) => a.indexOf(v) === i);
    row.innerHTML = `<td>${esc(ev.date || "")}</td><td>${esc(placeText(ev.location))}</td><td>${esc(label("event_types", ev.event_type))}</td>` +
      `<td>${esc(label("actors", ev.perpetrator))}</td><td>${esc(victims.map((v) => label("actors", v)).join("، "))}</td>` +
      `<td class="num">${ltr(countText(ev.killed))}</td><td class="num">${ev.n_sources || ev.sources.length}</td>`;
    row.addEventListener("click", () => openSources(ev, true));
    body.appendChild(row);
  }
  const pages = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
  $("#page-info").textContent = `${fmt(state.page + 1)} ${t("of")} ${fmt(pages)}${plus}`;
  $("#prev").disabled = state.page <= 0;
  $("#next").disabled = plus ? !data.next : state.page + 1 >= pages;
}

async function openSources(ev, push) {
  state.event = ev.event_id;
  writeUrl(push);
  for (const row of document.querySelectorAll("#events tbody tr")) row.classList.toggle("selected", row.dataset.event === ev.event_id);
  const panel = $("#sources");
  panel.hidden = false;
  const body = $("#sources-body");
  body.textContent = t("loading");
  state.drawer = { docIds: [...new Set(ev.sources.map((s) => s.doc_id))], primary: new Set(ev.sources.map((s) => s.record_id)) };
  await renderDrawer();
  panel.dataset.loaded = ev.event_id;
}

export async function openRecord(recordId) {
  const docId = recordId.slice(0, recordId.lastIndexOf(":"));
  await openSources({ event_id: recordId, sources: [{ record_id: recordId, doc_id: docId }] }, true);
}

async function renderDrawer() {
  const body = $("#sources-body");
  try {
    const docs = await Promise.all(state.drawer.docIds.map((id) => getJson(`/api/documents/${encodeURIComponent(id)}`)));
    renderSources(body, docs, state.drawer.primary, { t, label, countText, decorateRecord, decorateDocument });
    $("#sources").dataset.version = String(Number($("#sources").dataset.version || 0) + 1);
  } catch (err) {
    body.textContent = `${t("error")}: ${err.message}`;
  }
}

// After an analyst's decision: every view again, and the drawer with the record as it now stands.
async function changed(addedId) {
  if (addedId && state.drawer) state.drawer.primary.add(addedId);
  await Promise.all([refresh(), state.drawer ? renderDrawer() : null]);
}

function closeSources() {
  $("#sources").hidden = true;
  state.event = null;
  state.drawer = null;
  writeUrl(false);
}

// Reported tallies are paged on their own: the sum above them does not change.
function pageTallies(step) {
  const total = last.tallies ? last.tallies.tallies_total : 0;
  state.tallyPage = Math.max(0, Math.min(Math.ceil(total / TALLY_PAGE) - 1, state.tallyPage + step));
  loadView("tallies", `/api/tallies?${apiQuery({ limit: TALLY_PAGE, offset: state.tallyPage * TALLY_PAGE })}`, renderTally);
}

// Requests started before their view is drawn (the first view's, beside the vocabulary and outlines).
const early = new Map();

function prefetch(urls) {
  for (const url of urls) {
    const pending = getJson(url);
    pending.catch(() => {}); // loadView reports it
    early.set(url, pending);
  }
}

function viewUrls() {
  return {
    map: `/api/map?${apiQuery()}`,
    timeline: `/api/timeline?${apiQuery({ bucket: state.bucket })}`,
    tallies: `/api/tallies?${apiQuery({ limit: TALLY_PAGE, offset: state.tallyPage * TALLY_PAGE })}`,
    events: `/api/events?${apiQuery({ limit: PAGE_SIZE, offset: state.page * PAGE_SIZE })}`,
  };
}

async function loadView(key, url, render) {
  const pending = early.get(url);
  early.delete(url);
  try {
    last[key] = await (pending || getJson(url));
  } catch (err) {
    last[key] = null;
    console.error(key, err);
  }
  render();
}

function renderComparison() {
  renderCompare($("#compare"), last.compare, { t, fmt, label, esc, ltr });
}

// The compare panel shows only when the store holds a reference dataset (`marsad reference import`).
function setupCompare() {
  $("#compare-panel").hidden = !references.length;
  if (!references.length) return;
  const select = $("#reference");
  select.replaceChildren(...references.map((r) => option(r.name, `${r.name} (${r.kind})`)));
  if (!references.some((r) => r.name === state.ref)) state.ref = references[0].name;
  select.value = state.ref;
}

function compareView() {
  if (!state.ref) return null;
  return loadView("compare", `/api/compare?${apiQuery({ with: state.ref })}`, renderComparison);
}

export async function refresh(push) {
  if (push !== undefined) writeUrl(push);
  stateToForm();
  document.body.dataset.ready = "0";
  const urls = viewUrls();
  await Promise.all([
    loadView("map", urls.map, renderMap),
    loadView("timeline", urls.timeline, renderTimeline),
    loadView("tallies", urls.tallies, renderTally),
    loadView("events", urls.events, renderEvents),
    loadQueue(apiQuery()),
    compareView(),
  ]);
  document.body.dataset.ready = "1";
}

function bind() {
  $("#filters").addEventListener("submit", (e) => {
    e.preventDefault();
    formToState();
    state.page = 0;
    state.tallyPage = 0;
    refresh(true);
  });
  $("#reset").addEventListener("click", () => {
    state.filters = {};
    state.page = 0;
    refresh(true);
  });
  $("#bucket").addEventListener("change", (e) => {
    state.bucket = e.target.value;
    writeUrl(false);
    loadView("timeline", `/api/timeline?${apiQuery({ bucket: state.bucket })}`, renderTimeline);
  });
  $("#prev").addEventListener("click", () => { state.page = Math.max(0, state.page - 1); refresh(true); });
  $("#next").addEventListener("click", () => { state.page += 1; refresh(true); });
  $("#lang-toggle").addEventListener("click", () => {
    state.lang = state.lang === "ar" ? "en" : "ar";
    writeUrl(false);
    applyLanguage();
    renderMap(); renderTimeline(); renderTally(); renderEvents();
    if (state.ref) renderComparison();
  });
  $("#close-sources").addEventListener("click", closeSources);
  bindSort($("#events thead"), state, renderEvents);
  $("#download").addEventListener("click", () => {
    if (last.events) download("marsad-events.csv", eventsCsv(sortEvents(last.events.items, state.sort)));
  });
  $("#tally-prev").addEventListener("click", () => pageTallies(-1));
  $("#tally-next").addEventListener("click", () => pageTallies(1));
  $("#reference").addEventListener("change", (e) => {
    state.ref = e.target.value;
    writeUrl(false);
    compareView();
  });
  window.addEventListener("popstate", () => { readUrl(); applyLanguage(); refresh(); });
}

async function main() {
  readUrl();
  prefetch(Object.values(viewUrls())); // they need nothing below, only their drawing does
  const [i18n, vocab, outlines, refs] = await Promise.all([
    getJson("/static/i18n.json"), getJson("/api/vocabulary"), getJson("/api/outlines"), getJson("/api/references"),
  ]);
  dict = i18n;
  vocabulary = vocab;
  setupReview({ t, label, vocabulary, changed });
  setupQueue({ t, label, countText, openRecord, changed });
  $(".sources-head").after(userBox());
  references = refs;
  setupCompare();
  applyLanguage();
  drawOutlines($("#map"), outlines);
  bind();
  await refresh();
  if (state.event) {
    try { openSources(await getJson(`/api/events/${encodeURIComponent(state.event)}`)); } catch (_) { state.event = null; }
  }
}

main();
