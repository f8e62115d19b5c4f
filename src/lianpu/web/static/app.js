// lianpu dashboard: draws figures from the JSON API, handles upload and the scenario form.
// No external resources: plotly.js comes from this server.
"use strict";

const CONFIG = { displaylogo: false, responsive: true,
                 modeBarButtonsToRemove: ["lasso2d", "select2d"] };
const cache = new Map();

function api(url, opts) {
  if (!cache.has(url) || opts) {
    const p = fetch(url, opts).then(async (r) => {
      const body = await r.json().catch(() => ({ ok: false, error: `HTTP ${r.status}` }));
      if (!body.ok) throw new Error(body.error || `HTTP ${r.status}`);
      return body;
    });
    if (opts) return p;
    cache.set(url, p);
  }
  return cache.get(url);
}

function findFigure(sec, key) {
  for (const f of sec.figures || []) if (f.key === key) return f;
  for (const c of sec.children || []) { const f = findFigure(c, key); if (f) return f; }
  return null;
}

function draw(el, fig) {
  el.classList.add("drawn");
  return Plotly.newPlot(el, fig.figure.data, fig.figure.layout, CONFIG);
}

function drawAll(root) {
  const jobs = [];
  root.querySelectorAll("[data-api][data-figure]").forEach((el) => {
    jobs.push(api(el.dataset.api).then((body) => {
      const f = findFigure(body.section, el.dataset.figure);
      if (!f) throw new Error(`figure ${el.dataset.figure} not in ${el.dataset.api}`);
      return draw(el, f);
    }).catch((e) => { el.textContent = e.message; el.classList.add("error"); }));
  });
  return Promise.all(jobs);
}

function cellText(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") {
    const a = Math.abs(v);
    if (a >= 1000) return v.toLocaleString("en-US", { maximumFractionDigits: 0 });
    // same rule as the report's tables (report/render.py): 1 decimal from 100, 3 below
    if (a >= 100) return v.toLocaleString("en-US", { maximumFractionDigits: 1 });
    if (a >= 1 || a === 0) return v.toLocaleString("en-US", { maximumFractionDigits: 3 });
    return v.toPrecision(4);
  }
  return String(v);
}

function tableEl(sheet, maxRows) {
  const wrap = document.createElement("div");
  wrap.className = "sheet";
  const h = document.createElement("h4");
  h.textContent = sheet.title;
  wrap.appendChild(h);
  if (sheet.note) { const p = document.createElement("p"); p.className = "note"; p.textContent = sheet.note; wrap.appendChild(p); }
  const box = document.createElement("div");
  box.className = "table-wrap";
  const t = document.createElement("table");
  t.className = "data";
  const num = sheet.columns.map((_, j) => sheet.rows.length > 0 && sheet.rows.every((r) => r[j] === null || typeof r[j] === "number"));
  const tr = document.createElement("tr");
  sheet.columns.forEach((c, j) => { const th = document.createElement("th"); th.textContent = c; if (num[j]) th.className = "r"; tr.appendChild(th); });
  const thead = document.createElement("thead"); thead.appendChild(tr); t.appendChild(thead);
  const tb = document.createElement("tbody");
  sheet.rows.slice(0, maxRows || 40).forEach((r) => {
    const row = document.createElement("tr");
    r.forEach((v, j) => { const td = document.createElement("td"); td.textContent = cellText(v); if (num[j]) td.className = "r"; row.appendChild(td); });
    tb.appendChild(row);
  });
  t.appendChild(tb); box.appendChild(t); wrap.appendChild(box);
  return wrap;
}

function setupUpload() {
  const form = document.getElementById("upload-form");
  if (!form) return;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = document.getElementById("upload-error");
    err.textContent = "";
    try {
      const body = await api("/api/upload", { method: "POST", body: new FormData(form) });
      window.location.href = body.url;
    } catch (e) { err.textContent = e.message; }
  });
}

function setupSectors() {
  const form = document.getElementById("sectors-form");
  if (!form) return;
  form.addEventListener("submit", (ev) => {
    const sel = document.getElementById("sectors-select");
    const codes = Array.from(sel.selectedOptions).map((o) => o.value);
    if (!codes.length) { ev.preventDefault(); return; }
    document.getElementById("sectors-hidden").value = codes.join(",");
    sel.disabled = true;  // only the joined list is submitted
  });
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

// the summary the API formats (numbers as text by core.units): units, basis, satellites
function summaryEl(sm) {
  const L = sm.labels;
  const wrap = el("div", undefined, "sheet");
  wrap.id = "impact-summary";
  wrap.appendChild(el("h4", `${L.summary}（${sm.unit}）`));
  const facts = el("p", undefined, "note");
  facts.id = "summary-facts";
  const zh = document.body.dataset.lang === "zh";
  const [colon, sep] = zh ? ["：", "；"] : [": ", "; "];
  facts.textContent = [[L.demand_total, `${sm.demand_text} ${sm.unit}`],
                       [L.local_total, `${sm.local_text} ${sm.unit}`],
                       [L.model, sm.type_text], [L.basis, sm.basis]]
    .map(([k, v]) => k + colon + v).join(sep);
  wrap.appendChild(facts);
  const box = el("div", undefined, "table-wrap");
  const t = el("table", undefined, "data");
  t.id = "summary-table";
  const head = el("tr");
  [L.indicator, L.unit].concat(sm.effects.map((e) => L[e])).forEach((c, j) =>
    head.appendChild(el("th", c, j > 1 ? "r" : undefined)));
  const thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
  const tb = el("tbody");
  sm.rows.forEach((r) => {
    const tr = el("tr");
    tr.dataset.indicator = r.indicator;
    tr.appendChild(el("td", r.name));
    tr.appendChild(el("td", r.unit));
    sm.effects.forEach((e) => tr.appendChild(el("td", r.text[e], "r")));
    tb.appendChild(tr);
  });
  t.appendChild(tb); box.appendChild(t); wrap.appendChild(box);
  sm.satellites.forEach((s) => {
    const head = s.ok ? `${L.satellite_used}${zh ? "（" : " ("}${s.year}${zh ? "年数据）" : " data)"}`
      : L.satellite_missing;
    const p = el("p", `${s.name}${colon}${head} — `, s.ok ? "note" : "note warn");
    p.appendChild(el("small", s.note));
    p.id = `satellite-${s.kind}`;
    wrap.appendChild(p);
  });
  return wrap;
}

function setupScenario() {
  const form = document.getElementById("scenario-form");
  if (!form) return;
  const tid = form.dataset.tid;
  const lang = document.body.dataset.lang;
  const unitSel = document.getElementById("unit-select");
  unitSel.addEventListener("change", () => {
    document.getElementById("amount-unit").textContent = unitSel.selectedOptions[0].textContent;
  });
  document.getElementById("add-row").addEventListener("click", () => {
    const rows = form.querySelectorAll(".demand-row");
    const copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll("input").forEach((i) => { i.value = ""; });
    form.querySelector("tbody").appendChild(copy);
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = document.getElementById("scenario-error");
    err.textContent = "";
    const demand = [];
    form.querySelectorAll(".demand-row").forEach((r) => {
      const amount = r.querySelector("input[name=amount]").value.trim();
      if (!amount) return;
      const row = { sector: r.querySelector("select").value, amount };
      const share = r.querySelector("input[name=row_share]").value.trim();
      if (share) row.local_share = share;
      demand.push(row);
    });
    const type = form.querySelector("input[name=type]:checked").value;
    const all = document.getElementById("local-share-all").value.trim();
    const show = Array.from(form.querySelectorAll("input[name=show]:checked")).map((c) => c.value);
    const payload = { demand, type, lang, unit: unitSel.value, show };
    if (all) payload.local_share = all;
    const out = document.getElementById("scenario-result");
    const body = document.getElementById("scenario-body");
    const summary = document.getElementById("scenario-summary");
    summary.textContent = "";
    body.textContent = document.body.dataset.loading || "…";
    try {
      const res = await api(`/api/tables/${encodeURIComponent(tid)}/impact`, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload) });
      body.textContent = "";
      out.hidden = false;
      summary.appendChild(summaryEl(res.summary));
      const sec = res.section;
      if (sec.lead) { const e = el("p", sec.lead, "lead"); e.id = "scenario-lead"; body.appendChild(e); }
      (sec.paragraphs || []).forEach((p) => body.appendChild(el("p", p)));
      for (const f of sec.figures || []) {
        const e = el("div", undefined, "plot");
        e.id = `plot-${f.key}`;
        body.appendChild(e);
        await draw(e, f);
      }
      (sec.sheets || []).forEach((s) => body.appendChild(tableEl(s, 40)));
      document.getElementById("download-impact-csv").href = res.downloads.csv;
      document.getElementById("download-impact-xlsx").href = res.downloads.xlsx;
      document.body.dataset.scenario = "1";
    } catch (e) { body.textContent = ""; err.textContent = e.message; }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupUpload();
  setupSectors();
  setupScenario();
  drawAll(document).then(() => { document.body.dataset.ready = "1"; });
});
