// A report's own text with the evidence spans of the chosen event marked, in the report's direction.

function segments(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    out.push({ a, b, covering });
  }
  return out;
}

function markedText(doc, primary) {
  const node = document.createElement("div");
  node.className = "report";
  node.dir = doc.direction;
  node.lang = doc.lang;
  node.dataset.testid = "report-text";
  const text = doc.text;
  const spans = doc.evidence.filter((s) => s.start >= 0 && s.end <= text.length && s.start < s.end);
  for (const seg of segments(text, spans)) {
    const piece = text.slice(seg.a, seg.b);
    if (!seg.covering.length) { node.appendChild(document.createTextNode(piece)); continue; }
    const mark = document.createElement("mark");
    const mine = seg.covering.filter((s) => primary.has(s.record_id));
    if (!mine.length) mark.className = "other";
    const roles = [...new Set((mine.length ? mine : seg.covering).map((s) => s.role).filter(Boolean))];
    mark.title = [...new Set(seg.covering.map((s) => s.record_id))].join(" ") + (roles.length ? ` (${roles.join(", ")})` : "");
    mark.dataset.records = [...new Set(seg.covering.map((s) => s.record_id))].join(" ");
    mark.textContent = piece;
    node.appendChild(mark);
  }
  return node;
}

export function renderSources(container, docs, primary, { t, label, countText, decorateRecord, decorateDocument }) {
  container.replaceChildren();
  for (const doc of docs) {
    const box = document.createElement("article");
    box.className = "source";
    box.dataset.doc = doc.doc_id;
    const title = document.createElement("h3");
    title.dir = doc.direction;
    title.textContent = doc.title || doc.doc_id;
    const meta = document.createElement("p");
    meta.className = "muted";
    meta.textContent = [doc.outlet, doc.published, doc.doc_id].filter(Boolean).join(" · ");
    if (doc.url && /^https?:\/\//.test(doc.url)) {
      const link = document.createElement("a");
      link.href = doc.url;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      link.textContent = ` ${t("open_report")}`;
      meta.appendChild(link);
    }
    const list = document.createElement("ul");
    for (const r of doc.records.filter((r) => primary.has(r.record_id))) {
      const item = document.createElement("li");
      item.dataset.record = r.record_id;
      item.textContent = [r.date, label("event_types", r.event_type), label("actors", r.perpetrator),
        `${t("killed")} (${t("range")}): ${countText(r.killed)}`, `${t("wounded")}: ${countText(r.wounded)}`].filter(Boolean).join(" · ");
      list.appendChild(item);
      if (decorateRecord) decorateRecord(item, r);
    }
    box.append(title, meta, list, markedText(doc, primary));
    container.appendChild(box);
    if (decorateDocument) decorateDocument(box, doc);
  }
}
