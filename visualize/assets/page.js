/* chainkg page script: draws the precomputed view with vis-network (physics off), search, filters,
 * tooltips and neighbourhood highlight. Text from the data is only ever set with textContent or
 * drawn on the canvas. */
(function () {
  "use strict";
  var metrics = { scriptStart: performance.now() };
  var D = JSON.parse(document.getElementById("chainkg-data").textContent);
  metrics.parsed = performance.now();
  var UI = D.ui;
  var FONT = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
  var BIG = D.nodes.length > 800;
  var byId = {};
  D.nodes.forEach(function (n) { byId[n.id] = n; });

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
  var nodes = new vis.DataSet(D.nodes.map(visNode));
  var edges = new vis.DataSet(D.edges.map(visEdge));
  var edgeById = {};
  D.edges.forEach(function (e) { edgeById[e.id] = e; });
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
  network.fit({ animation: false });
  (function margin() {  // a little room around the graph, and for the stage headers above it
    var s = network.getScale() * 0.93, p = network.getViewPosition();
    var up = D.bands && D.bands.length ? 45 / s : 0;
    network.moveTo({ position: { x: p.x, y: p.y - up / 2 }, scale: s * (up ? 0.96 : 1), animation: false });
  })();

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
    var n = byId[id];
    return [n.tip, n.tip.h, (D.types[n.t] || {}).label || n.t];
  }
  function edgeTip(id) {
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
  network.on("hoverNode", function (p) { if (byId[p.node]) { showTip(nodeTip(p.node), p.pointer.DOM.x, p.pointer.DOM.y); } });
  network.on("hoverEdge", function (p) { if (edgeById[p.edge]) { showTip(edgeTip(p.edge), p.pointer.DOM.x, p.pointer.DOM.y); } });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  api.showTip = function (id) {
    var pos = network.canvasToDOM(network.getPosition(id));
    showTip(nodeTip(id), pos.x, pos.y);
    return tip;
  };
  api.showEdgeTip = function (id) {
    var e = edgeById[id];
    var a = network.getPosition(e.f), b = network.getPosition(e.t);
    var pos = network.canvasToDOM({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
    showTip(edgeTip(id), pos.x, pos.y);
    return tip;
  };

  // ------------------------------------------------------------ highlight
  var dimmed = false;
  var DIM_NODE = { color: { background: "#eeeeee", border: "#dddddd", highlight: { background: "#eeeeee", border: "#999" },
    hover: { background: "#eeeeee", border: "#999" } }, font: { color: "#c4c4c4", face: FONT } };
  function highlight(id) {
    var near = {};
    near[id] = 1;
    network.getConnectedNodes(id).forEach(function (n) { near[n] = 1; });
    var conn = {};
    network.getConnectedEdges(id).forEach(function (e) { conn[e] = 1; });
    nodes.update(D.nodes.map(function (n) {
      if (near[n.id]) { var s = nodeStyle(n); return { id: n.id, color: s.color, font: s.font }; }
      return { id: n.id, color: DIM_NODE.color, font: { color: DIM_NODE.font.color, face: FONT, size: fontSize(n) } };
    }));
    edges.update(D.edges.map(function (e) {
      return { id: e.id, color: conn[e.id] ? edgeStyle(e).color : { color: "#e6e6e6", highlight: "#222", hover: "#222", opacity: 0.6 } };
    }));
    dimmed = true;
    api.highlighted = id;
  }
  function clearHighlight() {
    if (!dimmed) { return; }
    nodes.update(D.nodes.map(function (n) { var s = nodeStyle(n); return { id: n.id, color: s.color, font: s.font }; }));
    edges.update(D.edges.map(function (e) { return { id: e.id, color: edgeStyle(e).color }; }));
    dimmed = false;
    api.highlighted = null;
  }
  network.on("click", function (p) {
    if (p.nodes.length) { highlight(p.nodes[0]); } else if (!p.edges.length) { clearHighlight(); }
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
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    return hits.map(function (h) { return h[3]; });
  }
  function focus(id) {
    if (!byId[id]) { return; }
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
      var li = el("li", null, byId[id].tip.h);
      li.appendChild(el("span", "ty", (D.types[byId[id].t] || {}).label || byId[id].t));
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
    var chain = chainSelect && chainSelect.value !== "" ? Number(chainSelect.value) : null;
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
  if (chainSelect) { chainSelect.addEventListener("change", applyFilters); }
  api.applyFilters = applyFilters;
  api.resetFilters = resetFilters;
  api.visibleCount = D.nodes.length;
})();
