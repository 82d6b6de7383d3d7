// The compare panel: marsad's events against a reference dataset (UCDP, ACLED) for the current filters,
// by month and governorate (GET /api/compare, the same comparison as `marsad compare`).

export function renderCompare(box, data, h) {
  if (!data) { box.textContent = h.t("no_data"); return; }
  const diff = data.deaths_difference;
  const rows = [
    `<p data-testid="compare-totals"><b>${h.t("matched")}</b>: <span data-testid="compare-matched">${h.fmt(data.matched)}</span>` +
      ` (${h.fmt(data.matched_reference)} ${h.esc(data.with)}) · ${h.t("deaths_marsad")} ${h.fmt(data.marsad_deaths_matched)}` +
      ` · ${h.t("deaths_reference")} ${h.fmt(data.reference_deaths_matched)}` +
      ` <span class="${diff > 0 ? "pos" : diff < 0 ? "neg" : ""}">${h.ltr((diff > 0 ? "+" : "") + h.fmt(diff))}</span><br>` +
      `<b>${h.t("only_marsad")}</b>: <span data-testid="compare-only-marsad">${h.fmt(data.only_marsad)}</span> · ` +
      `<b>${h.t("only_reference")}</b>: <span data-testid="compare-only-reference">${h.fmt(data.only_reference)}</span></p>`,
    `<p class="muted">${h.ltr(`${h.esc(data.since || "…")} → ${h.esc(data.until || "…")}`)} · ${h.t("out_of_scope")}: ${h.fmt(data.marsad_out_of_scope)}</p>`,
    `<table data-testid="compare-table"><thead><tr><th>${h.t("month")}</th><th>${h.t("admin1")}</th>` +
      `<th class="num">${h.t("matched")}</th><th class="num">${h.t("deaths_marsad")}</th><th class="num">${h.t("deaths_reference")}</th>` +
      `<th class="num">${h.t("compare_difference")}</th><th class="num">${h.t("only_marsad")}</th><th class="num">${h.t("only_reference")}</th></tr></thead><tbody>`,
  ];
  for (const r of data.by_month_admin1) {
    const d = r.deaths_difference;
    rows.push(`<tr><td>${h.ltr(h.esc(r.month))}</td><td>${h.esc(h.label("admin1", r.admin1) || "?")}</td>` +
      `<td class="num">${h.fmt(r.matched)}</td><td class="num">${h.fmt(r.marsad_deaths_matched)}</td>` +
      `<td class="num">${h.fmt(r.reference_deaths_matched)}</td>` +
      `<td class="num ${d > 0 ? "pos" : d < 0 ? "neg" : ""}">${r.matched ? h.ltr((d > 0 ? "+" : "") + h.fmt(d)) : ""}</td>` +
      `<td class="num">${r.only_marsad ? `${h.fmt(r.only_marsad)} (${h.fmt(r.only_marsad_deaths)})` : ""}</td>` +
      `<td class="num">${r.only_reference ? `${h.fmt(r.only_reference)} (${h.fmt(r.only_reference_deaths)})` : ""}</td></tr>`);
  }
  rows.push("</tbody></table>");
  box.innerHTML = rows.join("");
}
