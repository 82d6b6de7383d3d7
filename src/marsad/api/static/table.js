// The events table's sorting (of the page shown) and its download (exactly the rows shown, as CSV).

const KEYS = {
  date: (e) => e.date || "",
  place: (e) => (e.location && (e.location.admin1 || e.location.name)) || "",
  event_type: (e) => e.event_type || "",
  perpetrator: (e) => e.perpetrator || "",
  victim: (e) => e.victim_group || "",
  killed: (e) => (e.killed ? e.killed.best ?? e.killed.low ?? -1 : -1),
  sources: (e) => e.n_sources || 0,
};

export function sortEvents(items, sort) {
  if (!sort || !KEYS[sort.key]) return items;
  const key = KEYS[sort.key];
  const sign = sort.dir === "desc" ? -1 : 1;
  return [...items].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return (x < y ? -1 : x > y ? 1 : 0) * sign;
  });
}

// Clicking a header sorts by it; again reverses. `apply` redraws the table.
export function bindSort(head, state, apply) {
  for (const th of head.querySelectorAll("th[data-sort]")) {
    th.addEventListener("click", () => {
      const key = th.dataset.sort;
      state.sort = state.sort && state.sort.key === key && state.sort.dir === "asc" ? { key, dir: "desc" } : { key, dir: "asc" };
      for (const other of head.querySelectorAll("th[data-sort]")) other.classList.remove("asc", "desc");
      th.classList.add(state.sort.dir);
      apply();
    });
  }
}

const COLUMNS = ["event_id", "date", "event_type", "sub_event_type", "perpetrator", "victim_group", "place", "admin1", "country",
  "lat", "lon", "killed_low", "killed_best", "killed_high", "wounded_low", "wounded_best", "wounded_high", "n_sources", "record_ids"];

function cell(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function eventsCsv(items) {
  const rows = [COLUMNS.join(",")];
  for (const e of items) {
    const loc = e.location || {};
    const k = e.killed || {};
    const w = e.wounded || {};
    const values = [e.event_id, e.date, e.event_type, e.sub_event_type, e.perpetrator, e.victim_group, loc.name || loc.text,
      loc.admin1, loc.country, loc.lat, loc.lon, k.low, k.best, k.high, w.low, w.best, w.high, e.n_sources,
      (e.sources || []).map((s) => s.record_id).join(" ")];
    rows.push(values.map(cell).join(","));
  }
  return rows.join("\n") + "\n";
}

export function download(name, text) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
