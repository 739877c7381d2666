/* newsdesk: interactive tables (search, sort, pages, a filter) from each table's JSON data block.
   Offline and self-contained; allowed by the page's CSP by its hash. Every cell is written with
   textContent, never as HTML. */
(function () {
  "use strict";
  var SIZES = [15, 50, 200];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function number(s) {
    var v = parseFloat(String(s).replace(/[,%\s]/g, "").replace("\u2212", "-"));
    return isNaN(v) ? null : v;
  }

  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});

  function setup(box) {
    var block = box.querySelector("script.nd-explore-data");
    var data;
    try { data = JSON.parse(block.textContent); } catch (err) { return; }
    var cols = data.columns || [], rows = data.rows || [];
    var shown = [], short = {};
    cols.forEach(function (c, i) {
      if (c.hidden) return;
      shown.push(i);
      short[i] = rows.slice(0, 200).every(function (r) { return String(r[i]).length <= 12; });
    });
    var hay = rows.map(function (r) { return r.join("\u0001").toLowerCase(); });
    var filterCol = -1;
    cols.forEach(function (c, i) { if (c.filter) filterCol = i; });
    var st = {terms: [], filter: null, sort: -1, dir: 1, page: 0, size: data.page || SIZES[0]};
    var order = null, keys = {};

    var wrap = el("div", "nd-explore-ui");
    var bar = el("div", "nd-explore-bar");
    var search = el("input", "nd-search");
    search.type = "search";
    search.placeholder = "Search all columns";
    search.setAttribute("aria-label", "Search all columns");
    bar.appendChild(search);
    var select = null;
    if (filterCol >= 0) {
      var counts = {};
      rows.forEach(function (r) { var v = r[filterCol]; if (v !== "") counts[v] = (counts[v] || 0) + 1; });
      var names = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || collator.compare(a, b); });
      select = el("select", "nd-filter");
      select.setAttribute("aria-label", "Only the rows of one " + cols[filterCol].name);
      select.appendChild(el("option", null, "every " + cols[filterCol].name));
      select.options[0].value = "";
      names.forEach(function (n) {
        var o = el("option", null, n + " (" + counts[n].toLocaleString() + ")");
        o.value = n;
        select.appendChild(o);
      });
      bar.appendChild(select);
    }
    var info = el("span", "nd-info");
    bar.appendChild(info);
    wrap.appendChild(bar);
    if (data.caption || data.note) {
      wrap.appendChild(el("p", "nd-caption", [data.caption, data.note].filter(Boolean).join("; ")));
    }
    var scroll = el("div", "nd-scroll");
    var table = el("table", "nd-table nd-interactive");
    var thead = el("thead"), htr = el("tr"), tbody = el("tbody");
    var heads = [];
    shown.forEach(function (i) {
      var th = el("th", cols[i].type === "num" ? "nd-right" : null);
      th.setAttribute("aria-sort", "none");
      var b = el("button", "nd-sort", cols[i].name);
      b.type = "button";
      b.title = "Sort by " + cols[i].name;
      b.addEventListener("click", function () { sortBy(i); });
      th.appendChild(b);
      heads.push([i, th]);
      htr.appendChild(th);
    });
    thead.appendChild(htr);
    table.appendChild(thead);
    table.appendChild(tbody);
    scroll.appendChild(table);
    wrap.appendChild(scroll);
    var pager = el("div", "nd-pager");
    var prev = el("button", "nd-prev", "\u2190 Previous"), next = el("button", "nd-next", "Next \u2192");
    prev.type = next.type = "button";
    var sizes = el("select", "nd-size");
    sizes.setAttribute("aria-label", "Rows per page");
    SIZES.concat(SIZES.indexOf(st.size) < 0 ? [st.size] : []).sort(function (a, b) { return a - b; })
      .forEach(function (n) {
        var o = el("option", null, n + " rows a page");
        o.value = String(n);
        if (n === st.size) o.selected = true;
        sizes.appendChild(o);
      });
    pager.appendChild(prev);
    pager.appendChild(next);
    pager.appendChild(sizes);
    if (rows.length > SIZES[0]) wrap.appendChild(pager);
    if (rows.length <= SIZES[0] && filterCol < 0) search.hidden = true;  // a short table: sorting is enough

    function sortKey(i) {
      if (!keys[i]) {
        keys[i] = rows.map(function (r) { return cols[i].type === "num" ? number(r[i]) : r[i]; });
      }
      return keys[i];
    }

    function sortBy(i) {
      if (st.sort === i) { st.dir = -st.dir; } else { st.sort = i; st.dir = cols[i].type === "num" ? -1 : 1; }
      var k = sortKey(i), dir = st.dir, num = cols[i].type === "num";
      order = rows.map(function (r, j) { return j; });
      order.sort(function (a, b) {
        var x = k[a], y = k[b];
        if (x === null || x === "") return (y === null || y === "") ? a - b : 1;
        if (y === null || y === "") return -1;
        var c = num ? x - y : collator.compare(x, y);
        return c ? c * dir : a - b;
      });
      heads.forEach(function (h) {
        h[1].setAttribute("aria-sort", h[0] !== i ? "none" : (dir > 0 ? "ascending" : "descending"));
      });
      st.page = 0;
      draw();
    }

    function visible() {
      var base = order || rows.map(function (r, j) { return j; });
      if (!st.terms.length && st.filter === null) return base;
      return base.filter(function (j) {
        if (st.filter !== null && rows[j][filterCol] !== st.filter) return false;
        for (var t = 0; t < st.terms.length; t++) if (hay[j].indexOf(st.terms[t]) < 0) return false;
        return true;
      });
    }

    function cell(r, i) {
      var td = el("td", (cols[i].type === "num" ? "nd-right" : "") + (short[i] ? " nd-nowrap" : "") || null);
      var ctx = cols[i].context;
      if (ctx) {
        if (r[ctx[0]]) td.appendChild(el("span", "nd-ctx", r[ctx[0]]));
        td.appendChild(el("span", "nd-quote", r[i]));
        if (r[ctx[1]]) td.appendChild(el("span", "nd-ctx", r[ctx[1]]));
      } else {
        td.textContent = r[i];
      }
      return td;
    }

    function draw() {
      var idx = visible(), n = idx.length, pages = Math.max(1, Math.ceil(n / st.size));
      st.page = Math.min(st.page, pages - 1);
      var from = st.page * st.size, to = Math.min(n, from + st.size);
      var frag = document.createDocumentFragment();
      for (var k = from; k < to; k++) {
        var tr = el("tr"), r = rows[idx[k]];
        shown.forEach(function (i) { tr.appendChild(cell(r, i)); });
        frag.appendChild(tr);
      }
      tbody.textContent = "";
      tbody.appendChild(frag);
      if (!n) {
        var none = el("td", "nd-none", "No row matches.");
        none.colSpan = shown.length;
        var tr0 = el("tr");
        tr0.appendChild(none);
        tbody.appendChild(tr0);
      }
      var text = n ? "rows " + (from + 1).toLocaleString() + "\u2013" + to.toLocaleString() + " of " + n.toLocaleString()
                   : "no rows";
      if (n !== rows.length) text += " (of " + rows.length.toLocaleString() + ")";
      info.textContent = text;
      prev.disabled = st.page <= 0;
      next.disabled = st.page >= pages - 1;
    }

    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        st.terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
        st.page = 0;
        draw();
      }, rows.length > 2000 ? 150 : 0);
    });
    if (select) select.addEventListener("change", function () { st.filter = select.value || null; st.page = 0; draw(); });
    prev.addEventListener("click", function () { st.page -= 1; draw(); });
    next.addEventListener("click", function () { st.page += 1; draw(); });
    sizes.addEventListener("change", function () { st.size = parseInt(sizes.value, 10) || st.size; st.page = 0; draw(); });

    var stat = box.querySelector(".nd-explore-static");
    if (stat) stat.hidden = true;
    box.insertBefore(wrap, stat);
    box.classList.add("nd-ready");
    draw();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".nd-explore"), function (box) {
      try { setup(box); } catch (err) { if (window.console) console.warn("newsdesk table:", err); }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
