// Small SVG charts drawn locally: no library, no request to anyone.
"use strict";
const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }
  function frame(label) {
    const s = svg("svg", { class: "chart", viewBox: "0 0 600 180", preserveAspectRatio: "xMinYMid meet", role: "img", "aria-label": label });
    s.appendChild(svg("line", { class: "axis", x1: 30, y1: 160, x2: 595, y2: 160 }));
    return s;
  }
  function yLabel(s, max) {
    const t = svg("text", { x: 2, y: 14 }); t.textContent = String(max); s.appendChild(t);
    const z = svg("text", { x: 2, y: 160 }); z.textContent = "0"; s.appendChild(z);
  }
  /** Stacked bars: points [{label, values: [..]}], one colour class per series. */
  function bars(points, series, label) {
    const s = frame(label);
    const max = Math.max(1, ...points.map(p => p.values.reduce((a, b) => a + b, 0)));
    yLabel(s, max);
    const w = 565 / Math.max(1, points.length);
    points.forEach((p, i) => {
      let y = 160;
      p.values.forEach((v, k) => {
        const h = (v / max) * 145;
        if (h > 0) {
          const r = svg("rect", { x: 30 + i * w + 0.5, y: y - h, width: Math.max(1, w - 1), height: h, class: "c" + k });
          const title = svg("title"); title.textContent = p.label + " " + series[k] + ": " + v; r.appendChild(title);
          s.appendChild(r);
          y -= h;
        }
      });
      if (points.length <= 20 || i % Math.ceil(points.length / 6) === 0) {
        const t = svg("text", { x: 30 + i * w, y: 174 }); t.textContent = p.label; s.appendChild(t);
      }
    });
    return wrap(s, series);
  }
  /** Lines over time: xs (Date), series [{name, ys}]. */
  function lines(xs, series, label) {
    const s = frame(label);
    const all = series.flatMap(se => se.ys);
    const max = Math.max(1, ...all);
    yLabel(s, max);
    const t0 = xs.length ? xs[0].getTime() : 0, t1 = xs.length ? xs[xs.length - 1].getTime() : 1;
    const x = t => 30 + ((t - t0) / Math.max(1, t1 - t0)) * 560;
    series.forEach((se, k) => {
      const d = se.ys.map((v, i) => (i ? "L" : "M") + x(xs[i].getTime()).toFixed(1) + " " + (160 - (v / max) * 145).toFixed(1)).join(" ");
      s.appendChild(svg("path", { d: d || "M30 160", class: "line c" + k }));
    });
    if (xs.length) {
      const a = svg("text", { x: 30, y: 174 }); a.textContent = xs[0].toLocaleString(); s.appendChild(a);
      const b = svg("text", { x: 470, y: 174 }); b.textContent = xs[xs.length - 1].toLocaleString(); s.appendChild(b);
    }
    return wrap(s, series.map(se => se.name));
  }
  function wrap(s, names) {
    const box = document.createElement("div");
    box.appendChild(s);
    const legend = document.createElement("div");
    legend.className = "legend";
    names.forEach((n, k) => {
      const item = document.createElement("span");
      const sw = document.createElement("span"); sw.className = "sw c" + k;
      item.append(sw, n); legend.appendChild(item);
    });
    box.appendChild(legend);
    return box;
  }
  return { bars, lines };
})();
