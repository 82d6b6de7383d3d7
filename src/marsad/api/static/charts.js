// Map and timeline as plain SVG: no tiles, no chart library.
const SVG = "http://www.w3.org/2000/svg";

export function el(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// Syria and Iraq with a margin; equirectangular, x shrunk by cos(mid latitude) so shapes look right.
const BOX = { west: 35.0, east: 48.9, south: 29.0, north: 37.6 };
const COS = Math.cos(((BOX.south + BOX.north) / 2) * Math.PI / 180);
const MAP_W = 1000;
const SCALE = MAP_W / ((BOX.east - BOX.west) * COS);
const MAP_H = Math.round((BOX.north - BOX.south) * SCALE);

function project([lon, lat]) {
  return [((lon - BOX.west) * COS * SCALE).toFixed(1), ((BOX.north - lat) * SCALE).toFixed(1)];
}

function ringPath(ring) {
  return "M" + ring.map((p) => project(p).join(",")).join("L") + "Z";
}

function geometryPath(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  return polygons.map((poly) => poly.map(ringPath).join("")).join("");
}

let outlineLayer = null;

export function drawOutlines(svg, collection) {
  svg.setAttribute("viewBox", `0 0 ${MAP_W} ${MAP_H}`);
  svg.replaceChildren();
  outlineLayer = el("g", { class: "outlines" });
  for (const feature of collection.features || []) {
    if (!feature.geometry) continue;
    const props = feature.properties || {};
    const cls = props.level === "admin1" ? "admin1" : "country" + (props.focus ? " focus" : "");
    const path = el("path", { d: geometryPath(feature.geometry), class: cls });
    path.appendChild(el("title", {}, props.name || ""));
    outlineLayer.appendChild(path);
  }
  svg.appendChild(outlineLayer);
  svg.appendChild(el("g", { class: "points" }));
}

export function drawPoints(svg, points, describe, onPick) {
  const layer = svg.querySelector("g.points");
  layer.replaceChildren();
  // Area proportional to killed, the deadliest place 28 units wide whatever the totals.
  const most = Math.max(1, ...points.map((p) => p.killed_best));
  // Biggest first, so small circles stay on top and clickable.
  for (const point of [...points].sort((a, b) => b.killed_best - a.killed_best)) {
    const [x, y] = project([point.lon, point.lat]);
    const r = 2 + 26 * Math.sqrt(point.killed_best / most);
    const circle = el("circle", { cx: x, cy: y, r: r.toFixed(1), class: point.killed_best ? "" : "zero" });
    circle.dataset.r = r.toFixed(1);
    circle.dataset.killed = point.killed_best;
    circle.appendChild(el("title", {}, describe(point)));
    circle.addEventListener("click", () => onPick(point));
    layer.appendChild(circle);
  }
}

// The map's view: the whole region, or (with `zoom`) the places of the current filter with a margin.
export function zoomTo(svg, points, zoom) {
  const scaleCircles = (factor) => {
    // Circles keep their size on screen whatever the zoom.
    for (const c of svg.querySelectorAll("g.points circle")) c.setAttribute("r", (c.dataset.r * factor).toFixed(2));
  };
  if (!zoom || !points.length) { svg.setAttribute("viewBox", `0 0 ${MAP_W} ${MAP_H}`); scaleCircles(1); return; }
  const xy = points.map((p) => project([p.lon, p.lat]).map(Number));
  const xs = xy.map((p) => p[0]), ys = xy.map((p) => p[1]);
  const pad = 60;
  let [x0, x1, y0, y1] = [Math.min(...xs) - pad, Math.max(...xs) + pad, Math.min(...ys) - pad, Math.max(...ys) + pad];
  // Keep the map's proportions, so circles stay round and the view is never a sliver.
  const w = Math.max(x1 - x0, (y1 - y0) * MAP_W / MAP_H, 200), h = w * MAP_H / MAP_W;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  svg.setAttribute("viewBox", `${(cx - w / 2).toFixed(0)} ${(cy - h / 2).toFixed(0)} ${w.toFixed(0)} ${h.toFixed(0)}`);
  scaleCircles(w / MAP_W);
}

const DAY = 86400000;
const T = { w: 640, h: 220, left: 44, right: 10, top: 10, bottom: 24 };

function niceMax(value) {
  if (value <= 0) return 1;
  const step = Math.pow(10, Math.floor(Math.log10(value)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= value) return m * step;
  return 10 * step;
}

// Buckets with nothing are zeros, not gaps: a quiet week is part of the picture.
function filled(points, bucket) {
  if (!points.length) return [];
  const step = (bucket === "week" ? 7 : 1) * DAY;
  const byTime = new Map(points.map((p) => [Date.parse(p.day), p]));
  const first = Date.parse(points[0].day);
  const last = Date.parse(points[points.length - 1].day);
  if ((last - first) / step > 5000) return points.map((p) => ({ ...p, t: Date.parse(p.day) }));
  const out = [];
  for (let t = first; t <= last; t += step) {
    const p = byTime.get(t);
    out.push({ t, killed_low: p ? p.killed_low : 0, killed_best: p ? p.killed_best : 0, killed_high: p ? p.killed_high : 0 });
  }
  return out;
}

export function drawTimeline(svg, points, bucket, labels) {
  svg.replaceChildren();
  const data = filled(points, bucket);
  if (!data.length) {
    svg.appendChild(el("text", { x: T.w / 2, y: T.h / 2, "text-anchor": "middle" }, labels.empty));
    return;
  }
  const t0 = data[0].t;
  const t1 = Math.max(data[data.length - 1].t, t0 + DAY);
  const yMax = niceMax(Math.max(...data.map((d) => d.killed_high)));
  const x = (t) => T.left + ((t - t0) / (t1 - t0)) * (T.w - T.left - T.right);
  const y = (v) => T.h - T.bottom - (v / yMax) * (T.h - T.top - T.bottom);
  const axis = el("g", { class: "axis" });
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    axis.appendChild(el("line", { x1: T.left, x2: T.w - T.right, y1: y(v), y2: y(v), "stroke-dasharray": i ? "2 3" : "" }));
    axis.appendChild(el("text", { x: T.left - 4, y: y(v) + 3, "text-anchor": "end" }, Math.round(v).toLocaleString()));
  }
  for (const tick of monthTicks(t0, t1)) {
    axis.appendChild(el("text", { x: x(tick), y: T.h - 8, "text-anchor": "middle" }, new Date(tick).toISOString().slice(0, 7)));
  }
  svg.appendChild(axis);
  const top = data.map((d) => `${x(d.t).toFixed(1)},${y(d.killed_high).toFixed(1)}`);
  const bottom = data.map((d) => `${x(d.t).toFixed(1)},${y(d.killed_low).toFixed(1)}`).reverse();
  svg.appendChild(el("path", { class: "band", d: `M${top.join("L")}L${bottom.join("L")}Z` }));
  const best = data.map((d) => `${x(d.t).toFixed(1)},${y(d.killed_best).toFixed(1)}`);
  svg.appendChild(el("path", { class: "best", d: `M${best.join("L")}` }));
  // Values on hover: a thin invisible column per bucket with something in it. With more buckets than the
  // plot has units (6,000 days in 586), a column per run of buckets, with its dates and sums: a node per
  // day was 12,000 nodes, half a second of style and layout in the first view.
  const plot = T.w - T.left - T.right;
  const per = Math.max(1, Math.ceil(data.length / plot));
  const step = plot / Math.max(1, data.length);
  const hover = el("g", { class: "hover" });
  for (let i = 0; i < data.length; i += per) {
    const run = data.slice(i, i + per).filter((p) => p.killed_high || p.killed_best);
    if (!run.length) continue;
    const [first, last] = [run[0], run[run.length - 1]];
    const left = x(first.t) - Math.max(1, step / 2);
    const width = Math.max(2, x(last.t) - x(first.t) + step);
    const bar = el("rect", { x: left.toFixed(1), y: T.top, width: width.toFixed(1), height: T.h - T.top - T.bottom });
    const sum = (key) => run.reduce((total, p) => total + p[key], 0);
    const day = (t) => new Date(t).toISOString().slice(0, 10);
    const when = run.length === 1 ? day(first.t) : `${day(first.t)} → ${day(last.t)}`;
    bar.appendChild(el("title", {}, `${when}: ${labels.killed} ${sum("killed_best")} (${labels.low} ${sum("killed_low")}, ${labels.high} ${sum("killed_high")})`));
    hover.appendChild(bar);
  }
  svg.appendChild(hover);
}

function monthTicks(t0, t1) {
  const ticks = [];
  const d = new Date(t0);
  let cursor = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  const months = (t1 - t0) / (30 * DAY);
  const every = months > 24 ? 6 : months > 8 ? 2 : 1;
  let i = 0;
  while (cursor <= t1) {
    if (i++ % every === 0) ticks.push(cursor);
    const c = new Date(cursor);
    cursor = Date.UTC(c.getUTCFullYear(), c.getUTCMonth() + 1, 1);
  }
  return ticks;
}
