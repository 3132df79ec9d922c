// The console's views; each reads the JSON API only.
"use strict";
(() => {
  const { api, el, action, toast, confirmDialog, fmt, table, card, loading, register, show, every } = Console;
  const q = o => new URLSearchParams(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== "")).toString();
  const kv = obj => el("dl", { class: "kv" }, Object.entries(obj).flatMap(([k, v]) => [el("dt", {}, k.replaceAll("_", " ")), el("dd", {}, fmt(v))]));
  const sum = (rows, key) => rows.reduce((a, r) => a + Number(r[key] || 0), 0);
  const rerender = () => show(Console.state.view);

  // ---- overview ------------------------------------------------------------------------------
  register("overview", "Overview", view => {
    const grid = el("div", { class: "grid" });
    view.append(el("h2", {}, "Overview"), grid);
    const fill = () => grid.replaceChildren(
      loading("Profiles", async () => {
        const s = await api("/api/profiles/sync/stats");
        return el("div", {}, el("div", { class: "num", "data-metric": "profiles_needing_sync" }, s.profiles_needing_sync),
          el("p", { class: "muted" }, "profiles due for sync"), kv(s));
      }, { id: "profiles" }),
      loading("Posts waiting per worker", async () => kv(await api("/api/profiles/sync/pending")), { id: "pending" }),
      loading("Jobs by state", async () => {
        const s = await api("/api/stats/jobs");
        const byState = {};
        s.by_queue_state.forEach(r => byState[r.state] = (byState[r.state] || 0) + r.count);
        return el("div", {}, kv(byState), table(s.by_queue_state, [{ key: "queue" }, { key: "state" }, { key: "count", num: true }]));
      }, { id: "jobs" }),
      loading("Throughput, last hour", async () => {
        const s = await api("/api/stats/jobs");
        const pts = s.throughput.map(m => ({ label: new Date(m.minute).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }), values: [m.completed, m.dead, m.cancelled] }));
        return el("div", {}, Charts.bars(pts, ["completed", "dead", "cancelled"], "jobs finished per minute over the last hour"),
          el("p", { class: "muted" }, sum(s.throughput, "completed") + " completed, " + sum(s.throughput, "dead") + " dead in the last hour"));
      }, { id: "throughput", wide: true }),
      loading("Last sync runs", async () => table((await api("/api/profiles/sync/jobs?limit=5")).jobs,
        [{ key: "status" }, { key: "profiles_processed", label: "profiles", num: true }, { key: "posts_new", label: "new posts", num: true }, { key: "started_at", label: "started" }]), { id: "sync-runs" }),
      loading("Failing profiles", async () => {
        const f = (await api("/api/profiles/sync/failing")).profiles;
        return el("div", {}, el("div", { class: "num" }, f.length), table(f.slice(0, 5), [{ key: "full_name", label: "profile" }, { key: "last_error", label: "last error" }]));
      }, { id: "failing" }),
      loading("Embedding queue", async () => table((await api("/api/vectorize/status")).sources,
        [{ key: "source_table", label: "source" }, { key: "pending", num: true }, { key: "processing", num: true }, { key: "failed", num: true }, { key: "completed", num: true }]), { id: "embedding" }),
      loading("Due tweets per tier", async () => table((await api("/api/boards/engagement")).tiers,
        [{ key: "tier" }, { key: "tracked", num: true }, { key: "due", num: true }]), { id: "tweets" }),
      loading("Import jobs", async () => {
        const s = await api("/api/import-jobs/stats");
        return el("div", {}, el("div", { class: "num" }, s.running.length), el("p", { class: "muted" }, "running now"),
          table(Object.entries(s.byStatus).map(([k, v]) => ({ status: k, jobs: v.count })), [{ key: "status" }, { key: "jobs", num: true }]));
      }, { id: "imports" }),
      loading("Posts due to publish", async () => {
        // the pipeline's own status; the read-only board where publishing is off on this node
        const p = await api("/api/publishing/status").catch(() => null);
        if (p) return el("div", {}, el("div", { class: "num" }, p.due), el("p", { class: "muted" }, p.failed + " failed, " + p.publishedToday + " published today"));
        const b = await api("/api/boards/publishing");
        return el("div", {}, el("div", { class: "num" }, b.due.length), el("p", { class: "muted" }, b.failed.length + " failed (publishing is off on this node)"));
      }, { id: "publishing" }));
    fill();
    every(5000, fill);
  });

  // ---- jobs ----------------------------------------------------------------------------------
  register("jobs", "Jobs", view => {
    const f = { state: el("select", { id: "f-state", name: "state" }, ["", "available", "running", "completed", "dead", "cancelled"].map(s => el("option", { value: s }, s || "any state"))),
      queue: el("input", { id: "f-queue", name: "queue", placeholder: "any queue" }),
      kind: el("input", { id: "f-kind", name: "kind", placeholder: "any kind" }),
      from: el("input", { id: "f-from", name: "from", type: "datetime-local" }),
      to: el("input", { id: "f-to", name: "to", type: "datetime-local" }) };
    const filter = () => ({ state: f.state.value, queue: f.queue.value.trim(), kind: f.kind.value.trim(),
      from: f.from.value ? new Date(f.from.value).toISOString() : "", to: f.to.value ? new Date(f.to.value).toISOString() : "" });
    const list = el("div", { id: "job-list" }), detail = el("div", { id: "job-detail" });
    let pages = [null];
    async function load(before) {
      const r = await api("/api/jobs?" + q({ ...filter(), before, limit: 50 }));
      list.replaceChildren(table(r.jobs, [{ key: "id", num: true }, { key: "kind" }, { key: "queue" }, { key: "state" },
        { key: "attempt", render: j => j.attempt + "/" + j.max_attempts }, { key: "run_at", label: "run at" }, { key: "last_error", label: "last error", render: j => (j.last_error || "").slice(0, 80) },
        { key: "actions", label: "", render: j => el("span", { class: "row" },
          ["dead", "cancelled"].includes(j.state) ? action("Retry", () => one(j, "retry"), { name: "retry-one" }) : null,
          ["available", "running"].includes(j.state) ? action("Cancel", () => one(j, "cancel"), { name: "cancel-one" }) : null,
          j.state !== "running" ? action("Delete", () => one(j, "delete"), { name: "delete-one", danger: true }) : null) }],
        j => { detail.replaceChildren(card("Job " + j.id, kv({ kind: j.kind, queue: j.queue, state: j.state, attempt: j.attempt + "/" + j.max_attempts, unique_key: j.unique_key, created_at: j.created_at, finished_at: j.finished_at }),
          el("h3", {}, "Args"), el("pre", {}, JSON.stringify(j.args, null, 2)), el("h3", {}, "Errors"), el("pre", {}, JSON.stringify(j.errors, null, 2)))); }),
        el("div", { class: "row" },
          pages.length > 1 ? el("button", { type: "button", id: "page-newer", onclick: () => { pages.pop(); load(pages[pages.length - 1]).catch(e => toast(e.message, true)); } }, "Newer") : null,
          r.next_before ? el("button", { type: "button", id: "page-older", onclick: () => { pages.push(r.next_before); load(r.next_before).catch(e => toast(e.message, true)); } }, "Older") : null));
    }
    async function one(j, what) {
      if (what === "delete") await api("/api/jobs/" + j.id, { method: "DELETE" });
      else await api("/api/jobs/" + j.id + "/" + what, { method: "POST" });
      toast("Job " + j.id + ": " + what + " done");
      await load(pages[pages.length - 1]);
    }
    async function bulk(what) {
      const dry = await api("/api/jobs/bulk", { method: "POST", body: { action: what, ...clean(filter()), dry_run: true } });
      if (dry.count === 0) { toast("No job matching the filter can be " + (what === "retry" ? "retried" : what + "ed") + "."); return; }
      const ok = await confirmDialog(cap(what) + " " + dry.count + " job" + (dry.count === 1 ? "" : "s") + " matching this filter?");
      if (!ok) return;
      const r = await api("/api/jobs/bulk", { method: "POST", body: { action: what, ...clean(filter()), up_to_id: dry.up_to_id } });
      toast(cap(what) + ": " + r.touched + " job" + (r.touched === 1 ? "" : "s") + " changed" + (r.touched !== dry.count ? " (" + dry.count + " were counted; others changed meanwhile)" : ""));
      pages = [null];
      await load(null);
    }
    const clean = o => Object.fromEntries(Object.entries(o).filter(([, v]) => v));
    const cap = s => s[0].toUpperCase() + s.slice(1);
    const lab = (t, i) => el("label", {}, t, i);
    view.append(el("h2", {}, "Jobs"),
      el("form", { class: "row", id: "job-filter", onsubmit: e => { e.preventDefault(); pages = [null]; load(null).catch(err => toast(err.message, true)); } },
        lab("State", f.state), lab("Queue", f.queue), lab("Kind", f.kind), lab("Created from", f.from), lab("to", f.to),
        el("button", { type: "submit", class: "primary", id: "apply-filter" }, "Apply")),
      el("div", { class: "row" },
        action("Retry all matching", () => bulk("retry"), { name: "retry-all" }),
        action("Cancel all matching", () => bulk("cancel"), { name: "cancel-all" }),
        action("Delete all matching", () => bulk("delete"), { name: "delete-all", danger: true })),
      list, detail);
    const hash = new URLSearchParams(location.hash.split("?")[1] || "");
    if (hash.get("state")) f.state.value = hash.get("state");
    load(null).catch(e => list.replaceChildren(el("p", { class: "error" }, e.message)));
  });

  // ---- queues --------------------------------------------------------------------------------
  register("queues", "Queues", view => {
    view.append(el("h2", {}, "Queues"), loading("Queues", async () => {
      const r = await api("/api/queues");
      return table(r.queues, [{ key: "name" }, { key: "available", num: true }, { key: "scheduled", num: true }, { key: "running", num: true }, { key: "dead", num: true },
        { key: "paused", render: x => x.paused ? "paused" : "running" },
        { key: "rate_limit", label: "rate limit", render: x => x.rate_limit ? x.rate_limit + " per " + x.rate_interval_seconds + " s" : "none" },
        { key: "actions", label: "", render: x => el("span", { class: "row" },
          x.paused ? action("Resume", () => qa(x, "resume"), { name: "resume-" + x.name }) : action("Pause", () => qa(x, "pause"), { name: "pause-" + x.name }),
          rateForm(x)) }]);
    }, { wide: true }));
    async function qa(x, what) { await api("/api/queues/" + encodeURIComponent(x.name) + "/" + what, { method: "POST" }); toast("Queue " + x.name + ": " + what + "d"); rerender(); }
    function rateForm(x) {
      if (Console.state.mode !== "operator") return null;
      const limit = el("input", { type: "number", min: "1", name: "rate-limit-" + x.name, "aria-label": "jobs per window for " + x.name, placeholder: "jobs", size: "4" });
      const secs = el("input", { type: "number", min: "1", name: "rate-secs-" + x.name, "aria-label": "window in seconds for " + x.name, placeholder: "per s", size: "4" });
      return el("span", { class: "row" }, limit, secs,
        action("Set limit", async () => { await api("/api/queues/" + encodeURIComponent(x.name) + "/rate-limit", { method: "PUT", body: { limit: Number(limit.value), interval_seconds: Number(secs.value) } }); rerender(); }, { name: "rate-" + x.name }),
        x.rate_limit ? action("Clear", async () => { await api("/api/queues/" + encodeURIComponent(x.name) + "/rate-limit", { method: "DELETE" }); rerender(); }, { name: "clear-rate-" + x.name }) : null);
    }
  });

  // ---- schedules -----------------------------------------------------------------------------
  register("schedules", "Schedules", view => {
    const fires = el("div");
    view.append(el("h2", {}, "Schedules"), loading("Schedules", async () => table((await api("/api/schedules")).schedules,
      [{ key: "name" }, { key: "cron" }, { key: "time_zone", label: "zone" }, { key: "kind" }, { key: "enabled", render: s => s.enabled ? "on" : "off" },
        { key: "next_fire_at", label: "next fire" }, { key: "last_fired_at", label: "last fired" },
        { key: "actions", label: "", render: s => el("span", { class: "row" },
          action(s.enabled ? "Disable" : "Enable", async () => { await api("/api/schedules/" + encodeURIComponent(s.name) + (s.enabled ? "/disable" : "/enable"), { method: "POST" }); rerender(); }, { name: "toggle-" + s.name }),
          action("Run now", async () => { const r = await api("/api/schedules/" + encodeURIComponent(s.name) + "/run", { method: "POST" }); toast(s.name + ": job " + r.job_id + " enqueued"); }, { name: "run-" + s.name })) }],
      async s => fires.replaceChildren(card("Last fires of " + s.name, table((await api("/api/schedules/" + encodeURIComponent(s.name) + "/fires")).fires,
        [{ key: "fire_time", label: "tick" }, { key: "fired_by", label: "node" }, { key: "job_id", label: "job", num: true }, { key: "job_state", label: "job state" }])))), { wide: true }), fires);
  });

  // ---- workers -------------------------------------------------------------------------------
  register("workers", "Workers", view => {
    view.append(el("h2", {}, "Workers"), loading("Worker flags", async () => {
      const r = await api("/api/workers");
      return el("div", {}, r.workers.map(w => el("div", { class: "card", "data-worker": w.worker_name },
        el("div", { class: "row" }, el("strong", {}, w.worker_name), el("span", { class: w.is_enabled ? "ok" : "error" }, w.is_enabled ? "enabled" : "disabled"),
          action(w.is_enabled ? "Disable" : "Enable", async () => { await api("/api/workers/" + encodeURIComponent(w.worker_name), { method: "PUT", body: { enabled: !w.is_enabled } }); rerender(); }, { name: "flag-" + w.worker_name })),
        el("p", { class: "muted" }, w.description || ""),
        table(w.last_runs, [{ key: "status" }, { key: "started_at", label: "started" }, { key: "duration_ms", label: "ms", num: true }, { key: "items_processed", label: "done", num: true }, { key: "items_failed", label: "failed", num: true }, { key: "error_message", label: "error" }]))));
    }, { wide: true }));
  });

  // ---- profiles and sync ---------------------------------------------------------------------
  register("profiles", "Profiles", view => {
    const grid = el("div", { class: "grid" });
    view.append(el("h2", {}, "Profiles and sync"), el("div", { class: "row" }, action("Trigger a sync", async () => {
      const r = await api("/api/profiles/sync", { method: "POST", body: {} });
      toast("Sync job " + r.job_id + (r.deduplicated ? " already running" : " enqueued"));
    }, { name: "trigger-sync" })), grid);
    const fill = () => grid.replaceChildren(
      loading("Stats", async () => kv(await api("/api/profiles/sync/stats"))),
      loading("Pending", async () => kv(await api("/api/profiles/sync/pending"))),
      loading("Sync runs", async () => table((await api("/api/profiles/sync/jobs?limit=10")).jobs,
        [{ key: "status" }, { key: "profiles_processed", label: "profiles", num: true }, { key: "posts_scraped", label: "scraped", num: true }, { key: "posts_new", label: "new", num: true }, { key: "started_at", label: "started" }, { key: "duration_seconds", label: "s", num: true }, { key: "error_message", label: "error" }]), { wide: true }),
      loading("Failing profiles", async () => table((await api("/api/profiles/sync/failing")).profiles,
        [{ key: "full_name", label: "profile" }, { key: "consecutive_failures", label: "failures", num: true }, { key: "last_error", label: "last error" }, { key: "last_attempt_at", label: "last attempt" },
          { key: "actions", label: "", render: p => el("span", { class: "row" },
            action("Reset", async () => { await api("/api/profiles/" + p.profile_id + "/reset", { method: "POST" }); rerender(); }, { name: "reset-profile" }),
            action("Resync", async () => { await api("/api/profiles/" + p.profile_id + "/resync", { method: "POST" }); toast("resync queued"); }, { name: "resync-profile" })) }]), { wide: true }));
    fill();
    every(5000, fill);
  });

  // ---- vector sync ---------------------------------------------------------------------------
  register("vectors", "Vector sync", view => {
    const results = el("div", { id: "search-results" });
    const query = el("input", { id: "search-q", type: "search", placeholder: "Search text", "aria-label": "search text", required: true });
    const source = el("select", { id: "search-source", "aria-label": "source" },
      ["documentation_embeddings", "viral_posts_bank", "topics", "audiences", "hook_types"].map(x => el("option", { value: x }, x)));
    const queue = (body, what) => api("/functions/v1/process-embedding-queue", { method: "POST", body }).then(r => { toast(what(r)); rerender(); });
    view.append(el("h2", {}, "Vector sync"),
      el("div", { class: "row" }, action("Process a batch now", () => queue({ action: "process", batchSize: 100 },
        r => r.processed + " item" + (r.processed === 1 ? "" : "s") + " processed, " + r.completed + " embedded, " + r.failed + " failed"), { name: "process-queue" })),
      el("div", { class: "grid" },
        loading("Sources", async () => table((await api("/api/vectorize/status")).sources,
          [{ key: "source_table", label: "source" }, { key: "pending", num: true }, { key: "processing", num: true }, { key: "completed", num: true }, { key: "failed", num: true }]), { wide: true, id: "vector-sources" }),
        loading("Consistency check", async () => table((await api("/api/vectorize/consistency")).sources,
          [{ key: "source_table", label: "source" }, { key: "missing", label: "rows without embedding", num: true },
            { key: "sample", label: "first ids", render: x => x.sample.join(", ") },
            { key: "actions", label: "", render: x => action("Resync", () => queue({ action: "resync", forceResync: x.source_table },
              r => x.source_table + ": " + r.enqueued + " row" + (r.enqueued === 1 ? "" : "s") + " queued again"), { name: "resync-" + x.source_table }) }]), { wide: true, id: "consistency" }),
        loading("Stuck items", async () => table((await api("/api/vectorize/status")).stuck, [{ key: "source_table", label: "source" }, { key: "source_id", label: "row" }, { key: "started_at", label: "since" }])),
        card("Search", el("form", { class: "row", id: "search-form", onsubmit: async e => {
          e.preventDefault();
          results.replaceChildren(el("p", { class: "muted" }, "Searching…"));
          try {
            const r = await api("/api/search", { method: "POST", body: { query: query.value, source: source.value, count: 10 } });
            results.replaceChildren(el("p", { class: "muted" }, r.results.length + " result" + (r.results.length === 1 ? "" : "s") + " from " + r.source + " (" + r.model + ")"),
              table(r.results, [{ key: "similarity", num: true, render: h => Number(h.similarity).toFixed(3) },
                { key: "content", label: "text", render: h => String(h.content || h.name || h.text || "").slice(0, 160) },
                { key: "source_table", label: "from", render: h => h.source_table || r.source }]));
          } catch (err) { results.replaceChildren(el("p", { class: "error" }, err.message)); }
        } }, query, source, el("button", { type: "submit", id: "search-go" }, "Search")), results)));
  });

  // ---- engagement (a viewer's view too) --------------------------------------------------------
  register("engagement", "Engagement", view => {
    const curve = el("div", { id: "curve" });
    const tier = el("select", { "aria-label": "tier" }, ["", "ultra_hot", "hot", "warm", "cold"].map(t => el("option", { value: t }, t || "every tier")));
    const list = el("div", { id: "tweets" });
    async function loadTweets() {
      const r = await api("/api/boards/tweets?" + q({ tier: tier.value, limit: 50 }));
      list.replaceChildren(table(r.tweets, [{ key: "author_username", label: "author" }, { key: "text" }, { key: "tier" }, { key: "like_count", label: "likes", num: true }, { key: "retweet_count", label: "RTs", num: true }, { key: "last_updated_at", label: "updated" }], showCurve));
    }
    async function showCurve(t) {
      const draw = async () => {
        const s = (await api("/api/boards/tweets/" + t.id + "/curve")).snapshots;
        curve.replaceChildren(card("Engagement of " + (t.author_username || "") + " " + t.tweet_id,
          s.length ? Charts.lines(s.map(x => new Date(x.snapshot_at)), [{ name: "likes", ys: s.map(x => x.like_count) }, { name: "retweets", ys: s.map(x => x.retweet_count) }, { name: "replies", ys: s.map(x => x.reply_count) }], "engagement over time")
            : el("p", { class: "muted" }, "No snapshot yet."),
          el("button", { type: "button", class: "refresh", onclick: refresh }, "Refresh from Twitter")));
      };
      // asks the provider for fresh counts (force: even if refreshed lately), then redraws the curve
      const refresh = async () => {
        try {
          const r = await api("/api/twitter/tweets/" + t.id + "/refresh?force=true", { method: "POST" });
          toast("Refreshed: " + (r.data && r.data.metrics ? r.data.metrics.likes + " likes" : "done"));
        } catch (e) { toast("Refresh failed: " + e.message, true); }
        await draw();
      };
      await draw();
    }
    tier.addEventListener("change", () => loadTweets().catch(e => toast(e.message, true)));
    view.append(el("h2", {}, "Engagement"), el("div", { class: "grid" },
      loading("Tiers", async () => table((await api("/api/boards/engagement")).tiers, [{ key: "tier" }, { key: "tracked", num: true }, { key: "due", num: true }, { key: "failing", num: true }])),
      loading("Snapshots per day", async () => {
        const d = (await api("/api/boards/engagement")).snapshots_per_day;
        return d.length ? Charts.bars(d.map(x => ({ label: new Date(x.day).toLocaleDateString(), values: [x.snapshots] })), ["snapshots"], "snapshots per day") : el("p", { class: "muted" }, "No snapshot in 14 days.");
      }),
      loading("Viral alerts", async () => table((await api("/api/boards/engagement")).viral_alerts, [{ key: "author_username", label: "author" }, { key: "text" }, { key: "viral_alerted_at", label: "alerted" }]))),
      el("div", { class: "row" }, el("label", {}, "Tier", tier)), list, curve);
    loadTweets().catch(e => list.replaceChildren(el("p", { class: "off" }, "Not available: " + e.message)));
  }, { viewer: true });

  // ---- suppliers -----------------------------------------------------------------------------
  const jobCols = [{ key: "jobType", label: "type" }, { key: "status" }, { key: "phase", render: j => el("span", { class: "state-" + j.phase }, j.phase) },
    { key: "processedItems", label: "done", num: true }, { key: "failedItems", label: "failed", num: true },
    { key: "attempts", render: j => j.attempts + "/" + j.maxAttempts },
    { key: "runAfter", label: "next try", render: j => j.phase === "waiting" || j.phase === "retrying" ? fmt(j.runAfter) : "" },
    { key: "startedAt", label: "started" }, { key: "lastError", label: "last error", render: j => (j.lastError || "").slice(0, 120) }];
  register("suppliers", "Suppliers", view => {
    const status = el("select", { id: "import-status", "aria-label": "status" }, ["", "pending", "running", "completed", "failed"].map(x => el("option", { value: x }, x || "every status")));
    const list = el("div", { id: "import-jobs" });
    const load = () => api("/api/import-jobs?" + q({ status: status.value, limit: 50 }))
      .then(r => list.replaceChildren(table(r.jobs, jobCols))).catch(e => list.replaceChildren(el("p", { class: "off" }, "Not available: " + e.message)));
    status.addEventListener("change", load);
    view.append(el("h2", {}, "Suppliers"), el("div", { class: "grid" },
      loading("Last 7 days", async () => {
        const s = await api("/api/import-jobs/stats");
        return el("div", {}, table(Object.entries(s.byStatus).map(([k, v]) => ({ status: k, count: v.count, avg: v.avgDurationSeconds })),
          [{ key: "status" }, { key: "count", num: true }, { key: "avg", label: "avg s", num: true, render: x => x.avg == null ? "—" : Number(x.avg).toFixed(1) }]),
          kv(Object.fromEntries(Object.entries(s.successRateByType).map(([k, v]) => [k + " success", Math.round(100 * v) + "%"]))));
      }, { id: "import-stats" }),
      loading("Running now", async () => table((await api("/api/import-jobs/stats")).running, jobCols), { id: "import-running", wide: true })),
      el("div", { class: "row" }, el("label", {}, "Status", status)), list);
    load();
    every(5000, load);
  });

  // ---- publishing ----------------------------------------------------------------------------
  register("publishing", "Publishing", view => {
    const postCols = retry => [{ key: "source" }, { key: "preview", label: "post" }, { key: "status" }, { key: "dueAt", label: "due" },
      { key: "publishedAt", label: "published" }, { key: "attempts", num: true }, { key: "errorMessage", label: "error", render: p => (p.errorMessage || "").slice(0, 120) },
      retry ? { key: "actions", label: "", render: p => el("span", { class: "row" },
        action("Retry", async () => { await api("/api/publishing/posts/" + p.source + "/" + p.id + "/retry", { method: "POST" }); toast("Publishing " + p.source + " again"); rerender(); }, { name: "retry-post" }),
        action("Cancel", async () => { await api("/api/publishing/posts/" + p.source + "/" + p.id + "/cancel", { method: "POST" }); toast("Cancelled"); rerender(); }, { name: "cancel-post" })) } : null].filter(Boolean);
    view.append(el("h2", {}, "Publishing"), el("div", { class: "grid" },
      loading("Status", async () => {
        const s = await api("/api/publishing/status");
        return kv({ due: s.due, waiting: s.waiting, publishing: s.publishing, published_today: s.publishedToday, failed: s.failed,
          partially_published: s.partiallyPublished, lateness_p50_ms: s.latenessP50Ms, lateness_p99_ms: s.latenessP99Ms });
      }, { id: "publishing-status" }),
      loading("Due now", async () => table((await api("/api/publishing/due?limit=50")).posts, postCols(false)), { wide: true, id: "publishing-due" }),
      loading("Failed", async () => table((await api("/api/publishing/posts?status=failed&limit=50")).posts, postCols(true)), { wide: true, id: "publishing-failed" }),
      loading("Published", async () => table((await api("/api/publishing/posts?status=published&limit=20")).posts, postCols(false)), { wide: true, id: "publishing-published" })));
  });
})();
