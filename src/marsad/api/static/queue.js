// The review queue: records no one reviewed yet, the least certain first, under the dashboard's filters.
// Keys (outside text fields): j/k next/previous, o or Enter open, a accept, r reject, e correct.
import { decide } from "./review.js";

const $ = (sel) => document.querySelector(sel);
let ctx = null;  // { t, label, countText, openRecord, changed }
let items = [];
let current = 0;

export function setupQueue(context) {
  ctx = context;
  document.addEventListener("keydown", onKey);
}

export async function loadQueue(query) {
  const box = $("#queue tbody");
  if (!box) return;
  try {
    const response = await fetch(`/api/review/queue?${query}&limit=10`);
    items = response.ok ? (await response.json()).items : [];
  } catch (_) {
    items = [];
  }
  current = Math.min(current, Math.max(0, items.length - 1));
  render();
}

function render() {
  const box = $("#queue tbody");
  box.replaceChildren();
  if (!items.length) {
    box.innerHTML = `<tr><td colspan="6" class="empty">${ctx.t("queue_empty")}</td></tr>`;
    return;
  }
  items.forEach((item, i) => {
    const row = document.createElement("tr");
    row.dataset.record = item.record_id;
    row.classList.toggle("selected", i === current);
    const place = item.location ? item.location.name || item.location.text || "" : "";
    const cells = [
      item.confidence === null || item.confidence === undefined ? "–" : item.confidence.toFixed(2),
      item.date || "", ctx.label("kinds", item.kind), ctx.label("actors", item.perpetrator), place, ctx.countText(item.killed),
    ];
    cells.forEach((text, n) => {
      const cell = document.createElement("td");
      if (n === cells.length - 1) cell.className = "num";
      cell.textContent = text;
      row.appendChild(cell);
    });
    row.addEventListener("click", () => { current = i; render(); ctx.openRecord(item.record_id); });
    box.appendChild(row);
  });
}

async function onKey(e) {
  if (!items.length || e.ctrlKey || e.metaKey || e.altKey || e.target.closest("input, select, textarea, button")) return;
  const item = items[current];
  if (e.key === "j" || e.key === "k") {
    current = Math.max(0, Math.min(items.length - 1, current + (e.key === "j" ? 1 : -1)));
    render();
  } else if (e.key === "o" || e.key === "Enter") {
    await ctx.openRecord(item.record_id);
  } else if (e.key === "a" || e.key === "r") {
    await decide(item, e.key === "a" ? "accept" : "reject", null);
  } else if (e.key === "e") {
    await ctx.openRecord(item.record_id);
    document.querySelector(`#sources li[data-record="${CSS.escape(item.record_id)}"] button[data-action="correct"]`)?.click();
  } else {
    return;
  }
  e.preventDefault();
}
