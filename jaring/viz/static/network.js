/* jaring network view: vanilla JavaScript, no dependencies, works from a file:// page offline.
 *
 * Data: the JSON in #jaring-data (columns of neurons or blocks, links between neighbours, dense
 * links carrying weights/gradients/biases as base64 float32). Nodes are SVG elements; edges are
 * drawn on a canvas underneath and found by geometry on hover and click, so thousands of edges
 * cost one canvas redraw rather than thousands of DOM nodes. Wide layers start folded.
 */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("jaring-data").textContent);
  const SVGNS = "http://www.w3.org/2000/svg";
  const DRAW_ALL = 4000, HIT_PX = 6;
  const cols = data.columns, links = data.links;

  function f32(b64) {
    if (!b64) return null;
    const s = atob(b64), bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }
  function maxAbs(a) {
    let m = 0;
    if (a) for (let i = 0; i < a.length; i++) { const v = Math.abs(a[i]); if (v > m) m = v; }
    return m || 1;
  }
  links.forEach(function (l) {
    if (l.kind !== "dense") return;
    l.W = f32(l.w); l.G = f32(l.g); l.B = f32(l.b); l.BG = f32(l.bg);
    l.maxW = maxAbs(l.W); l.maxB = maxAbs(l.B);
  });
  cols.forEach(function (c) { c.folded = c.kind === "neurons" && c.size > data.fold_threshold; });

  // ----- page skeleton ----------------------------------------------------------------------
  document.body.innerHTML =
    '<header><h1></h1><button id="fit">Fit view</button><button id="foldall">Fold all</button>' +
    '<span class="legend">weight<span class="swatch" style="background:#1f77b4"></span>positive' +
    '<span class="swatch" style="background:#d62728"></span>negative &nbsp; drag to pan, wheel to zoom, ' +
    "click a group or a column title to unfold</span></header>" +
    '<main><div id="stage"><canvas></canvas><svg><g id="viewport"></g></svg></div>' +
    '<aside id="info"><h2>Click an edge or a node</h2><p class="note">Hover shows values; click pins ' +
    "them here. Weights travel from left to right.</p></aside></main><div id=\"tip\"></div>";
  document.querySelector("h1").textContent = data.title;
  const stage = document.getElementById("stage"), canvas = stage.querySelector("canvas");
  const svg = stage.querySelector("svg"), viewport = document.getElementById("viewport");
  const info = document.getElementById("info"), tip = document.getElementById("tip");
  const ctx = canvas.getContext("2d");
  const view = { s: 1, tx: 0, ty: 0 };
  const timings = { layout: 0, draw: 0 };
  let edges = [], selected = null, hovered = null, bounds = null, labelY = 0;

  // ----- layout: positions of every node in world coordinates --------------------------------
  function layout() {
    let top = Infinity, bottom = -Infinity;
    cols.forEach(function (c, k) {
      if (c.kind === "block") { c.h = 110; c.w = 150; c.ys = [0]; }
      else if (c.folded) { c.h = 130; c.w = 100; c.ys = [0]; }
      else {
        c.sp = c.size <= 40 ? 28 : c.size <= 200 ? 16 : 10;
        c.r = Math.min(10, c.sp * 0.4);
        const h = (c.size - 1) * c.sp;
        c.ys = new Float64Array(c.size);
        for (let i = 0; i < c.size; i++) c.ys[i] = -h / 2 + i * c.sp;
        c.h = h + 2 * c.r; c.w = 2 * c.r;
      }
      c.top = -c.h / 2; c.bottom = c.h / 2;
      const out = links[k];
      c.biasY = out && out.kind === "dense" && out.B ? c.top - 42 : null;
      top = Math.min(top, c.biasY === null ? c.top : c.biasY - 12);
      bottom = Math.max(bottom, c.bottom + 40);
    });
    // Spread the columns to the page's shape, so a tall unfolded layer does not squeeze the rest.
    const aspect = stage.clientWidth / Math.max(1, stage.clientHeight);
    const colw = Math.max(250, ((bottom - top + 60) * aspect - 240) / Math.max(1, cols.length - 1));
    cols.forEach(function (c, k) { c.x = k * colw; });
    labelY = top - 24;
    bounds = { x0: -120, x1: (cols.length - 1) * colw + 120, y0: labelY - 30, y1: bottom };
  }
  function anchor(c, i, side) {  // where an edge meets node i of column c (side -1 left, +1 right)
    if (c.kind === "block" || c.folded) return [c.x + side * c.w / 2, 0];
    return [c.x, c.ys[i]];
  }

  // ----- edges --------------------------------------------------------------------------------
  function strongest(l) {  // indices of the top_edges largest |w|, computed once per link
    if (l.top) return l.top;
    const n = l.W.length, k = Math.min(data.top_edges, n), a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = Math.abs(l.W[i]);
    const sorted = a.slice().sort();
    const cut = sorted[n - k], idx = [];
    for (let i = 0; i < n && idx.length < k; i++) if (a[i] >= cut) idx.push(i);
    l.top = idx;
    return idx;
  }
  function weightEdge(k, l, i, j) {
    const A = cols[k], B = cols[k + 1], p = anchor(A, i, 1), q = anchor(B, j, -1);
    const v = l.W[j * l.cols + i];
    return { type: "w", link: k, i: i, j: j, x1: p[0], y1: p[1], x2: q[0], y2: q[1], v: v, rel: Math.abs(v) / l.maxW };
  }
  function buildEdges() {
    edges = [];
    links.forEach(function (l, k) {
      const A = cols[k], B = cols[k + 1];
      if (l.kind === "flow") {
        const p = anchor(A, 0, 1), q = anchor(B, 0, -1);
        edges.push({ type: "flow", link: k, x1: p[0] + (A.folded || A.kind === "block" ? 0 : 12), y1: 0, x2: q[0] - 12, y2: 0, rel: 1 });
        return;
      }
      const rows = l.rows, ncols = l.cols;
      if (!A.folded && !B.folded) {
        if (rows * ncols <= DRAW_ALL) {
          for (let j = 0; j < rows; j++) for (let i = 0; i < ncols; i++) edges.push(weightEdge(k, l, i, j));
        } else {
          l.partial = true;
          const seen = new Set();
          strongest(l).forEach(function (n) { seen.add(n); edges.push(weightEdge(k, l, n % ncols, Math.floor(n / ncols))); });
          if (selected && selected.type === "neuron" && (selected.col === k || selected.col === k + 1)) {
            const out = selected.col === k + 1;
            const count = out ? ncols : rows;
            for (let m = 0; m < count; m++) {
              const i = out ? m : selected.i, j = out ? selected.i : m;
              if (!seen.has(j * ncols + i)) edges.push(weightEdge(k, l, i, j));
            }
          }
        }
      } else if (!A.folded) {
        for (let i = 0; i < ncols; i++) pushAggregate(k, l, "in", i);
      } else if (!B.folded) {
        for (let j = 0; j < rows; j++) pushAggregate(k, l, "out", j);
      } else {
        pushAggregate(k, l, "all", 0);
      }
      if (l.B) {
        const src = [A.x, A.biasY];
        if (B.folded) {
          const q = anchor(B, 0, -1);
          edges.push({ type: "biasall", link: k, x1: src[0], y1: src[1], x2: q[0], y2: q[1], rel: 0.6 });
        } else {
          for (let j = 0; j < rows; j++) {
            const v = l.B[j];
            edges.push({ type: "bias", link: k, j: j, x1: src[0], y1: src[1], x2: B.x, y2: B.ys[j], v: v, rel: Math.abs(v) / l.maxB });
          }
        }
      }
    });
  }
  function pushAggregate(k, l, mode, n) {
    const A = cols[k], B = cols[k + 1];
    const s = mode === "in" ? column(l.W, l.cols, l.rows, n) : mode === "out" ? row(l.W, l.cols, n) : summarize(l.W);
    const p = anchor(A, mode === "in" ? n : 0, 1), q = anchor(B, mode === "out" ? n : 0, -1);
    edges.push({ type: "agg", mode: mode, link: k, n: n, x1: p[0], y1: p[1], x2: q[0], y2: q[1], v: s.mean, rel: Math.min(1, Math.abs(s.mean) / l.maxW * 4 + 0.15) });
  }

  // ----- statistics ---------------------------------------------------------------------------
  function summarize(a) {
    if (!a || !a.length) return null;
    let sum = 0, sq = 0, lo = Infinity, hi = -Infinity;
    for (let i = 0; i < a.length; i++) { const v = a[i]; sum += v; sq += v * v; if (v < lo) lo = v; if (v > hi) hi = v; }
    const mean = sum / a.length;
    return { mean: mean, std: Math.sqrt(Math.max(0, sq / a.length - mean * mean)), min: lo, max: hi, count: a.length };
  }
  function row(a, ncols, j) { return a ? summarize(a.subarray(j * ncols, (j + 1) * ncols)) : null; }
  function column(a, ncols, rows, i) {
    if (!a) return null;
    const c = new Float32Array(rows);
    for (let j = 0; j < rows; j++) c[j] = a[j * ncols + i];
    return summarize(c);
  }

  // ----- drawing ------------------------------------------------------------------------------
  function el(name, attrs, parent, text) {
    const e = document.createElementNS(SVGNS, name);
    for (const key in attrs) e.setAttribute(key, attrs[key]);
    if (text !== undefined) e.textContent = text;
    parent.appendChild(e);
    return e;
  }
  function columnTitle(c) {
    if (c.kind === "block") return c.label;
    return c.label + " \u00b7 " + c.size;
  }
  function buildNodes() {
    viewport.textContent = "";
    cols.forEach(function (c, k) {
      const title = el("text", { x: c.x, y: labelY, "text-anchor": "middle", class: "col-label", "data-col": k }, viewport, columnTitle(c));
      if (c.kind === "neurons" && c.size > data.fold_threshold) {
        title.textContent += c.folded ? "  [+]" : "  [\u2212]";
      }
      const act = c.activation;
      if (act) el("text", { x: c.x, y: c.bottom + 20, "text-anchor": "middle", class: "col-act" }, viewport, act);
      if (c.kind === "block") {
        el("rect", { x: c.x - c.w / 2, y: c.top, width: c.w, height: c.h, rx: 8, class: "block", "data-kind": "block", "data-col": k }, viewport);
        el("text", { x: c.x, y: c.top + 26, "text-anchor": "middle" }, viewport, c.label);
        wrap(c.detail || "", 24).slice(0, 4).forEach(function (line, n) {
          el("text", { x: c.x, y: c.top + 46 + 15 * n, "text-anchor": "middle", class: "small" }, viewport, line);
        });
      } else if (c.folded) {
        el("rect", { x: c.x - c.w / 2, y: c.top, width: c.w, height: c.h, rx: 12, class: "group", "data-kind": "group", "data-col": k }, viewport);
        el("text", { x: c.x, y: -18, "text-anchor": "middle" }, viewport, c.size + " neurons");
        el("text", { x: c.x, y: 2, "text-anchor": "middle", class: "small" }, viewport, "folded");
        el("text", { x: c.x, y: 20, "text-anchor": "middle", class: "small" }, viewport, "click to unfold");
      } else {
        const cls = k === 0 ? "neuron input" : "neuron";
        for (let i = 0; i < c.size; i++) {
          el("circle", { cx: c.x, cy: c.ys[i], r: c.r, class: cls, "data-kind": "neuron", "data-col": k, "data-index": i }, viewport);
        }
      }
      if (c.biasY !== null) {
        el("rect", { x: c.x - 11, y: c.biasY - 11, width: 22, height: 22, rx: 4, class: "bias", "data-kind": "bias", "data-col": k }, viewport);
        el("text", { x: c.x, y: c.biasY + 4, "text-anchor": "middle", class: "small" }, viewport, "+1");
      }
    });
    markSelected();
  }
  function wrap(text, width) {
    const words = text.split(/(?<=,)\s*/), lines = [];
    let line = "";
    words.forEach(function (w) {
      if ((line + " " + w).length > width && line) { lines.push(line); line = w; } else line = line ? line + " " + w : w;
    });
    if (line) lines.push(line);
    return lines;
  }
  function markSelected() {
    viewport.querySelectorAll(".selected").forEach(function (e) { e.classList.remove("selected"); });
    if (!selected) return;
    let q = null;
    if (selected.type === "neuron") q = '[data-kind="neuron"][data-col="' + selected.col + '"][data-index="' + selected.i + '"]';
    else if (selected.type === "group" || selected.type === "block" || selected.type === "biasnode") {
      q = '[data-kind="' + (selected.type === "biasnode" ? "bias" : selected.type) + '"][data-col="' + selected.col + '"]';
    }
    const e = q && viewport.querySelector(q);
    if (e) e.classList.add("selected");
  }
  function strokeFor(e) {
    if (e.type === "flow") return "rgba(120,98,54,0.9)";
    if (e.type === "agg" || e.type === "biasall") return "rgba(90,100,115," + (0.25 + 0.5 * e.rel) + ")";
    const a = (edges.length > 1000 ? 0.05 : 0.12) + (edges.length > 1000 ? 0.45 : 0.8) * e.rel;
    return e.v >= 0 ? "rgba(31,119,180," + a + ")" : "rgba(214,39,40," + a + ")";
  }
  function widthFor(e) {
    if (e.type === "flow") return 3;
    if (e.type === "agg" || e.type === "biasall") return 1 + 5 * e.rel;
    return 0.4 + 2.6 * e.rel;
  }
  function draw() {
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1, w = stage.clientWidth, h = stage.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(dpr * view.s, 0, 0, dpr * view.s, dpr * view.tx, dpr * view.ty);
    for (let n = 0; n < edges.length; n++) stroke(edges[n], strokeFor(edges[n]), widthFor(edges[n]));
    [hovered, selected && selected.edge].forEach(function (e) { if (e) stroke(e, "rgba(0,0,0,0.9)", widthFor(e) + 2); });
    viewport.setAttribute("transform", "translate(" + view.tx + "," + view.ty + ") scale(" + view.s + ")");
    // Titles keep a readable size on screen however far the view is zoomed out.
    const size = (view.s < 1 ? 14 / view.s : 14) + "px";
    viewport.querySelectorAll(".col-label, .col-act").forEach(function (t) { t.style.fontSize = size; });
    timings.draw = performance.now() - t0;
  }
  function stroke(e, color, px) {
    ctx.beginPath();
    ctx.setLineDash(e.type === "bias" || e.type === "biasall" ? [4 / view.s, 3 / view.s] : []);
    ctx.moveTo(e.x1, e.y1); ctx.lineTo(e.x2, e.y2);
    ctx.strokeStyle = color; ctx.lineWidth = px / view.s;
    ctx.stroke();
  }
  let pending = false;
  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; draw(); });
  }
  function rebuild() {
    const t0 = performance.now();
    layout(); buildEdges(); buildNodes(); draw();
    timings.layout = performance.now() - t0;
  }
  function fit() {
    const w = stage.clientWidth, h = stage.clientHeight;
    const s = Math.min(1.6, (w - 160) / (bounds.x1 - bounds.x0), (h - 40) / (bounds.y1 - bounds.y0));
    view.s = s;
    view.tx = (w - s * (bounds.x0 + bounds.x1)) / 2;
    view.ty = 34 - s * bounds.y0 + (h - 40 - s * (bounds.y1 - bounds.y0)) / 2;
    draw();
  }

  // ----- picking ------------------------------------------------------------------------------
  function toWorld(clientX, clientY) {
    const r = stage.getBoundingClientRect();
    return [(clientX - r.left - view.tx) / view.s, (clientY - r.top - view.ty) / view.s];
  }
  function segDist(e, x, y) {
    const dx = e.x2 - e.x1, dy = e.y2 - e.y1, len = dx * dx + dy * dy;
    let t = len ? ((x - e.x1) * dx + (y - e.y1) * dy) / len : 0;
    t = Math.max(0, Math.min(1, t));
    return Math.hypot(e.x1 + t * dx - x, e.y1 + t * dy - y);
  }
  function pick(clientX, clientY) {
    const p = toWorld(clientX, clientY), limit = HIT_PX / view.s;
    let best = null, bestD = limit;
    for (let n = 0; n < edges.length; n++) {
      const d = segDist(edges[n], p[0], p[1]);
      if (d <= bestD) { best = edges[n]; bestD = d; }
    }
    return best;
  }

  // ----- the info panel -----------------------------------------------------------------------
  function esc(text) {  // names and settings come from Python reprs, which may hold < and &
    return String(text).replace(/[&<>"]/g, function (ch) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[ch]; });
  }
  function fmt(v) { return v === null || v === undefined ? "\u2014" : Number(v).toPrecision(6); }
  function statRows(name, s) {
    if (!s) return "<tr><td>" + name + "</td><td>\u2014 (no backward pass yet)</td></tr>";
    return "<tr><td>" + name + "</td><td class=\"num\">mean " + fmt(s.mean) + "<br>std " + fmt(s.std) +
      "<br>min " + fmt(s.min) + "<br>max " + fmt(s.max) + "</td></tr>";
  }
  function neuronName(k, i) { return esc(cols[k].label) + " #" + i; }
  function show(title, rows, extra, attrs) {
    info.innerHTML = "<h2></h2><table>" + rows + "</table>" + (extra || "");
    info.querySelector("h2").textContent = title;
    for (const key in info.dataset) delete info.dataset[key];
    Object.assign(info.dataset, attrs || {});
  }
  function valueRow(name, v, cls) {
    return "<tr><td>" + name + "</td><td class=\"num " + cls + "\">" + fmt(v) + "</td></tr>";
  }
  function edgeText(e) {
    const l = links[e.link];
    if (e.type === "w") {
      const g = l.G ? l.G[e.j * l.cols + e.i] : null;
      return { title: "weight " + l.layer + "[" + e.j + ", " + e.i + "]", rows:
        "<tr><td>from</td><td>" + neuronName(e.link, e.i) + "</td></tr><tr><td>to</td><td>" + neuronName(e.link + 1, e.j) + "</td></tr>" +
        valueRow("weight", e.v, "weight") + valueRow("gradient", g, "grad"),
        attrs: { kind: "edge", edge: e.link + ":" + e.i + ":" + e.j, weight: String(e.v), grad: g === null ? "" : String(g) },
        tip: "w = " + fmt(e.v) + "   grad = " + fmt(g) };
    }
    if (e.type === "bias") {
      const g = l.BG ? l.BG[e.j] : null;
      return { title: "bias " + l.layer + "[" + e.j + "]", rows: "<tr><td>to</td><td>" + neuronName(e.link + 1, e.j) + "</td></tr>" +
        valueRow("bias", e.v, "weight") + valueRow("gradient", g, "grad"),
        attrs: { kind: "bias", edge: e.link + ":bias:" + e.j, weight: String(e.v), grad: g === null ? "" : String(g) },
        tip: "b = " + fmt(e.v) + "   grad = " + fmt(g) };
    }
    if (e.type === "flow") {
      return { title: cols[e.link].label + " \u2192 " + cols[e.link + 1].label, rows: "<tr><td>data flows on</td><td></td></tr>", attrs: { kind: "flow" }, tip: "data flow" };
    }
    if (e.type === "biasall") {
      return { title: "biases of " + l.layer, rows: statRows("bias", summarize(l.B)) + statRows("gradient", summarize(l.BG)), attrs: { kind: "aggregate" }, tip: "biases of " + l.layer };
    }
    let w, g, what;
    if (e.mode === "in") { w = column(l.W, l.cols, l.rows, e.n); g = column(l.G, l.cols, l.rows, e.n); what = "weights from " + neuronName(e.link, e.n); }
    else if (e.mode === "out") { w = row(l.W, l.cols, e.n); g = row(l.G, l.cols, e.n); what = "weights into " + neuronName(e.link + 1, e.n); }
    else { w = summarize(l.W); g = summarize(l.G); what = "all " + l.rows + " \u00d7 " + l.cols + " weights of " + l.layer; }
    return { title: what, rows: "<tr><td>count</td><td>" + w.count + "</td></tr>" + statRows("weight", w) + statRows("gradient", g),
      attrs: { kind: "aggregate" }, tip: what + ": mean " + fmt(w.mean) };
  }
  function nodeText(k, i) {
    const c = cols[k], inL = links[k - 1], outL = links[k];
    let rows = "<tr><td>layer</td><td>" + esc(c.name || c.label) + "</td></tr>";
    if (c.activation) rows += "<tr><td>activation</td><td>" + esc(c.activation) + "</td></tr>";
    const attrs = { kind: "neuron", node: k + ":" + i };
    if (inL && inL.kind === "dense") {
      if (inL.B) {
        rows += valueRow("bias", inL.B[i], "bias") + valueRow("bias gradient", inL.BG ? inL.BG[i] : null, "grad");
        attrs.bias = String(inL.B[i]);
      }
      rows += statRows("weights in", row(inL.W, inL.cols, i)) + statRows("their gradients", row(inL.G, inL.cols, i));
    }
    if (outL && outL.kind === "dense") rows += statRows("weights out", column(outL.W, outL.cols, outL.rows, i));
    return { title: neuronName(k, i), rows: rows, attrs: attrs };
  }
  function groupText(k) {
    const c = cols[k], inL = links[k - 1];
    let rows = "<tr><td>neurons</td><td>" + c.size + "</td></tr>";
    if (c.activation) rows += "<tr><td>activation</td><td>" + esc(c.activation) + "</td></tr>";
    if (inL && inL.kind === "dense") {
      rows += statRows("weights in", inL.wstats) + statRows("their gradients", inL.gstats);
      if (inL.B) rows += statRows("biases", summarize(inL.B)) + statRows("bias gradients", summarize(inL.BG));
    }
    return { title: c.label + " (folded)", rows: rows, extra: '<button id="unfold">Unfold ' + c.size + " neurons</button>", attrs: { kind: "group", node: String(k) } };
  }
  function blockText(k) {
    const c = cols[k];
    let rows = "<tr><td>layer</td><td>" + esc(c.name) + "</td></tr><tr><td>settings</td><td>" + esc(c.detail || "\u2014") + "</td></tr>";
    if (c.activation) rows += "<tr><td>activation</td><td>" + esc(c.activation) + "</td></tr>";
    c.params.forEach(function (p) {
      rows += "<tr><td colspan=2><b>" + esc(p.name) + "</b> " + JSON.stringify(p.shape) + "</td></tr>" + statRows("value", p.value) + statRows("gradient", p.grad);
    });
    return { title: c.label, rows: rows, attrs: { kind: "block", node: String(k) } };
  }
  function select(target) {
    selected = target;
    let t;
    if (!target) { info.innerHTML = "<h2>Click an edge or a node</h2>"; }
    else if (target.type === "edge") t = edgeText(target.edge);
    else if (target.type === "neuron") t = nodeText(target.col, target.i);
    else if (target.type === "group") t = groupText(target.col);
    else if (target.type === "block") t = blockText(target.col);
    else if (target.type === "biasnode") {
      const l = links[target.col];
      t = { title: "bias node of " + l.layer, rows: "<tr><td>constant input</td><td>+1</td></tr>" + statRows("biases", summarize(l.B)) + statRows("gradients", summarize(l.BG)), attrs: { kind: "biasnode" } };
    }
    if (t) show(t.title, t.rows, t.extra, t.attrs);
    const button = document.getElementById("unfold");
    if (button) button.addEventListener("click", function () { toggle(target.col); });
    const partial = links.some(function (l, k) { return l.partial && !cols[k].folded && !cols[k + 1].folded; });
    if (partial) info.insertAdjacentHTML("beforeend", '<p class="note">Between two unfolded wide layers only the ' + data.top_edges + " strongest weights are drawn; click a neuron to draw all of its edges.</p>");
    buildEdges();  // a selected neuron between wide unfolded layers brings all its edges
    markSelected();
    draw();
  }
  function toggle(k) {
    const c = cols[k];
    if (!c || c.kind !== "neurons") return;
    c.folded = !c.folded;
    if (selected && selected.col === k) selected = null;
    rebuild(); fit();
    if (!c.folded) select(null);
  }

  // ----- events -------------------------------------------------------------------------------
  let drag = null;
  stage.addEventListener("mousedown", function (ev) {
    drag = { x: ev.clientX, y: ev.clientY, tx: view.tx, ty: view.ty, moved: false };
  });
  window.addEventListener("mousemove", function (ev) {
    if (drag) {
      const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; stage.classList.add("dragging"); }
      if (drag.moved) { view.tx = drag.tx + dx; view.ty = drag.ty + dy; tip.style.display = "none"; redraw(); }
      return;
    }
    if (!stage.contains(ev.target)) { tip.style.display = "none"; return; }
    const e = pick(ev.clientX, ev.clientY);
    if (e !== hovered) { hovered = e; redraw(); }
    if (e) {
      tip.textContent = edgeText(e).tip;
      tip.style.left = ev.clientX + 14 + "px"; tip.style.top = ev.clientY + 12 + "px"; tip.style.display = "block";
    } else tip.style.display = "none";
  });
  window.addEventListener("mouseup", function (ev) {
    const d = drag;
    drag = null;
    stage.classList.remove("dragging");
    if (!d || d.moved || !stage.contains(ev.target)) return;
    const node = ev.target.closest ? ev.target.closest("[data-kind], .col-label") : null;
    if (node && node.classList.contains("col-label")) { toggle(Number(node.dataset.col)); return; }
    if (node) {
      const kind = node.dataset.kind, k = Number(node.dataset.col);
      if (kind === "neuron") select({ type: "neuron", col: k, i: Number(node.dataset.index) });
      else if (kind === "group") { if (selected && selected.type === "group" && selected.col === k) toggle(k); else select({ type: "group", col: k }); }
      else if (kind === "block") select({ type: "block", col: k });
      else if (kind === "bias") select({ type: "biasnode", col: k });
      return;
    }
    const e = pick(ev.clientX, ev.clientY);
    select(e ? { type: "edge", edge: e } : null);
  });
  stage.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    const r = stage.getBoundingClientRect(), mx = ev.clientX - r.left, my = ev.clientY - r.top;
    const f = Math.exp(-ev.deltaY * 0.0015), s = Math.max(0.02, Math.min(20, view.s * f));
    view.tx = mx - (mx - view.tx) * s / view.s; view.ty = my - (my - view.ty) * s / view.s; view.s = s;
    redraw();
  }, { passive: false });
  stage.addEventListener("mouseleave", function () { tip.style.display = "none"; if (hovered) { hovered = null; redraw(); } });
  window.addEventListener("resize", function () { rebuild(); fit(); });
  document.getElementById("fit").addEventListener("click", fit);
  document.getElementById("foldall").addEventListener("click", function () {
    cols.forEach(function (c) { if (c.kind === "neurons" && c.size > data.fold_threshold) c.folded = true; });
    selected = null; rebuild(); fit(); select(null);
  });

  // ----- a small API for tests and curious users (window.jaring in the browser console) -------
  window.jaring = {
    data: data,
    timings: timings,
    edgeCount: function () { return edges.length; },
    unfold: function (k) { if (cols[k].folded) toggle(k); return timings.layout; },
    fold: function (k) { if (!cols[k].folded) toggle(k); },
    /* A screen point on weight edge (link, i -> j), where no other drawn edge is nearer. */
    edgePoint: function (link, i, j) {
      const e = edges.find(function (x) { return x.type === "w" && x.link === link && x.i === i && x.j === j; });
      if (!e) return null;
      let best = null;
      for (let t = 0.12; t <= 0.88; t += 0.02) {
        const x = e.x1 + t * (e.x2 - e.x1), y = e.y1 + t * (e.y2 - e.y1);
        let nearest = Infinity;
        edges.forEach(function (o) { if (o !== e) nearest = Math.min(nearest, segDist(o, x, y)); });
        if (!best || nearest > best.clearance) best = { x: x, y: y, clearance: nearest };
      }
      const r = stage.getBoundingClientRect();
      return { x: r.left + view.tx + view.s * best.x, y: r.top + view.ty + view.s * best.y, clearancePx: best.clearance * view.s };
    },
  };
  rebuild();
  fit();
})();
