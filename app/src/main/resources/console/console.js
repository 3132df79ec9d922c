// The console's core: sign-in, the API client, small DOM helpers and the view router.
"use strict";
const Console = (() => {
  const KEY = "tributary.credential";
  const state = { mode: null, userId: null, timer: null, view: null };
  const views = {};

  function credential() { return sessionStorage.getItem(KEY); }

  async function api(path, opts = {}) {
    const headers = { "Authorization": "Bearer " + credential() };
    let body;
    if (opts.body !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(opts.body); }
    const res = await fetch(path, { method: opts.method || "GET", headers, body, referrerPolicy: "no-referrer", credentials: "omit" });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!res.ok) {
      const err = new Error(json && json.message ? json.message : res.status + " " + res.statusText);
      err.status = res.status;
      if (res.status === 401) signOut("Your credential was refused: sign in again.");
      throw err;
    }
    return json;
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "class") e.className = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  /** A button that changes data: made only for operators, so a viewer never sees a dead one. */
  function action(label, run, opts = {}) {
    if (state.mode !== "operator") return null;
    const b = el("button", { type: "button", class: opts.danger ? "danger" : null, "data-action": opts.name || label });
    b.textContent = label;
    b.addEventListener("click", async () => {
      b.disabled = true;
      try { await run(); } catch (e) { toast(e.message, true); } finally { b.disabled = false; }
    });
    return b;
  }

  function toast(text, bad) {
    const t = el("div", { class: bad ? "error" : "ok" }, text);
    document.getElementById("toast").appendChild(t);
    setTimeout(() => t.remove(), 6000);
  }

  function confirmDialog(text) {
    const d = document.getElementById("confirm");
    document.getElementById("confirm-text").textContent = text;
    return new Promise(resolve => {
      const ok = document.getElementById("confirm-ok"), cancel = document.getElementById("confirm-cancel");
      const done = v => { ok.onclick = cancel.onclick = d.onclose = null; if (d.open) d.close(); resolve(v); };
      ok.onclick = () => done(true);
      cancel.onclick = () => done(false);
      d.onclose = () => done(false);
      d.showModal();
      cancel.focus();
    });
  }

  function fmt(v) {
    if (v === null || v === undefined) return "—";
    if (typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v)) return new Date(v).toLocaleString();
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }

  /** A table of rows; columns [{key, label, num, render}]; rowClick(row) makes rows focusable. */
  function table(rows, columns, rowClick) {
    if (!rows || rows.length === 0) return el("p", { class: "muted" }, "Nothing here.");
    // a table scrolls inside its own box, so a narrow screen never scrolls the page sideways
    return el("div", { class: "scroll" }, el("table", {},
      el("thead", {}, el("tr", {}, columns.map(c => el("th", { scope: "col" }, c.label || c.key)))),
      el("tbody", {}, rows.map(r => {
        const tr = el("tr", rowClick ? { class: "clickable", tabindex: "0" } : {},
          columns.map(c => {
            const v = c.render ? c.render(r) : fmt(r[c.key]);
            const cls = [c.num ? "n" : null, c.key === "state" || c.key === "status" ? "state-" + r[c.key] : null].filter(Boolean).join(" ");
            return el("td", { class: cls || null }, v);
          }));
        if (rowClick) {
          tr.addEventListener("click", () => rowClick(r));
          tr.addEventListener("keydown", e => { if (e.key === "Enter") rowClick(r); });
        }
        return tr;
      }))));
  }

  function card(title, ...body) { return el("div", { class: "card" }, el("h2", {}, title), ...body); }

  /** A card filled by an async loader; a failure (a pipeline not built yet) says so plainly. */
  function loading(title, load, opts = {}) {
    const c = el("div", { class: "card" + (opts.wide ? " wide" : ""), "data-card": opts.id || title }, el("h2", {}, title), el("p", { class: "muted" }, "Loading…"));
    Promise.resolve().then(load).then(content => {
      c.replaceChildren(el("h2", {}, title), content);
    }).catch(e => {
      c.replaceChildren(el("h2", {}, title), el("p", { class: "off" }, "Not available: " + e.message));
    });
    return c;
  }

  function register(name, label, render, opts = {}) { views[name] = { label, render, viewer: !!opts.viewer }; }

  function show(name) {
    if (state.timer) { clearInterval(state.timer); state.timer = null; }
    const allowed = Object.keys(views).filter(v => state.mode === "operator" || views[v].viewer);
    if (!allowed.includes(name)) name = allowed[0];
    state.view = name;
    for (const b of document.querySelectorAll("#nav button")) b.setAttribute("aria-current", b.dataset.view === name ? "page" : "false");
    const section = document.getElementById("view");
    section.replaceChildren();
    views[name].render(section);
    history.replaceState(null, "", "#" + name);
  }

  /** Re-runs fn every ms while the current view stays on screen. */
  function every(ms, fn) { state.timer = setInterval(fn, ms); }

  async function signIn(key) {
    sessionStorage.setItem(KEY, key);
    try {
      const s = await api("/api/session");
      state.mode = s.mode; state.userId = s.user_id;
    } catch (e) {
      sessionStorage.removeItem(KEY);
      throw e;
    }
    document.getElementById("sign-in").hidden = true;
    document.getElementById("view").hidden = false;
    document.getElementById("sign-out").hidden = false;
    document.getElementById("mode").textContent = state.mode === "operator" ? "operator" : "read-only";
    const nav = document.getElementById("nav");
    nav.replaceChildren(...Object.entries(views)
      .filter(([, v]) => state.mode === "operator" || v.viewer)
      .map(([name, v]) => el("button", { type: "button", "data-view": name, onclick: () => show(name) }, v.label)));
    nav.hidden = false;
    show((location.hash || "#").slice(1) || "overview");
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY);
    state.mode = null;
    if (state.timer) clearInterval(state.timer);
    document.getElementById("view").hidden = true;
    document.getElementById("view").replaceChildren();
    document.getElementById("nav").hidden = true;
    document.getElementById("sign-out").hidden = true;
    document.getElementById("mode").textContent = "";
    document.getElementById("sign-in").hidden = false;
    document.getElementById("sign-in-error").textContent = message || "";
  }

  function start() {
    document.getElementById("sign-in").addEventListener("submit", async e => {
      e.preventDefault();
      const input = document.getElementById("key");
      const key = input.value.trim();
      input.value = "";
      try { await signIn(key); } catch (err) { document.getElementById("sign-in-error").textContent = "Sign-in failed: " + err.message; }
    });
    document.getElementById("sign-out").addEventListener("click", () => signOut());
    if (credential()) signIn(credential()).catch(() => signOut());
  }

  return { api, el, action, toast, confirmDialog, fmt, table, card, loading, register, show, every, start, state };
})();
document.addEventListener("DOMContentLoaded", () => setTimeout(Console.start, 0));
