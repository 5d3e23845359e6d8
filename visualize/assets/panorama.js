/* chainkg 全景图: segment boxes in pinned stage columns, drawn as SVG (pan/zoom by one transform),
 * an inspector panel, search, filters that re-fit, PNG/SVG export and a one-page print layout.
 * Text from the data is only ever set with textContent. */
(function () {
  "use strict";
  var metrics = { scriptStart: performance.now() };
  var D = JSON.parse(document.getElementById("chainkg-data").textContent);
  metrics.parsed = performance.now();
  var UI = D.ui, G = D.geo, NS = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("pano");
  var vp = document.getElementById("vp");
  var content = document.getElementById("content");
  var stageEl = document.getElementById("stage");
  var heads = document.getElementById("colheads");
  var insp = document.getElementById("insp");
  var HEADER = 34;  // px the pinned column headers take at the top of the canvas

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) { e.setAttribute(k, attrs[k]); } }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  // ------------------------------------------------------------------ drawing
  var boxes = D.boxes, bands = D.bands;
  var expanded = {}, hiddenBox = {}, hiddenBand = {};
  var boxEl = [], bandEl = [];
  function lineClass(k) { return "ln k-" + k; }
  function drawBox(j) {
    var b = boxes[j];
    var g = sv("g", { "class": "box st-" + (b.status || "none"), "data-i": j });
    var h = boxH(j);
    g.appendChild(sv("rect", { "class": "frame", x: 0, y: 0, width: b.w, height: h, rx: 4 }));
    var headH = G.pad + G.name_h * b.name.length - 2;
    g.appendChild(sv("rect", { "class": "head", x: 0, y: 0, width: b.w, height: headH, rx: 4 }));
    b.name.forEach(function (t, i) {
      g.appendChild(sv("text", { "class": "nm", x: G.pad, y: G.pad + G.name_h * i + G.name_fs * 0.95,
        "font-size": G.name_fs, "data-id": b.id }, t));
    });
    var y0 = G.pad + G.name_h * b.name.length;
    allLines(j).forEach(function (ln, k) {
      var y = y0 + G.line_h * k + G.line_fs * 1.0;
      var t = sv("text", { "class": lineClass(ln.k), x: G.pad, y: y, "font-size": G.line_fs }, ln.t);
      if (ln.id) { t.setAttribute("data-id", ln.id); }
      if (ln.k === "out" || ln.k === "less") { t.setAttribute("data-out", j); }
      g.appendChild(t);
      if (ln.s) {
        g.appendChild(sv("text", { "class": "ln k-score", x: b.w - G.pad, y: y, "font-size": G.line_fs,
          "text-anchor": "end" }, ln.s));
      }
    });
    return g;
  }
  function allLines(j) {
    var b = boxes[j];
    if (!expanded[j]) { return b.lines; }
    var ent = D.entities[b.id], out = [];
    b.lines.forEach(function (ln) {
      if (ln.k !== "out") { out.push(ln); return; }
      out.push({ k: "less", t: ln.t.replace("▸", "▾") });
      ent.outside.slice(0, 12).forEach(function (f) { out.push({ k: "ofirm", t: fit(f[1], b.w - 2 * G.pad - 10), id: f[0] }); });
      if (b.n_out > 12) { out.push({ k: "more", t: UI.shown_first.replace("{n}", 12) }); }
    });
    return out;
  }
  function fit(t, w) {  // rough cut for names added in the page (expanded lists)
    var n = 0, out = "";
    for (var i = 0; i < t.length; i++) {
      n += t.charCodeAt(i) > 0x2e80 ? G.line_fs : G.line_fs * 0.58;
      if (n > w) { return out + "…"; }
      out += t.charAt(i);
    }
    return out;
  }
  function boxH(j) {
    var b = boxes[j];
    return expanded[j] ? b.h + (allLines(j).length - b.lines.length) * G.line_h : b.h;
  }

  var gBands = sv("g", { "class": "bands" }), gHeads = sv("g", { "class": "heads print-only" }),
    gBoxes = sv("g", { "class": "boxes" });
  content.appendChild(gBands);
  content.appendChild(gHeads);
  content.appendChild(gBoxes);
  var width = 0;
  D.cols.forEach(function (c) { width = Math.max(width, c.x + c.w); });
  if (!D.cols.length) { width = 600; }
  D.cols.forEach(function (c) {
    gHeads.appendChild(sv("text", { "class": "colhead", x: c.x + c.w / 2, y: -14, "text-anchor": "middle",
      "font-size": 22 }, c.label));
    var d = el("div", "colhead", c.label);
    heads.appendChild(d);
    c.el = d;
  });
  bands.forEach(function (band, i) {
    var g = sv("g", { "class": "band" + (band.note ? " empty" : ""), "data-band": i });
    g.appendChild(sv("rect", { "class": "bandbg", x: -G.head - 10, y: 0, width: width + G.head + 20, height: 10 }));
    if (G.head) {
      g.appendChild(sv("text", { "class": "bandname", x: -G.head, y: 24, "font-size": 17 }, band.name));
      var t = band.tally;
      if (!band.note) {
        g.appendChild(sv("text", { "class": "bandtally", x: -G.head, y: 44, "font-size": 12 },
          UI.t_segments + " " + t.segments + " · " + UI.t_missing + " " + t.missing));
        g.appendChild(sv("text", { "class": "bandtally", x: -G.head, y: 60, "font-size": 12 },
          UI.t_local + " " + t.local + " · " + UI.t_anchors + " " + t.anchors));
      } else {
        g.appendChild(sv("text", { "class": "bandnote", x: 0, y: 24, "font-size": 15 }, band.note));
      }
    }
    gBands.appendChild(g);
    bandEl.push(g);
  });
  function redrawBox(j) {
    var old = boxEl[j], g = drawBox(j);
    if (old) { gBoxes.replaceChild(g, old); } else { gBoxes.appendChild(g); }
    boxEl[j] = g;
  }
  boxes.forEach(function (b, j) { redrawBox(j); });

  // stack boxes in their columns, bands one under the other (also after expand and filters)
  var bounds = { x: 0, y: 0, w: 0, h: 0 };
  function stack() {
    var y = 0;
    bands.forEach(function (band, i) {
      var g = bandEl[i];
      if (hiddenBand[i]) { g.setAttribute("display", "none"); band.boxes.forEach(function (j) { boxEl[j].setAttribute("display", "none"); }); return; }
      g.removeAttribute("display");
      var top = y + (G.head ? 12 : 0), cursor = {}, bottom = top + (G.head && !band.note ? 60 : 0);
      band.boxes.forEach(function (j) {
        var b = boxes[j];
        if (hiddenBox[j]) { boxEl[j].setAttribute("display", "none"); return; }
        boxEl[j].removeAttribute("display");
        var cy = cursor[b.x] === undefined ? top : cursor[b.x];
        b.y = cy;
        boxEl[j].setAttribute("transform", "translate(" + b.x + "," + cy + ")");
        cursor[b.x] = cy + boxH(j) + G.gap;
        bottom = Math.max(bottom, cy + boxH(j));
      });
      if (band.note) { bottom = Math.max(bottom, top + 16); }  // a chain without a template: one line
      var h = bottom - y + (G.head ? 12 : 0);
      g.setAttribute("transform", "translate(0," + y + ")");
      g.firstChild.setAttribute("height", h);
      band.y = y; band.h = h;
      y += h + G.band_gap;
    });
    bounds = { x: -G.head - 10, y: -40, w: width + G.head + 20, h: Math.max(y - G.band_gap, 10) + 40 };
    refreshPrint();
  }

  // ------------------------------------------------------------------ view (pan / zoom)
  var view = { s: 1, x: 0, y: 0 }, initial = null;
  var LOD = G.line_fs * 0 + 6;  // firm lines show once they are at least this many px high
  function apply() {
    vp.setAttribute("transform", "translate(" + view.x.toFixed(2) + "," + view.y.toFixed(2) + ") scale(" + view.s.toFixed(5) + ")");
    D.cols.forEach(function (c) {
      c.el.style.left = (c.x * view.s + view.x) + "px";
      c.el.style.width = (c.w * view.s) + "px";
    });
    svg.classList.toggle("lod", G.line_fs * view.s < LOD);
  }
  function size() { var r = stageEl.getBoundingClientRect(); return { w: r.width, h: r.height }; }
  function visibleBounds() {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    boxes.forEach(function (b, j) {
      if (hiddenBox[j] || hiddenBand[b.band]) { return; }
      x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y); x1 = Math.max(x1, b.x + b.w); y1 = Math.max(y1, b.y + boxH(j));
    });
    bands.forEach(function (band, i) {
      if (hiddenBand[i]) { return; }
      if (G.head) { x0 = Math.min(x0, -G.head); }
      if (band.note) { y0 = Math.min(y0, band.y); y1 = Math.max(y1, band.y + band.h); x1 = Math.max(x1, 300); }
    });
    if (x0 === Infinity) { return { x: 0, y: 0, w: 100, h: 100 }; }
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }
  var MIN_READ = 12 / G.name_fs;  // opening zoom: segment names never below 12 px
  function frame(readable) {
    var b = visibleBounds(), sz = size(), m = 16;
    var s = Math.min((sz.w - 2 * m) / b.w, (sz.h - HEADER - 2 * m) / b.h);
    s = Math.min(s, 1.3);
    if (readable && s < MIN_READ) {  // too big to read whole: readable, from the upper left (upstream first)
      s = MIN_READ;
      return { s: s, x: m - b.x * s, y: HEADER + m - b.y * s };
    }
    return { s: s, x: (sz.w - b.w * s) / 2 - b.x * s, y: HEADER + m + (sz.h - HEADER - 2 * m - b.h * s) / 2 - b.y * s };
  }
  function setView(v) { view = { s: v.s, x: v.x, y: v.y }; apply(); }
  function fitAll() { setView(frame(false)); }
  function refit() { setView(frame(true)); }
  function reset() { clearSelection(false); setView(initial); }
  function zoomAt(f, px, py) {
    var sz = size();
    if (px === undefined) { px = sz.w / 2; py = sz.h / 2; }
    var s = Math.max(0.05, Math.min(6, view.s * f));
    var k = s / view.s;
    setView({ s: s, x: px - (px - view.x) * k, y: py - (py - view.y) * k });
  }
  function panBy(dx, dy) { setView({ s: view.s, x: view.x + dx, y: view.y + dy }); }

  stageEl.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = stageEl.getBoundingClientRect();
    zoomAt(Math.pow(1.0015, -ev.deltaY), ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (ev) {
    drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false };
    svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!drag) { return; }
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; }
    if (drag.moved) { setView({ s: view.s, x: drag.vx + dx, y: drag.vy + dy }); }
  });
  svg.addEventListener("pointerup", function (ev) {
    var d = drag;
    drag = null;
    if (d && !d.moved) { clickAt(document.elementFromPoint(ev.clientX, ev.clientY)); }
  });
  function clickAt(target) {
    var t = target;
    while (t && t !== svg && !(t.getAttribute && (t.getAttribute("data-out") || t.getAttribute("data-id") || t.getAttribute("data-i")))) {
      t = t.parentNode;
    }
    if (!t || t === svg) { clearSelection(true); return; }
    if (t.getAttribute("data-out")) { toggleOutside(Number(t.getAttribute("data-out"))); return; }
    var id = t.getAttribute("data-id");
    if (id) { select(id, false); return; }
    select(boxes[Number(t.getAttribute("data-i"))].id, false);
  }
  function toggleOutside(j) {
    expanded[j] = !expanded[j];
    redrawBox(j);
    stack();
    applySelectionClasses();
    inspect(boxes[j].id);
  }

  // ------------------------------------------------------------------ selection, inspector
  var boxOf = {};
  boxes.forEach(function (b, j) { boxOf[b.id] = j; });
  var selected = null, preSelect = null;
  function boxIndexFor(id) {
    if (boxOf[id] !== undefined) { return boxOf[id]; }
    var ent = D.entities[id];
    if (ent && ent.segs) {
      for (var i = 0; i < ent.segs.length; i++) { if (boxOf[ent.segs[i][0]] !== undefined) { return boxOf[ent.segs[i][0]]; } }
    }
    for (var j = 0; j < boxes.length; j++) {  // a target listed in a box
      var e = D.entities[boxes[j].id];
      if (e.targets.some(function (t) { return t.id === id; })) { return j; }
    }
    return null;
  }
  function applySelectionClasses() {
    svg.classList.toggle("dimmed", selected !== null);
    boxEl.forEach(function (g, j) { g.classList.toggle("hl", selected !== null && j === selected.box); });
    Array.prototype.forEach.call(content.querySelectorAll("text.sel"), function (t) { t.classList.remove("sel"); });
    if (selected) {
      Array.prototype.forEach.call(content.querySelectorAll("text[data-id]"), function (t) {
        if (t.getAttribute("data-id") === selected.id) { t.classList.add("sel"); }
      });
    }
  }
  function select(id, zoom) {
    var j = boxIndexFor(id);
    if (j !== null && (hiddenBox[j] || hiddenBand[boxes[j].band])) { resetFilters(); }
    if (!selected) { preSelect = { s: view.s, x: view.x, y: view.y }; }
    selected = { id: id, box: j };
    applySelectionClasses();
    inspect(id);
    if (zoom && j !== null) {
      var b = boxes[j], sz = size(), s = Math.max(view.s, Math.min(1.2, MIN_READ * 1.2));
      setView({ s: s, x: sz.w / 2 - (b.x + b.w / 2) * s, y: HEADER + (sz.h - HEADER) / 2 - (b.y + boxH(j) / 2) * s });
    }
    api.focused = id;
    api.highlighted = id;
  }
  function clearSelection(restore) {
    var had = selected !== null;
    selected = null;
    api.focused = null;
    api.highlighted = null;
    applySelectionClasses();
    closeInspector();
    if (restore && had && preSelect) { setView(preSelect); }
    preSelect = null;
  }
  function closeInspector() { insp.hidden = true; while (insp.firstChild) { insp.removeChild(insp.firstChild); } }

  function section(title) { var s = el("section"); s.appendChild(el("h3", null, title)); insp.appendChild(s); return s; }
  function table(parent, rows) {
    if (!rows.length) { return; }
    var tb = el("table");
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("td", null, r[0]));
      var td = el("td");
      if (r[1] && r[1].nodeType) { td.appendChild(r[1]); } else { td.textContent = r[1] === null || r[1] === undefined ? "" : String(r[1]); }
      tr.appendChild(td);
      tb.appendChild(tr);
    });
    parent.appendChild(tb);
  }
  function link(id, text) {
    var a = el("a", "lnk", text);
    a.href = "#";
    a.addEventListener("click", function (ev) { ev.preventDefault(); select(id, true); });
    return a;
  }
  function names(parent, list, limit, total) {
    var ul = el("ul", "names");
    list.slice(0, limit).forEach(function (f) {
      var li = el("li");
      li.appendChild(D.entities[f[0]] ? link(f[0], f[1]) : el("span", null, f[1]));
      if (f[2]) { li.appendChild(el("span", "tag anchor", UI.anchor_tag)); }
      ul.appendChild(li);
    });
    parent.appendChild(ul);
    if (total > Math.min(limit, list.length)) { parent.appendChild(el("p", "note", UI.shown_first.replace("{n}", Math.min(limit, list.length)) + " / " + total)); }
  }
  function fold(rec) {
    var det = el("details", "fold");
    det.appendChild(el("summary", null, UI.source));
    var rows = rec.rows.slice();
    if (rec.pvl) { rows.push([UI.provenance, rec.pvl]); }
    if (rec.src) { rows.push([UI.source, rec.src]); }
    if (rec.ev) { rows.push(["“”", rec.ev]); }
    table(det, rows);
    insp.appendChild(det);
  }
  function projectsTable(parent, ps) {
    table(parent, ps.map(function (p) { return [p[2], link2(p)]; }));
  }
  function link2(p) {
    var span = el("span", null, p[1]);
    if (p[3]) { span.appendChild(el("b", "amt", " " + p[3])); }
    return span;
  }
  function inspect(id) {
    var e = D.entities[id];
    if (!e) { return null; }
    closeInspector();
    insp.hidden = false;
    var head = el("div", "ihead");
    var x = el("button", "close", "×");
    x.type = "button";
    x.title = "Esc";
    x.addEventListener("click", function () { clearSelection(true); });
    head.appendChild(x);
    head.appendChild(el("h2", null, e.name));
    insp.appendChild(head);
    if (e.t === "Segment") {
      var chip = el("div", "chip st-" + (e.status || "none"), e.status ? D.gap[e.status] : UI.no_home_short);
      head.appendChild(chip);
      var top = section(UI.t_segments);
      table(top, [[UI.chain, e.chain], [UI.stage, e.stage]].concat(e.amount ? [[UI.amount, e.amount + " 亿元"]] : []));
      if (e.rules.length) {
        var r = section(UI.rules);
        var ul = el("ul", "rules");
        e.rules.forEach(function (x) { ul.appendChild(el("li", null, x.label)); });
        r.appendChild(ul);
      }
      if (e.miss) {
        var m = section(UI.miss_why);
        var rows = [[UI.gap_score, e.miss.score]];
        if (e.miss.up.length) { rows.push([UI.fed_by_covered, e.miss.up.join("、")]); }
        if (e.miss.down.length) { rows.push([UI.feeds_covered, e.miss.down.join("、")]); }
        if (e.miss.anchors.length) { rows.push([UI.anchors_need, e.miss.anchors.join("、")]); }
        if (e.miss.pipeline.length) { rows.push([UI.in_pipeline, e.miss.pipeline.join("、")]); }
        table(m, rows);
      }
      if (e.targets.length) {
        var ts = section(UI.targets);
        var tb = el("table", "targets");
        e.targets.forEach(function (t, i) {
          var tr = el("tr");
          var td = el("td");
          td.appendChild(el("span", null, (i + 1) + ". "));
          td.appendChild(link(t.id, t.name));
          if (t.hq) { td.appendChild(el("span", "note", " " + UI.hq + " " + t.hq)); }
          var parts = el("div", "parts", t.parts.filter(function (p) { return p[1]; }).map(function (p) { return p[0] + " " + p[1]; }).join(" + ") + " = " + t.score);
          td.appendChild(parts);
          tr.appendChild(td);
          tr.appendChild(el("td", "score", t.score));
          tb.appendChild(tr);
        });
        ts.appendChild(tb);
      }
      var lf = section(UI.local_firms_of + " " + e.local.length);
      if (e.local.length) { names(lf, e.local, 300, e.local.length); } else { lf.appendChild(el("p", "note", UI.none)); }
      if (e.projects.length) { projectsTable(section(UI.projects + " " + e.projects.length), e.projects); }
      var of = section(UI.outside_firms_of + " " + e.n_outside);
      if (e.outside.length) { names(of, e.outside, 200, e.n_outside); } else { of.appendChild(el("p", "note", UI.none)); }
    } else {
      var tag = e.local === null ? null : (e.local ? UI.local_tag : UI.outside_tag);
      if (tag) { head.appendChild(el("span", "tag" + (e.local ? " local" : ""), tag)); }
      if (e.anchor) { head.appendChild(el("span", "tag anchor", UI.anchor_tag)); }
      var s1 = section(UI.segments_of);
      var ul2 = el("ul", "names");
      e.segs.forEach(function (sg) {
        var li = el("li");
        li.appendChild(D.entities[sg[0]] ? link(sg[0], sg[1]) : el("span", null, sg[1]));
        li.appendChild(el("span", "note", " · " + sg[2]));
        ul2.appendChild(li);
      });
      s1.appendChild(ul2);
      var s2 = section(UI.chains);
      s2.appendChild(el("p", null, e.chains.join("、") || UI.none));
      if (e.where) { table(s2, [[UI.located, e.where]]); }
      if (e.projects.length) { projectsTable(section(UI.projects), e.projects); }
      if (e.rows.length) { table(section(UI.t_props), e.rows); }
    }
    fold(e.fold);
    return insp;
  }

  // ------------------------------------------------------------------ search
  var FOLD = { "“": '"', "”": '"', "「": '"', "」": '"', "—": "-", "–": "-", "－": "-" };
  function key(text) {
    var s = String(text || "");
    if (s.normalize) { s = s.normalize("NFKC"); }
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i), code = s.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) { c = s.substr(i, 2); i++; }
      c = FOLD[c] || c;
      c = D.t2s[c] || c;
      if (!/\s/.test(c)) { out += c; }
    }
    return out.toLowerCase();
  }
  function find(q) {
    var k = key(q), raw = String(q || "").trim().toLowerCase(), hits = [];
    if (!k) { return []; }
    D.search.forEach(function (n) {
      var score = 9;
      n.k.forEach(function (nk) {
        if (nk === k) { score = Math.min(score, 0); } else if (nk.indexOf(k) === 0) { score = Math.min(score, 1); } else if (nk.indexOf(k) > 0) { score = Math.min(score, 2); }
      });
      if (score === 9 && raw) { n.n.forEach(function (nm) { if (String(nm).toLowerCase().indexOf(raw) >= 0) { score = 2; } }); }
      if (score < 9) { hits.push([score, n.n[0].length, n.n[0], n.id, n.ty]); }
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    return hits;
  }
  var results = document.getElementById("results"), q = document.getElementById("q");
  function clearResults() { while (results.firstChild) { results.removeChild(results.firstChild); } }
  function search(text) {
    var hits = find(text);
    clearResults();
    if (!hits.length) { results.appendChild(el("li", "none", UI.no_match)); return []; }
    hits.slice(0, 12).forEach(function (h) {
      var li = el("li", null, h[2]);
      li.appendChild(el("span", "ty", h[4]));
      li.addEventListener("click", function () { select(h[3], true); });
      results.appendChild(li);
    });
    select(hits[0][3], true);
    return hits.map(function (h) { return h[3]; });
  }
  q.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { search(q.value); }
    if (ev.key === "Escape") { clearAll(); q.blur(); }
  });
  document.getElementById("go").addEventListener("click", function () { search(q.value); });
  function clearAll() { q.value = ""; clearResults(); clearSelection(true); }

  // ------------------------------------------------------------------ filters (each re-fits)
  var statusBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-status]"));
  var chainSelect = document.getElementById("band-filter");
  function applyFilters() {
    var show = {};
    statusBoxes.forEach(function (b) { show[b.getAttribute("data-status")] = b.checked; });
    var band = chainSelect && chainSelect.value !== "" ? Number(chainSelect.value) : null;
    boxes.forEach(function (b, j) { hiddenBox[j] = b.status ? show[b.status] === false : false; });
    bands.forEach(function (b, i) { hiddenBand[i] = band !== null && i !== band; });
    stack();
    refit();
    api.visibleCount = boxes.filter(function (b, j) { return !hiddenBox[j] && !hiddenBand[b.band]; }).length;
    return api.visibleCount;
  }
  function resetFilters() {
    statusBoxes.forEach(function (b) { b.checked = true; });
    if (chainSelect) { chainSelect.value = ""; }
    applyFilters();
  }
  statusBoxes.forEach(function (b) { b.addEventListener("change", applyFilters); });
  if (chainSelect) { chainSelect.addEventListener("change", applyFilters); }

  // ------------------------------------------------------------------ export and print
  var svgStyle = document.getElementById("pano-style").textContent;
  function standalone(withTitle) {
    var b = bounds, top = withTitle ? 70 : 0;
    var out = sv("svg", { xmlns: NS, viewBox: b.x + " " + (b.y - top) + " " + b.w + " " + (b.h + top),
      width: Math.ceil(b.w), height: Math.ceil(b.h + top), "font-family": FONT_FAMILY });
    out.appendChild(sv("style", {}, svgStyle));
    out.appendChild(sv("rect", { x: b.x, y: b.y - top, width: b.w, height: b.h + top, fill: "#fff" }));
    if (withTitle) {
      out.appendChild(sv("text", { x: b.x + 10, y: b.y - top + 30, "font-size": 24, "font-weight": "bold", fill: "#222" }, D.meta.title));
      out.appendChild(sv("text", { x: b.x + 10, y: b.y - top + 56, "font-size": 14, fill: "#555" }, subLine()));
    }
    var c = content.cloneNode(true);
    c.removeAttribute("id");
    Array.prototype.forEach.call(c.querySelectorAll(".print-only"), function (n) { n.setAttribute("class", n.getAttribute("class").replace("print-only", "")); });
    out.appendChild(c);
    return out;
  }
  var FONT_FAMILY = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
  function subLine() {
    return document.getElementById("sub").textContent + "  " + document.getElementById("tally").textContent;
  }
  function exportSVG() { return new XMLSerializer().serializeToString(standalone(true)); }
  function exportPNG(scale) {
    scale = scale || 2;
    var text = exportSVG(), b = bounds, top = 70;
    return new Promise(function (resolve, reject) {
      var img = new Image();
      img.onload = function () {
        var w = Math.ceil(b.w), h = Math.ceil(b.h + top), k = Math.min(scale, 16000 / Math.max(w, h));
        var cv = document.createElement("canvas");
        cv.width = Math.round(w * k); cv.height = Math.round(h * k);
        var ctx = cv.getContext("2d");
        ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, cv.width, cv.height);
        ctx.drawImage(img, 0, 0, cv.width, cv.height);
        resolve(cv.toDataURL("image/png"));
      };
      img.onerror = function () { reject(new Error("SVG image failed to load")); };
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    });
  }
  function fileName(ext) { return (D.meta.title + "-" + D.meta.date).replace(/[\\/:*?"<>|\s]+/g, "_") + "." + ext; }
  function download(url, name) {
    var a = document.createElement("a");
    a.href = url; a.download = name;
    document.body.appendChild(a); a.click(); document.body.removeChild(a);
  }
  document.getElementById("btn-svg").addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([exportSVG()], { type: "image/svg+xml" }));
    download(url, fileName("svg"));
    setTimeout(function () { URL.revokeObjectURL(url); }, 5000);
  });
  document.getElementById("btn-png").addEventListener("click", function () {
    exportPNG(2).then(function (url) { download(url, fileName("png")); });
  });
  document.getElementById("btn-print").addEventListener("click", function () { window.print(); });
  var printSvgHolder = document.getElementById("print-graph");
  function refreshPrint() {
    if (!printSvgHolder) { return; }
    while (printSvgHolder.firstChild) { printSvgHolder.removeChild(printSvgHolder.firstChild); }
    var s = standalone(false);
    s.removeAttribute("width"); s.removeAttribute("height");
    s.setAttribute("preserveAspectRatio", "xMidYMin meet");
    printSvgHolder.appendChild(s);
  }

  // ------------------------------------------------------------------ buttons and keys
  document.getElementById("btn-fit").addEventListener("click", fitAll);
  document.getElementById("btn-reset").addEventListener("click", reset);
  document.getElementById("btn-in").addEventListener("click", function () { zoomAt(1.25); });
  document.getElementById("btn-out").addEventListener("click", function () { zoomAt(0.8); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { clearAll(); return; }
    if (ev.target && (ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT")) { return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var k = ev.key;
    if (k === "+" || k === "=") { zoomAt(1.25); } else if (k === "-" || k === "_") { zoomAt(0.8); } else if (k === "0") { reset(); } else if (k === "f" || k === "F") { fitAll(); } else if (k === "ArrowLeft") { panBy(80, 0); } else if (k === "ArrowRight") { panBy(-80, 0); } else if (k === "ArrowUp") { panBy(0, 80); } else if (k === "ArrowDown") { panBy(0, -80); } else { return; }
    ev.preventDefault();
  });
  window.addEventListener("resize", function () { apply(); });

  // ------------------------------------------------------------------ measurements for tests and benchmarks
  function labelSizes() {
    var seg = [], firm = [], outsideBox = 0, shown = 0;
    boxEl.forEach(function (g, j) {
      if (hiddenBox[j] || hiddenBand[boxes[j].band]) { return; }
      var frame = g.querySelector("rect.frame").getBoundingClientRect();
      Array.prototype.forEach.call(g.querySelectorAll("text"), function (t) {
        var px = Number(t.getAttribute("font-size")) * t.getScreenCTM().a;
        if (t.classList.contains("nm")) { seg.push(px); }
        if (t.classList.contains("k-firm") || t.classList.contains("k-anchor")) {
          firm.push(px);
          var r = t.getBoundingClientRect();
          if (r.width) { shown++; }
          if (r.left < frame.left - 0.5 || r.right > frame.right + 0.5 || r.top < frame.top - 0.5 || r.bottom > frame.bottom + 0.5) { outsideBox++; }
        }
      });
    });
    function min(a) { return a.length ? Math.min.apply(null, a) : null; }
    return { segMin: min(seg), firmMin: min(firm), segments: seg.length, firms: firm.length, firmsShown: shown,
      firmsOutsideBox: outsideBox, scale: view.s };
  }
  function panFps(frames) {  // pan by small steps, one per animation frame, and count frames per second
    frames = frames || 60;
    return new Promise(function (resolve) {
      var n = 0, t0 = null, start = { s: view.s, x: view.x, y: view.y }, worst = 0, last = null;
      function step(ts) {
        if (t0 === null) { t0 = ts; last = ts; } else { worst = Math.max(worst, ts - last); last = ts; }
        if (n >= frames) {
          setView(start);
          resolve({ fps: frames / ((ts - t0) / 1000), worst_ms: worst });
          return;
        }
        panBy(n % 40 < 20 ? -7 : 7, n % 20 < 10 ? -3 : 3);
        n++;
        requestAnimationFrame(step);
      }
      requestAnimationFrame(step);
    });
  }

  var api = {
    data: D, metrics: metrics, ready: false, errors: [],
    view: function () { return { s: view.s, x: view.x, y: view.y }; }, initial: function () { return initial; },
    fit: fitAll, reset: reset, refit: refit, zoom: zoomAt, panBy: panBy, setView: setView,
    find: find, search: search, select: select, inspect: inspect, clear: clearAll, key: key,
    applyFilters: applyFilters, resetFilters: resetFilters, toggleOutside: toggleOutside,
    exportSVG: exportSVG, exportPNG: exportPNG, labelSizes: labelSizes, panFps: panFps,
    visibleCount: boxes.length, focused: null, highlighted: null
  };
  window.chainkg = api;

  stack();
  initial = frame(true);
  setView(initial);
  metrics.created = performance.now();
  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      metrics.firstDraw = performance.now();
      metrics.usable = metrics.firstDraw;
      api.ready = true;
      document.body.setAttribute("data-ready", "1");
    });
  });
})();
