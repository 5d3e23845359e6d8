/* chainkg page script: draws the precomputed view with vis-network (physics off), search, filters,
 * tooltips, neighbourhood highlight, fit/reset/zoom, and for the whole view its groups (one node per
 * chain, opened and collapsed in place). Text from the data is only ever set with textContent or
 * drawn on the canvas. */
(function () {
  "use strict";
  var metrics = { scriptStart: performance.now() };
  var D = JSON.parse(document.getElementById("chainkg-data").textContent);
  metrics.parsed = performance.now();
  var UI = D.ui;
  var FONT = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
  var CL = D.clusters || null;  // the clustered whole view: aggregates; D.nodes are their members
  var BIG = !CL && D.nodes.length > 800;
  var byId = {};
  D.nodes.forEach(function (n) { byId[n.id] = n; });
  var clById = {}, membersOf = {}, openSet = {}, baseEdgeColor = {};
  if (CL) {
    CL.forEach(function (c, i) { clById[c.id] = i; membersOf[i] = []; });
    D.nodes.forEach(function (n) { membersOf[n.cl].push(n); });
  }

  // ------------------------------------------------------------------ styles
  var LABEL_INSIDE = { box: 1, ellipse: 1, text: 1, circle: 1, database: 1 };
  function fontSize(n) { return n.t === "Chain" ? 22 : (n.t === "Segment" ? 18 : 14); }
  function nodeStyle(n) {
    var ty = D.types[n.t] || { color: "#999", pale: "#ddd", shape: "dot" };
    var fill = n.o === 0 ? ty.pale : ty.color;
    var border = n.o === 0 ? ty.color : "#4d4d4d";
    var width = 1.5;
    if (n.g && D.gap[n.g]) {
      fill = D.gap[n.g].fill; border = D.gap[n.g].border; width = n.g === "missing" ? 3.5 : 2;
    }
    if (n.a) { border = "#d4ac0d"; width = 4.5; }
    var dashes = (n.p && D.prov[n.p]) ? D.prov[n.p].dashes : false;
    var inside = LABEL_INSIDE[ty.shape];
    var font = { color: n.o === 0 ? "#555" : "#222", size: fontSize(n), face: FONT };
    if (inside && n.t !== "Source") { font.color = n.g || n.o === 0 ? "#222" : "#fff"; }
    if (ty.shape === "text") { font.color = "#555"; }
    return {
      color: {
        background: fill, border: border,
        highlight: { background: fill, border: "#000" }, hover: { background: fill, border: "#000" }
      },
      font: font, borderWidth: width,
      shapeProperties: { borderDashes: dashes }
    };
  }
  function visNode(n) {
    var ty = D.types[n.t] || { shape: "dot" };
    var s = nodeStyle(n);
    var size = n.t === "Chain" ? 26 : (n.a ? 22 : (n.t === "Enterprise" || n.t === "Project" ? 12 : 16));
    return {
      id: n.id, label: n.l, x: n.x, y: n.y, shape: ty.shape, size: size,
      widthConstraint: n.t === "Segment" ? { maximum: 190 } : (n.t === "Chain" ? false : { maximum: 160 }),
      color: s.color, font: s.font, borderWidth: s.borderWidth, borderWidthSelected: s.borderWidth + 1.5,
      shapeProperties: s.shapeProperties
    };
  }
  var CL_FONT = 20;
  function clusterStyle(c) {
    var chain = c.kind === "chain";
    var ty = D.types[chain ? "Chain" : (c.kind.indexOf("regions") === 0 ? "Region" : (c.kind === "events" ? "Event" : "Statistic"))]
      || { color: "#999", pale: "#ddd" };
    var fill = chain ? ty.color : ty.pale;
    return {
      color: { background: fill, border: c.open ? "#4d4d4d" : "#999", highlight: { background: fill, border: "#000" },
        hover: { background: fill, border: "#000" } },
      font: { color: chain ? "#fff" : "#222", size: CL_FONT, face: FONT },
      borderWidth: c.open ? 2 : 1.5, shapeProperties: { borderDashes: c.open ? false : [6, 4] }
    };
  }
  function visCluster(i, pos) {
    var c = CL[i], s = clusterStyle(c);
    return { id: c.id, label: c.l, x: pos.x, y: pos.y, shape: "box", margin: 12, color: s.color, font: s.font,
      borderWidth: s.borderWidth, borderWidthSelected: s.borderWidth + 1.5, shapeProperties: s.shapeProperties };
  }
  var BOX_PAD = 160;
  // Where cluster i sits: its grid place, pushed aside by every open cluster so none overlaps.
  function clusterPos(i) {
    var c = CL[i], x = c.x, y = c.y;
    Object.keys(openSet).forEach(function (k) {
      var o = CL[k];
      if (Number(k) === i) { return; }
      if (c.x !== o.x) { x += (c.x > o.x ? 1 : -1) * (o.w / 2 + BOX_PAD); }
      if (c.y !== o.y) { y += (c.y > o.y ? 1 : -1) * (o.h / 2 + BOX_PAD); }
    });
    return { x: x, y: y };
  }
  function edgeStyle(e) {
    var c = e.p === "inferred" ? "#d39b62" : (e.p === "template" ? "#7fa7c9" : "#8c8c8c");
    return { color: { color: c, highlight: "#222", hover: "#222", opacity: 0.85 },
      dashes: (e.p && D.prov[e.p]) ? D.prov[e.p].dashes : false, width: 1.2 };
  }
  function visEdge(e) {
    var s = edgeStyle(e);
    return { id: e.id, from: e.f, to: e.t, color: s.color, dashes: s.dashes, width: s.width };
  }

  // ------------------------------------------------------------------ network
  var nodes = new vis.DataSet(CL ? CL.map(function (c, i) { return visCluster(i, clusterPos(i)); })
    : D.nodes.map(visNode));
  var edgeById = {}, aggById = {};
  D.edges.forEach(function (e) { edgeById[e.id] = e; });
  // ----------------------------------------------------- links between groups (recomputed on open/close)
  function linkEdge(id, from, to, rels, shared, member) {
    var total = 0, feeds = false;
    Object.keys(rels).forEach(function (r) { total += rels[r][0] + rels[r][1]; if (r === "FEEDS") { feeds = true; } });
    aggById[id] = { from: from, to: to, rels: rels, shared: shared, total: total };
    var c = feeds ? "#2471a3" : (member ? "#c8c8c8" : "#9a9a9a");
    baseEdgeColor[id] = { color: c, highlight: "#222", hover: "#222", opacity: member ? 0.6 : 0.8 };
    return { id: id, from: from, to: to, width: Math.min(12, (member ? 0.6 : 1) + 1.4 * Math.log(1 + total) / Math.LN2),
      color: { color: c, highlight: "#222", hover: "#222", opacity: member ? 0.6 : 0.8 },
      arrows: { to: { enabled: false } }, dashes: false, smooth: false };
  }
  function rep(id) { var n = byId[id]; return openSet[n.cl] ? id : CL[n.cl].id; }
  function clusterEdges() {
    var out = [], agg = {};
    aggById = {};
    D.links.forEach(function (L) {
      if (!openSet[L.a] && !openSet[L.b]) { out.push(linkEdge("L" + L.a + "_" + L.b, CL[L.a].id, CL[L.b].id, L.rels, L.shared)); }
    });
    // Between an open group and a closed one: one line per pair, drawn from the open group's first member
    // (its chain), not one per member (hundreds of long lines would make panning crawl).
    function add(c, x, rel, k, n, firm) {
      var key = c + "|" + x, a = agg[key];
      if (!a) { a = agg[key] = { c: c, x: x, rels: {}, firms: {}, shared: 0 }; }
      var r = a.rels[rel] || (a.rels[rel] = [0, 0]);
      r[k] += n;
      if (firm) { a.firms[firm] = 1; }
    }
    D.edges.forEach(function (e) {
      var cf = byId[e.f].cl, ct = byId[e.t].cl, of = !!openSet[cf], ot = !!openSet[ct];
      if (of && ot) { out.push(visEdge(e)); return; }
      if (!of && !ot) { return; }  // inside one closed group, or between two: the links above
      var firm = (e.r === "OPERATES_IN" || e.r === "ANCHORS") && byId[e.f].t === "Enterprise" ? e.f : null;
      // [closed group → open group, open group → closed group]
      add(of ? cf : ct, of ? ct : cf, e.r, of ? 1 : 0, 1, firm);
    });
    D.partial.forEach(function (p) {
      if (!openSet[p.c]) { return; }
      Object.keys(p.rels).forEach(function (r) {
        add(p.c, p.x, r, 0, p.rels[r][0], null);
        add(p.c, p.x, r, 1, p.rels[r][1], null);
      });
      agg[p.c + "|" + p.x].shared += p.shared;
    });
    Object.keys(agg).forEach(function (key) {
      var a = agg[key];
      out.push(linkEdge("M" + key, CL[a.x].id, membersOf[a.c][0].id, a.rels, a.shared + Object.keys(a.firms).length,
        true));
    });
    return out;
  }
  var edges = new vis.DataSet(CL ? clusterEdges() : D.edges.map(visEdge));
  var container = document.getElementById("graph");
  var options = {
    physics: { enabled: false },
    layout: { improvedLayout: false, hierarchical: { enabled: false } },
    nodes: { font: { face: FONT, size: 14 } },
    edges: {
      smooth: false, selectionWidth: 1.5, hoverWidth: 0.5,
      arrows: { to: { enabled: true, scaleFactor: 0.45 } }
    },
    interaction: {
      hover: true, tooltipDelay: 120, navigationButtons: false, keyboard: false,
      hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG, multiselect: false
    }
  };
  var network = new vis.Network(container, {}, options);
  var api = {
    network: network, nodes: nodes, edges: edges, data: D, metrics: metrics, ready: false,
    errors: []
  };
  window.chainkg = api;
  network.once("afterDrawing", function () {
    metrics.firstDraw = performance.now();
    metrics.usable = metrics.firstDraw;
    api.ready = true;
    document.body.setAttribute("data-ready", "1");
  });
  network.setData({ nodes: nodes, edges: edges });
  metrics.created = performance.now();
  function fitVisible() {  // everything shown, with a little room around it (and for stage headers above)
    network.fit({ animation: false });
    var s = network.getScale() * 0.93, p = network.getViewPosition();
    var up = D.bands && D.bands.length ? 45 / s : 0;
    network.moveTo({ position: { x: p.x, y: p.y - up / 2 }, scale: s * (up ? 0.96 : 1), animation: false });
  }
  fitVisible();
  if (CL) {  // group names stay readable (≥ 12 px): with very many groups, open at the top left instead
    var s0 = network.getScale();
    if (s0 * CL_FONT < 12.5) {
      var s1 = 12.5 / CL_FONT, x0 = Infinity, y0 = Infinity;
      CL.forEach(function (c) { x0 = Math.min(x0, c.x); y0 = Math.min(y0, c.y); });
      network.moveTo({ position: { x: x0 - 220 + container.clientWidth / 2 / s1, y: y0 - 90 + container.clientHeight / 2 / s1 },
        scale: s1, animation: false });
    }
  }
  var initialView = { position: network.getViewPosition(), scale: network.getScale() };

  // stage headers and bands (chain view), drawn under the graph
  var yMin = Infinity, yMax = -Infinity;
  D.nodes.forEach(function (n) { if (n.y < yMin) { yMin = n.y; } if (n.y > yMax) { yMax = n.y; } });
  if (D.bands && D.bands.length) {
    network.on("beforeDrawing", function (ctx) {
      ctx.save();
      D.bands.forEach(function (b, i) {
        ctx.fillStyle = i % 2 ? "rgba(41,128,185,0.05)" : "rgba(39,174,96,0.05)";
        ctx.fillRect(b.x0, b.y - 30, b.x1 - b.x0, yMax - b.y + 70);
        ctx.fillStyle = "#555";
        ctx.font = "bold 30px " + FONT;
        ctx.textAlign = "center";
        ctx.fillText(b.label, (b.x0 + b.x1) / 2, b.y);
      });
      ctx.restore();
    });
  }

  // ------------------------------------------------------------------ tooltip
  var tip = document.getElementById("tip");
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function fillTip(t, title, kind) {
    while (tip.firstChild) { tip.removeChild(tip.firstChild); }
    tip.className = t.pv ? "pv-border-" + t.pv : "";
    var head = el("div");
    head.appendChild(el("span", "h", title));
    head.appendChild(el("span", "ty", kind));
    tip.appendChild(head);
    if (t.rows && t.rows.length) {
      var table = el("table");
      t.rows.forEach(function (r) {
        var tr = el("tr");
        tr.appendChild(el("td", null, r[0]));
        tr.appendChild(el("td", null, r[1]));
        table.appendChild(tr);
      });
      tip.appendChild(table);
    }
    var prov = D.prov[t.pv] || null;
    if (prov || t.src !== undefined) {
      var pv = el("div", "pv");
      if (prov) { pv.appendChild(el("span", "badge pv-" + t.pv, prov.label)); pv.appendChild(document.createTextNode(" ")); }
      if (t.src !== undefined) { pv.appendChild(document.createTextNode(UI.source + ": " + D.strings[t.src])); }
      tip.appendChild(pv);
    }
    if (t.ev !== undefined) {
      tip.appendChild(el("div", "ev", (prov ? prov.evidence : "") + ": “" + D.strings[t.ev] + "”"));
    }
  }
  function nodeTip(id) {
    if (clById[id] !== undefined) { var c = CL[clById[id]]; return [c.tip, c.tip.h, UI.cl_members + " " + c.n.toLocaleString()]; }
    var n = byId[id];
    return [n.tip, n.tip.h, (D.types[n.t] || {}).label || n.t];
  }
  function endName(id) { return clById[id] !== undefined ? CL[clById[id]].tip.h : byId[id].tip.h; }
  function linkTip(a) {
    var A = endName(a.from), B = endName(a.to), rows = [];
    Object.keys(a.rels).sort().forEach(function (r) {
      var name = D.rels[r] || r;
      if (a.rels[r][0]) { rows.push([name, A + " → " + B + "  " + a.rels[r][0].toLocaleString()]); }
      if (a.rels[r][1]) { rows.push([name, B + " → " + A + "  " + a.rels[r][1].toLocaleString()]); }
    });
    if (a.shared) { rows.push([UI.cl_shared, a.shared.toLocaleString()]); }
    return [{ rows: rows }, UI.cl_link, A + " — " + B];
  }
  function edgeTip(id) {
    if (aggById[id]) { return linkTip(aggById[id]); }
    var e = edgeById[id];
    return [e.tip, D.rels[e.r] || e.r, byId[e.f].tip.h + " → " + byId[e.t].tip.h];
  }
  function showTip(parts, x, y) {
    fillTip(parts[0], parts[1], parts[2]);
    tip.style.display = "block";
    var box = container.getBoundingClientRect();
    var left = container.offsetLeft + Math.min(x + 14, box.width - tip.offsetWidth - 4);
    var top = Math.min(y + 14, box.height - tip.offsetHeight - 4);
    tip.style.left = Math.max(container.offsetLeft, left) + "px";
    tip.style.top = Math.max(0, top) + "px";
  }
  function hideTip() { tip.style.display = "none"; }
  network.on("hoverNode", function (p) { if (byId[p.node] || clById[p.node] !== undefined) { showTip(nodeTip(p.node), p.pointer.DOM.x, p.pointer.DOM.y); } });
  network.on("hoverEdge", function (p) { if (edgeById[p.edge] || aggById[p.edge]) { showTip(edgeTip(p.edge), p.pointer.DOM.x, p.pointer.DOM.y); } });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  api.showTip = function (id) {
    if (CL && byId[id] && !openSet[byId[id].cl]) { openCluster(byId[id].cl, true); }
    var pos = network.canvasToDOM(network.getPosition(id));
    showTip(nodeTip(id), pos.x, pos.y);
    return tip;
  };
  api.showEdgeTip = function (id) {
    var e = edgeById[id] || { f: aggById[id].from, t: aggById[id].to };
    var a = network.getPosition(e.f), b = network.getPosition(e.t);
    var pos = network.canvasToDOM({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
    showTip(edgeTip(id), pos.x, pos.y);
    return tip;
  };

  // ------------------------------------------------------------ highlight
  var dimmed = false;
  function styleOf(id) { return clById[id] !== undefined ? clusterStyle(CL[clById[id]]) : nodeStyle(byId[id]); }
  function edgeColor(id) { return edgeById[id] ? edgeStyle(edgeById[id]).color : baseEdgeColor[id]; }
  var DIM_NODE = { color: { background: "#eeeeee", border: "#dddddd", highlight: { background: "#eeeeee", border: "#999" },
    hover: { background: "#eeeeee", border: "#999" } }, font: { color: "#c4c4c4", face: FONT } };
  function highlight(id) {
    var near = {};
    near[id] = 1;
    network.getConnectedNodes(id).forEach(function (n) { near[n] = 1; });
    var conn = {};
    network.getConnectedEdges(id).forEach(function (e) { conn[e] = 1; });
    nodes.update(nodes.getIds().map(function (nid) {
      if (near[nid]) { var s = styleOf(nid); return { id: nid, color: s.color, font: s.font }; }
      return { id: nid, color: DIM_NODE.color, font: { color: DIM_NODE.font.color, face: FONT, size: styleOf(nid).font.size } };
    }));
    edges.update(edges.getIds().map(function (eid) {
      return { id: eid, color: conn[eid] ? edgeColor(eid) : { color: "#e6e6e6", highlight: "#222", hover: "#222", opacity: 0.6 } };
    }));
    dimmed = true;
    api.highlighted = id;
  }
  function clearHighlight() {
    if (!dimmed) { return; }
    nodes.update(nodes.getIds().map(function (nid) { var s = styleOf(nid); return { id: nid, color: s.color, font: s.font }; }));
    edges.update(edges.getIds().map(function (eid) { return { id: eid, color: edgeColor(eid) }; }));
    dimmed = false;
    api.highlighted = null;
  }
  network.on("click", function (p) {
    if (p.nodes.length) {
      highlight(p.nodes[0]);
      if (CL) { showPanel(clById[p.nodes[0]] !== undefined ? clById[p.nodes[0]] : byId[p.nodes[0]].cl); }
    } else if (!p.edges.length) { clearHighlight(); }
  });
  api.highlight = highlight;
  api.clearHighlight = clearHighlight;

  // ------------------------------------------------------------------ search
  var FOLD = { "“": '"', "”": '"', "「": '"', "」": '"', "—": "-", "–": "-", "－": "-" };
  function key(text) {
    var s = String(text || "");
    if (s.normalize) { s = s.normalize("NFKC"); }
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      var code = s.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) { c = s.substr(i, 2); i++; }
      c = FOLD[c] || c;
      c = D.t2s[c] || c;
      if (!/\s/.test(c)) { out += c; }
    }
    return out.toLowerCase();
  }
  function find(q) {
    var k = key(q);
    var raw = String(q || "").trim().toLowerCase();
    if (!k) { return []; }
    var hits = [];
    D.nodes.forEach(function (n) {
      var score = 9;
      n.k.forEach(function (nk) {
        if (nk === k) { score = Math.min(score, 0); }
        else if (nk.indexOf(k) === 0) { score = Math.min(score, 1); }
        else if (nk.indexOf(k) > 0) { score = Math.min(score, 2); }
      });
      if (score === 9 && raw) {
        n.n.forEach(function (name) { if (String(name).toLowerCase().indexOf(raw) >= 0) { score = 2; } });
      }
      if (score < 9) { hits.push([score, n.l.length, n.l, n.id]); }
    });
    (CL || []).forEach(function (c) {
      c.k.forEach(function (nk) { if (nk === k) { hits.push([0, 0, c.tip.h, c.id]); } });
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    return hits.map(function (h) { return h[3]; });
  }
  function focus(id) {
    if (CL && clById[id] !== undefined) {
      if (!nodes.get(id)) { closeCluster(clById[id], true); }
      network.focus(id, { scale: Math.max(1.0, Math.min(network.getScale(), 1.6)), animation: false });
      network.selectNodes([id]); highlight(id); showPanel(clById[id]); api.focused = id;
      return;
    }
    if (!byId[id]) { return; }
    if (CL && !openSet[byId[id].cl]) { openCluster(byId[id].cl, true); }
    if (nodes.get(id).hidden) { resetFilters(); }
    network.focus(id, { scale: Math.max(1.0, Math.min(network.getScale(), 1.6)), animation: false });
    network.selectNodes([id]);
    highlight(id);
    api.focused = id;
  }
  var results = document.getElementById("results");
  function search(q) {
    var ids = find(q);
    while (results.firstChild) { results.removeChild(results.firstChild); }
    if (!ids.length) {
      results.appendChild(el("li", "none", UI.no_match));
      return ids;
    }
    ids.slice(0, 12).forEach(function (id) {
      var parts = nodeTip(id);
      var li = el("li", null, parts[1]);
      li.appendChild(el("span", "ty", clById[id] !== undefined ? UI.groups : parts[2]));
      li.addEventListener("click", function () { focus(id); });
      results.appendChild(li);
    });
    focus(ids[0]);
    return ids;
  }
  var q = document.getElementById("q");
  q.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { search(q.value); } });
  document.getElementById("go").addEventListener("click", function () { search(q.value); });
  api.find = find;
  api.search = search;
  api.focus = focus;
  api.key = key;

  // ------------------------------------------------------------------ filters
  var typeBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-type]"));
  var chainSelect = document.getElementById("chain-filter");
  var hiddenNow = {};
  function applyFilters() {
    var shownTypes = {};
    typeBoxes.forEach(function (b) { if (b.checked) { shownTypes[b.getAttribute("data-type")] = 1; } });
    var chain = !CL && chainSelect && chainSelect.value !== "" ? Number(chainSelect.value) : null;
    var inChain = {};
    if (chain !== null) {
      D.nodes.forEach(function (n) { if (n.c && n.c.indexOf(chain) >= 0) { inChain[n.id] = 1; } });
      // nodes outside every chain (regions, events …) stay when linked to the chain's nodes
      D.edges.forEach(function (e) {
        if (inChain[e.f] === 1 && !byId[e.t].c) { inChain[e.t] = 2; }
        if (inChain[e.t] === 1 && !byId[e.f].c) { inChain[e.f] = 2; }
      });
    }
    var changes = [];
    D.nodes.forEach(function (n) {
      var hide = !shownTypes[n.t] || (chain !== null && !inChain[n.id]);
      if (CL && !openSet[n.cl]) { hiddenNow[n.id] = hide; return; }  // applied when its group opens
      if (!!hiddenNow[n.id] !== hide) { changes.push({ id: n.id, hidden: hide }); hiddenNow[n.id] = hide; }
    });
    if (changes.length) { nodes.update(changes); }
    api.visibleCount = D.nodes.length - Object.keys(hiddenNow).filter(function (k) { return hiddenNow[k]; }).length;
    return api.visibleCount;
  }
  function resetFilters() {
    typeBoxes.forEach(function (b) { b.checked = true; });
    if (chainSelect) { chainSelect.value = ""; }
    applyFilters();
  }
  typeBoxes.forEach(function (b) { b.addEventListener("change", applyFilters); });
  if (chainSelect && !CL) { chainSelect.addEventListener("change", function () { applyFilters(); fitVisible(); }); }
  if (chainSelect && CL) {  // choosing a chain opens its group alone; 全部产业链 returns to the groups
    chainSelect.addEventListener("change", function () {
      if (chainSelect.value === "") { closeAll(); fitVisible(); return; }
      var id = D.chains[Number(chainSelect.value)].id;
      var i = CL.findIndex(function (c) { return c.chain === id; });
      closeAll();
      if (i >= 0) { openCluster(i); showPanel(i); }
    });
  }
  api.applyFilters = applyFilters;
  api.resetFilters = resetFilters;
  api.visibleCount = D.nodes.length;
  // ------------------------------------------------------ groups: open, collapse, panel
  function openIds() { return Object.keys(openSet).map(Number).sort(function (a, b) { return a - b; }); }
  function layoutClusters() {
    var upd = [];
    CL.forEach(function (c, i) {
      var p = clusterPos(i);
      if (openSet[i]) { membersOf[i].forEach(function (n) { upd.push({ id: n.id, x: p.x + n.x, y: p.y + n.y }); }); }
      else { upd.push({ id: c.id, x: p.x, y: p.y }); }
    });
    nodes.update(upd);
  }
  function relink() {
    var list = clusterEdges();
    // Dashes and arrowheads cost the canvas dearly: with many lines on screen they are drawn plain (a
    // 505-member group pans at ~15 instead of ~2 frames/s); each line's tooltip still names its
    // provenance and its direction.
    if (list.length > 400) {
      list.forEach(function (e) { e.dashes = false; e.arrows = { to: { enabled: false } }; });
    }
    edges.clear();
    edges.add(list);
    var many = openIds().reduce(function (t, i) { return t + membersOf[i].length; }, 0) > 800;
    network.setOptions({ interaction: { hideEdgesOnDrag: many, hideEdgesOnZoom: many } });
    api.opened = openIds();
  }
  function openCluster(i, noFit) {
    var c = CL[i];
    if (!c) { return false; }
    if (!c.open) { showPanel(i); return false; }
    if (!openSet[i]) {
      clearHighlight();
      hideTip();
      openSet[i] = true;
      nodes.remove(c.id);
      var p = clusterPos(i);
      nodes.add(membersOf[i].map(function (n) {
        var v = visNode(n); v.x = p.x + n.x; v.y = p.y + n.y; v.hidden = !!hiddenNow[n.id]; return v;
      }));
      layoutClusters();
      relink();
    }
    if (!noFit) { network.fit({ nodes: membersOf[i].map(function (n) { return n.id; }), animation: false }); }
    refreshPanel();
    return true;
  }
  function closeCluster(i, noFit) {
    if (!openSet[i]) { return; }
    clearHighlight();
    hideTip();
    delete openSet[i];
    nodes.remove(membersOf[i].map(function (n) { return n.id; }));
    nodes.add(visCluster(i, clusterPos(i)));
    layoutClusters();
    relink();
    if (!noFit) { fitVisible(); }
    refreshPanel();
  }
  function closeAll() {
    if (!CL) { return; }
    clearHighlight();
    var ids = [];
    openIds().forEach(function (i) { membersOf[i].forEach(function (n) { ids.push(n.id); }); });
    openSet = {};
    if (ids.length) {
      nodes.remove(ids);
      nodes.update(CL.map(function (c, i) { return visCluster(i, clusterPos(i)); }));
      relink();
    }
    refreshPanel();
  }
  var panel = document.getElementById("cl-panel"), panelFor = null;
  function showPanel(i) {
    if (!panel || i === undefined || i === null) { return; }
    panelFor = i;
    var c = CL[i];
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    panel.appendChild(el("h2", null, c.tip.h));
    var table = el("table");
    c.tip.rows.forEach(function (r) {
      var tr = el("tr"); tr.appendChild(el("td", null, r[0])); tr.appendChild(el("td", null, r[1])); table.appendChild(tr);
    });
    panel.appendChild(table);
    if (c.open) {
      var b = el("button", null, openSet[i] ? UI.cl_close : UI.cl_open);
      b.type = "button"; b.id = "cl-toggle";
      b.addEventListener("click", function () { if (openSet[i]) { closeCluster(i); } else { openCluster(i); } });
      panel.appendChild(b);
    } else {
      panel.appendChild(el("p", "note", UI.cl_closed_only));
      String(c.tip.advice || "").split("; ").forEach(function (a) {
        if (a) { panel.appendChild(el("code", null, "chainkg viz " + a.replace(/ \(.*\)$/, "") + " -o …html")); }
      });
    }
    panel.hidden = false;
  }
  function refreshPanel() { if (panel && panelFor !== null && !panel.hidden) { showPanel(panelFor); } }
  function hidePanel() { if (panel) { panel.hidden = true; panelFor = null; } }
  if (CL) {
    network.on("doubleClick", function (p) {
      if (!p.nodes.length) { return; }
      var id = p.nodes[0];
      if (clById[id] !== undefined) { openCluster(clById[id]); showPanel(clById[id]); } else if (byId[id]) { closeCluster(byId[id].cl); }
    });
  }
  // How many relationships an edge on screen stands for (1 for a relationship drawn as itself).
  api.edgeTotal = function (id) { return aggById[id] ? aggById[id].total : 1; };
  api.openCluster = openCluster;
  api.closeCluster = closeCluster;
  api.closeAll = closeAll;
  api.opened = [];
  api.showPanel = showPanel;

  // -------------------------------------------------------- fit, reset, zoom, keys
  function zoomBy(f) {
    network.moveTo({ position: network.getViewPosition(), scale: network.getScale() * f, animation: false });
  }
  function clearSearch() {
    q.value = "";
    while (results.firstChild) { results.removeChild(results.firstChild); }
    network.unselectAll();
    api.focused = null;
  }
  function reset() {
    closeAll();
    resetFilters();
    clearHighlight();
    clearSearch();
    hidePanel();
    network.moveTo({ position: initialView.position, scale: initialView.scale, animation: false });
  }
  document.getElementById("btn-fit").addEventListener("click", fitVisible);
  document.getElementById("btn-reset").addEventListener("click", reset);
  document.getElementById("btn-in").addEventListener("click", function () { zoomBy(1.25); });
  document.getElementById("btn-out").addEventListener("click", function () { zoomBy(0.8); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { clearHighlight(); clearSearch(); hidePanel(); hideTip(); return; }
    var t = ev.target && ev.target.tagName;
    if (t === "INPUT" || t === "SELECT" || t === "TEXTAREA" || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var step = 80 / network.getScale(), p = network.getViewPosition();
    var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (ev.key === "+" || ev.key === "=") { zoomBy(1.25); }
    else if (ev.key === "-" || ev.key === "_") { zoomBy(0.8); }
    else if (ev.key === "0") { reset(); }
    else if (ev.key === "f" || ev.key === "F") { fitVisible(); }
    else if (moves[ev.key]) {
      network.moveTo({ position: { x: p.x + moves[ev.key][0], y: p.y + moves[ev.key][1] }, scale: network.getScale(), animation: false });
    } else { return; }
    ev.preventDefault();
  });
  api.fit = fitVisible;
  api.reset = reset;
  api.view = function () { var p = network.getViewPosition(); return { x: p.x, y: p.y, s: network.getScale() }; };
  // Label sizes on screen now: every shown node's font size × the zoom, and how many sit in the canvas.
  api.labelSizes = function () {
    var s = network.getScale(), min = Infinity, inside = 0, shown = 0, w = container.clientWidth, h = container.clientHeight;
    nodes.get().forEach(function (v) {
      if (v.hidden) { return; }
      shown++;
      min = Math.min(min, (v.font && v.font.size ? v.font.size : 14) * s);
      var d = network.canvasToDOM(network.getPosition(v.id));
      if (d.x >= 0 && d.y >= 0 && d.x <= w && d.y <= h) { inside++; }
    });
    return { min: min, shown: shown, inside: inside, scale: s };
  };
})();
