/* sitrep dashboard: map, timeline, table and event panel over the JSON API (/api).
 *
 * Safety rule: text from the store (article text, quotes, places, actors, outlets) is only ever
 * put into the page as text nodes (textContent / createTextNode), never as HTML. The page's
 * Content-Security-Policy also forbids inline scripts, so injected markup could not run anyway.
 */
(function () {
  "use strict";

  // PLOVER types, warm hues for conflict and cool hues for cooperation.
  const TYPE_COLORS = {
    ASSAULT: "#d62728", COERCE: "#ff7f0e", THREATEN: "#e377c2", MOBILIZE: "#a55194",
    SANCTION: "#7f7f7f", PROTEST: "#bcbd22", ACCUSE: "#9467bd", REJECT: "#8c564b",
    CONSULT: "#1f77b4", AGREE: "#17becf", SUPPORT: "#6baed6", REQUEST: "#2ca02c",
    COOPERATE: "#74c476", AID: "#31a354", CONCEDE: "#fdae6b", RETREAT: "#636363",
  };
  const TYPE_ORDER = Object.keys(TYPE_COLORS);
  const COUNTRY_NAMES = {
    TJ: "Tajikistan", AF: "Afghanistan", UZ: "Uzbekistan", KG: "Kyrgyzstan", TM: "Turkmenistan",
    PK: "Pakistan", CN: "China", IR: "Iran", RU: "Russia", KZ: "Kazakhstan", IN: "India", US: "United States",
  };
  // world-atlas ids (ISO 3166 numeric) of the countries labelled on the map; 762 and 004 stand out.
  const LABELLED = { "762": "Tajikistan", "004": "Afghanistan", "860": "Uzbekistan", "417": "Kyrgyzstan",
    "795": "Turkmenistan", "586": "Pakistan", "364": "Iran", "398": "Kazakhstan", "356": "India" };
  const FOCUS = new Set(["762", "004"]);
  const PAGE = 1000; // the API's largest page
  const MAX_EVENTS = 5000; // the dashboard draws at most this many; the status line says so
  const HOME = { center: [37.6, 69.5], zoom: 6 }; // the Tajikistan–Afghanistan border
  // The map opens on events inside this box (lat/lon) when there are any: the border region and its
  // neighbours. Events reported elsewhere (Moscow talks, say) stay one "All events" click away.
  const REGION = L.latLngBounds([29, 58], [43, 80]);
  const TIMELINE_DAYS = 60; // with no date filter the timeline shows the latest 60 days of events

  const state = {
    events: [], total: 0, totalExact: true, selectedId: null, articles: new Map(), fitted: false,
    changes: new Map(), // event id -> "new" | "changed" since the "Changed since" time
  };
  let map = null;
  let markers = null;
  let legend = null;

  // ---- small DOM helpers (text only, never HTML) ----
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    return node;
  }
  const $ = (id) => document.getElementById(id);
  const color = (type) => TYPE_COLORS[type] || "#444";
  const countryName = (code) => (code ? COUNTRY_NAMES[code] || code : "");

  function setStatus(text, isError) {
    const node = $("status");
    node.textContent = text;
    node.classList.toggle("error", Boolean(isError));
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await response.json(); } catch (_) { body = null; }
    if (!response.ok || !body || body.ok === false) {
      throw new Error((body && body.error) || `${url} answered ${response.status}`);
    }
    return body;
  }

  // ---- formatting ----
  function killedOf(event) {
    return event.fatalities && event.fatalities.best !== null ? event.fatalities.best : null;
  }
  function countText(count) {
    if (!count || count.best === null || count.best === undefined) return "–";
    if (count.low !== null && count.high !== null && count.low !== count.high) {
      return `${count.best} (${count.low}–${count.high})`;
    }
    return String(count.best);
  }
  function dateText(event) {
    if (!event.date) return "undated";
    if (event.date_end && event.date_end !== event.date) return `${event.date} – ${event.date_end}`;
    if (event.date_precision === "month") return event.date.slice(0, 7);
    if (event.date_precision === "year") return event.date.slice(0, 4);
    return event.date;
  }
  // Event lists carry the first few sources and `source_count`; an event's own page carries them all.
  function sourceCount(event) {
    return typeof event.source_count === "number" ? event.source_count : event.sources.length;
  }

  function placeText(event) {
    const parts = [event.location, event.admin2, event.admin1]
      .filter((p, i, all) => p && all.indexOf(p) === i);
    const country = countryName(event.country);
    if (country) parts.push(country);
    return parts.join(", ") || "unknown place";
  }
  function actorsText(event) {
    const name = (actor, code) => (actor ? (code ? `${actor} (${code})` : actor) : "");
    const a = name(event.actor1, event.actor1_country);
    const b = name(event.actor2, event.actor2_country);
    if (a && b) return `${a} → ${b}`;
    return a || b || "–";
  }
  const FIELD_WORDS = { fatalities: "killed", injured: "injured" };
  function discrepancyText(d) {
    const values = d.values.map((v) => (v.value === null || v.value === undefined ? "none" : String(v.value)));
    if (FIELD_WORDS[d.field]) return `sources disagree: ${values.join(" vs ")} ${FIELD_WORDS[d.field]}`;
    return `sources disagree on ${d.field.replace(/_/g, " ")}: ${values.join(" vs ")}`;
  }
  function safeHref(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_) {
      return null;
    }
  }

  // ---- data ----
  function filterParams() {
    const params = new URLSearchParams();
    const fields = { since: "filter-since", until: "filter-until", country: "filter-country",
      type: "filter-type", q: "filter-q" };
    for (const [name, id] of Object.entries(fields)) {
      const value = $(id).value.trim();
      if (value) params.set(name, value);
    }
    return params;
  }

  async function fetchEvents(params) {
    const events = [];
    let total = 0;
    let totalExact = true;
    // The API counts at most 10,000 matches (total_exact false past that): page by next_offset.
    for (let offset = 0; offset !== null && offset < MAX_EVENTS; ) {
      const page = new URLSearchParams(params);
      page.set("limit", String(PAGE));
      page.set("offset", String(offset));
      page.set("sort", "-date");
      const body = await getJSON(`/api/events?${page}`);
      total = body.total;
      totalExact = body.total_exact !== false;
      events.push(...body.events);
      if (body.events.length === 0) break;
      offset = body.next_offset ?? null;
    }
    return { events, total: Math.max(total, events.length), totalExact };
  }

  async function refresh() {
    setStatus("Loading events…");
    try {
      const { events, total, totalExact } = await fetchEvents(filterParams());
      state.events = events;
      state.total = total;
      state.totalExact = totalExact;
      render();
    } catch (error) {
      setStatus(`Could not load events: ${error.message}`, true);
    }
  }

  // The filter choices come from the store's counts, so they cover events beyond the drawn ones.
  function populateFilters(stats) {
    const countries = Object.keys(stats.events_by_country || {}).filter(Boolean).sort();
    const types = Object.keys(stats.events_by_type || {}).filter(Boolean)
      .sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b));
    const country = $("filter-country");
    for (const code of countries) country.append(el("option", { value: code }, `${countryName(code)} (${code})`));
    const type = $("filter-type");
    for (const name of types) type.append(el("option", { value: name }, name));
  }

  // ---- rendering ----
  function render() {
    const shown = state.events.length;
    const located = state.events.filter((e) => e.latitude !== null && e.longitude !== null).length;
    const total = state.totalExact ? String(state.total) : `${state.total.toLocaleString("en-US")}+`;
    const parts = [`${shown} of ${total} events`];
    if (shown < state.total || !state.totalExact) parts.push(`only the latest ${shown} are drawn; narrow the filters`);
    if (located < shown) parts.push(`${shown - located} without coordinates are in the table only`);
    setStatus(parts.join(" · "));
    renderMap();
    renderTimeline();
    renderTable();
  }

  function radiusFor(event) {
    const killed = killedOf(event) || 0;
    return Math.min(28, 5 + 3 * Math.sqrt(killed)); // area grows with the count; capped for mass events
  }

  function renderMap() {
    markers.clearLayers();
    const located = state.events
      .filter((e) => e.latitude !== null && e.longitude !== null)
      .sort((a, b) => (killedOf(b) || 0) - (killedOf(a) || 0)); // big circles first, small ones on top
    for (const event of located) {
      const marker = L.circleMarker([event.latitude, event.longitude], {
        radius: radiusFor(event), color: "#1f2933", weight: 1, opacity: 0.9,
        fillColor: color(event.event_type), fillOpacity: 0.8, className: "event-marker",
      });
      const tip = el("div", { class: "tip" },
        el("strong", {}, `${event.event_type} · ${dateText(event)}`), el("br"),
        placeText(event), el("br"), `killed: ${countText(event.fatalities)} · sources: ${sourceCount(event)}`);
      marker.bindTooltip(tip, { direction: "top", offset: [0, -4] });
      marker.on("click", () => selectEvent(event.id));
      marker.addTo(markers);
      const path = marker.getElement();
      if (path) {
        path.setAttribute("data-testid", "event-marker");
        path.setAttribute("data-event-id", event.id);
        if (event.id === state.selectedId) path.classList.add("selected");
        if (state.changes.get(event.id)) path.classList.add(`marker-${state.changes.get(event.id)}`);
      }
    }
    fitEvents(located, true);
    state.fitted = true;
    renderLegend();
  }

  // Fit the map to the events (those in the border region first, when `regionFirst` and any are there).
  function fitEvents(located, regionFirst) {
    const inRegion = located.filter((e) => REGION.contains([e.latitude, e.longitude]));
    const chosen = regionFirst && inRegion.length ? inRegion : located;
    if (chosen.length) {
      const bounds = L.latLngBounds(chosen.map((e) => [e.latitude, e.longitude]));
      map.fitBounds(bounds.pad(0.3), { maxZoom: 7 }); // closer than 7 loses the region's shape
    } else if (!state.fitted) {
      map.setView(HOME.center, HOME.zoom);
    }
  }

  function locatedEvents() {
    return state.events.filter((e) => e.latitude !== null && e.longitude !== null);
  }

  function renderLegend() {
    const box = legend.getContainer();
    box.replaceChildren();
    const counts = new Map();
    for (const e of state.events) counts.set(e.event_type, (counts.get(e.event_type) || 0) + 1);
    box.append(el("div", { class: "legend-title" }, "Event type"));
    const types = [...counts.keys()].sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b));
    const rows = el("div", { class: types.length > 6 ? "legend-rows" : "" });
    for (const type of types) {
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = color(type);
      rows.append(el("div", { class: "legend-row", "data-testid": "legend-row" }, swatch, `${type} `,
        el("span", { class: "muted" }, String(counts.get(type)))));
    }
    box.append(rows);
    box.append(el("div", { class: "legend-note" }, "Circle size: people killed (best estimate)"));
  }

  function renderTimeline() {
    const host = $("timeline");
    host.replaceChildren();
    const dated = state.events.filter((e) => e.date);
    if (!dated.length) {
      host.append(el("p", { class: "muted" }, "No dated events."));
      return;
    }
    const day = (iso) => Date.parse(`${iso}T00:00:00Z`) / 86400000;
    const iso = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
    let last = Math.max(...dated.map((e) => day(e.date)));
    let first = Math.min(...dated.map((e) => day(e.date)));
    const since = $("filter-since").value;
    const until = $("filter-until").value;
    if (since) first = Math.max(first, day(since));
    if (until) last = Math.min(last, day(until));
    let note = "";
    if (!since && last - first >= TIMELINE_DAYS) {
      first = last - TIMELINE_DAYS + 1; // years of sparse reports would squash the recent weeks
      const earlier = dated.filter((e) => day(e.date) < first).length;
      note = earlier ? ` · latest ${TIMELINE_DAYS} days; ${earlier} earlier events: set From to see them` : "";
    }
    const shown = dated.filter((e) => day(e.date) >= first && day(e.date) <= last);
    first -= 1; // a day of margin each side, so a one-day set still has width
    last += 1;
    const width = Math.max(host.clientWidth, 300);
    const height = 118;
    const pad = { left: 30, right: 10, top: 8, bottom: 22 };
    const innerW = width - pad.left - pad.right;
    const innerH = height - pad.top - pad.bottom;
    const days = last - first + 1;
    const binDays = Math.max(1, Math.ceil(days / (innerW / 4))); // bars at least ~4 px wide
    const nBins = Math.ceil(days / binDays);
    $("timeline-title").textContent = (binDays === 1 ? "Events per day" : `Events per ${binDays} days`) + note;
    const bins = Array.from({ length: nBins }, () => new Map());
    for (const e of shown) {
      const bin = Math.floor((day(e.date) - first) / binDays);
      bins[bin].set(e.event_type, (bins[bin].get(e.event_type) || 0) + 1);
    }
    const maxCount = Math.max(1, ...bins.map((b) => [...b.values()].reduce((s, v) => s + v, 0)));
    const barW = innerW / nBins;
    const drawW = Math.max(1, Math.min(barW - 1, 28)); // a few days must not look like a bar chart of blocks
    const y = (n) => pad.top + innerH - (n / maxCount) * innerH;
    const chart = svg("svg", { width, height, role: "img", "aria-label": "Events over time by type" });
    for (const tick of [0, maxCount]) {
      chart.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: y(tick), y2: y(tick), class: "grid" }));
      const label = svg("text", { x: pad.left - 6, y: y(tick) + 4, class: "axis", "text-anchor": "end" });
      label.textContent = String(tick);
      chart.append(label);
    }
    bins.forEach((counts, i) => {
      let stacked = 0;
      const start = first + i * binDays;
      const end = Math.min(last, start + binDays - 1);
      const types = [...counts.keys()].sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b));
      for (const type of types) {
        const n = counts.get(type);
        const rect = svg("rect", {
          x: pad.left + i * barW + (barW - drawW) / 2, width: drawW,
          y: y(stacked + n), height: y(stacked) - y(stacked + n),
          fill: color(type), class: "bar", "data-testid": "timeline-bar",
        });
        const title = svg("title", {});
        title.textContent = `${iso(start)}${end > start ? ` – ${iso(end)}` : ""}: ${n} ${type}`;
        rect.append(title);
        rect.addEventListener("click", () => {
          $("filter-since").value = iso(start);
          $("filter-until").value = iso(end);
          refresh();
        });
        chart.append(rect);
        stacked += n;
      }
    });
    const step = Math.ceil(nBins / Math.max(1, Math.floor(innerW / 90))); // a date label needs ~90 px
    for (let i = 0; i < nBins; i += step) {
      const x = Math.min(Math.max(pad.left + (i + 0.5) * barW, pad.left + 30), width - 30); // keep labels inside
      const label = svg("text", { x, y: height - 6, class: "axis", "text-anchor": "middle" });
      label.textContent = iso(first + i * binDays);
      chart.append(label);
    }
    host.append(chart);
  }

  function renderTable() {
    const body = $("events-body");
    body.replaceChildren();
    $("table-count").textContent = `${state.events.length} shown, newest first`;
    for (const event of state.events) {
      const chip = el("span", { class: "chip" }, el("span", { class: "dot" }), event.event_type);
      chip.firstChild.style.background = color(event.event_type);
      const check = event.discrepancies.length
        ? el("span", { class: "badge badge-disagree", "data-testid": "row-disagree-badge",
          title: event.discrepancies.map(discrepancyText).join("; ") }, "sources disagree")
        : "";
      const row = el("tr", { "data-testid": "event-row", "data-event-id": event.id, tabindex: 0 },
        el("td", { class: "nowrap" }, dateText(event)),
        el("td", {}, chip),
        el("td", {}, placeText(event)),
        el("td", {}, actorsText(event)),
        el("td", { class: "num" }, countText(event.fatalities)),
        el("td", { class: "num" }, String(sourceCount(event))),
        el("td", {}, check));
      if (event.id === state.selectedId) row.classList.add("selected");
      const change = state.changes.get(event.id);
      if (change) {
        row.classList.add(`row-${change}`);
        row.cells[0].append(" ", el("span", { class: `badge badge-${change}`, "data-testid": "change-badge" }, change));
      }
      row.addEventListener("click", () => selectEvent(event.id));
      row.addEventListener("keydown", (e) => { if (e.key === "Enter") selectEvent(event.id); });
      body.append(row);
    }
    if (!state.events.length) {
      body.append(el("tr", {}, el("td", { colspan: 7, class: "muted" }, "No events match these filters.")));
    }
  }

  function markSelected(id) {
    document.querySelectorAll("tr.selected, path.selected").forEach((n) => n.classList.remove("selected"));
    document.querySelectorAll(`[data-event-id="${CSS.escape(id)}"]`).forEach((n) => n.classList.add("selected"));
  }

  async function selectEvent(id) {
    state.selectedId = id;
    markSelected(id);
    const panel = $("panel");
    panel.replaceChildren(el("p", { class: "muted" }, "Loading event…"));
    let event;
    try {
      event = (await getJSON(`/api/events/${encodeURIComponent(id)}`)).event;
    } catch (error) {
      panel.replaceChildren(el("p", { class: "error" }, `Could not load event: ${error.message}`));
      return;
    }
    if (state.selectedId !== id) return; // another click came first
    renderPanel(panel, event);
  }

  function renderPanel(panel, event) {
    const outletOf = new Map(event.sources.map((s) => [s.article_id, s.outlet || s.article_id]));
    const head = el("div", { class: "panel-head" },
      el("span", { class: "chip big" }, el("span", { class: "dot" }), event.event_type,
        event.mode ? el("span", { class: "muted" }, ` · ${event.mode}`) : ""),
      el("h2", { "data-testid": "panel-title" }, placeText(event)),
      el("div", { class: "muted" }, dateText(event),
        event.acled_event_type ? ` · ACLED: ${event.acled_event_type} / ${event.acled_sub_event_type || "–"}` : ""));
    head.querySelector(".dot").style.background = color(event.event_type);

    const facts = el("dl", { class: "facts" },
      el("dt", {}, "Actors"), el("dd", {}, actorsText(event)),
      el("dt", {}, "Killed"), el("dd", { "data-testid": "panel-killed" }, countText(event.fatalities)),
      el("dt", {}, "Injured"), el("dd", {}, countText(event.injured)),
      el("dt", {}, "Confidence"), el("dd", {}, event.confidence.toFixed(2)),
      el("dt", {}, "Event id"), el("dd", { class: "mono" }, event.id));

    const badges = el("div", { class: "badges", "data-testid": "discrepancies" });
    for (const d of event.discrepancies) {
      const who = d.values.map((v) => `${v.value}: ${v.article_ids.map((a) => outletOf.get(a) || a).join(", ")}`);
      badges.append(el("div", { class: "discrepancy" },
        el("span", { class: "badge badge-disagree", "data-testid": "discrepancy-badge" }, discrepancyText(d)),
        el("span", { class: "who" }, who.join(" · "))));
    }
    if (!event.discrepancies.length && event.sources.length > 1) {
      badges.append(el("span", { class: "badge badge-agree" }, `${event.sources.length} sources agree`));
    }

    const list = el("div", { class: "sources" });
    for (const source of event.sources) list.append(renderSource(source));
    panel.replaceChildren(head, badges, facts,
      el("h3", {}, `Sources (${event.sources.length})`), list);
    panel.scrollTop = 0;
  }

  function renderSource(source) {
    const href = source.url ? safeHref(source.url) : null;
    const claims = source.claims || {};
    const said = [];
    if (claims.date) said.push(`date ${claims.date}`);
    if (claims.killed !== null && claims.killed !== undefined) said.push(`${claims.killed} killed`);
    if (claims.injured !== null && claims.injured !== undefined) said.push(`${claims.injured} injured`);
    if (claims.location) said.push(claims.location);
    const textBox = el("div", { class: "article-text", "data-testid": "article-text" },
      el("span", { class: "muted" }, "Loading article…"));
    const card = el("article", { class: "source", "data-testid": "source", "data-article-id": source.article_id },
      el("div", { class: "source-head" },
        el("strong", { class: "outlet", "data-testid": "source-outlet" }, source.outlet || "unknown outlet"),
        source.language ? el("span", { class: "badge", "data-testid": "source-language", lang: source.language },
          source.language) : "",
        el("span", { class: "muted" }, source.published || "no date"),
        source.copy_of ? el("span", { class: "badge" }, `copy of ${source.copy_of}`) : "",
        source.is_sample ? el("span", { class: "badge" }, "sample") : "",
        href ? el("a", { href, target: "_blank", rel: "noopener noreferrer" }, "original ↗") : ""),
      source.title ? el("div", { class: "source-title" }, source.title) : "",
      said.length ? el("div", { class: "said" }, `This source says: ${said.join(" · ")}`) : "",
      textBox);
    loadArticle(source.article_id).then(
      (article) => highlight(textBox, article.text, source.start, source.end, source.quote),
      (error) => textBox.replaceChildren(el("span", { class: "error" }, `Could not load article: ${error.message}`)));
    return card;
  }

  function loadArticle(id) {
    if (!state.articles.has(id)) {
      const request = getJSON(`/api/articles/${encodeURIComponent(id)}`).then((body) => body.article);
      request.catch(() => state.articles.delete(id));
      state.articles.set(id, request);
    }
    return state.articles.get(id);
  }

  // Put `text` into `box` as plain text with text[start:end] inside a <mark>; never parsed as HTML.
  function highlight(box, text, start, end, quote) {
    box.replaceChildren();
    let from = start;
    let to = end;
    if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to <= text.length && from < to &&
          (!quote || text.slice(from, to) === quote))) {
      from = quote ? text.indexOf(quote) : -1; // offsets stale (article re-cleaned): find the quote
      to = from >= 0 ? from + quote.length : -1;
    }
    if (from < 0) {
      box.append(el("div", { class: "error" }, "The quote was not found in this article's text."),
        document.createTextNode(text));
      return;
    }
    const mark = el("mark", { "data-testid": "quote-mark" }, text.slice(from, to));
    box.append(document.createTextNode(text.slice(0, from)), mark, document.createTextNode(text.slice(to)));
    box.scrollTop = Math.max(0, mark.offsetTop - 48); // the box is the mark's offsetParent; keep 2 lines above
  }

  // ---- map setup ----
  function setupMap() {
    map = L.map("map", { zoomSnap: 0.5, minZoom: 3, maxZoom: 12, worldCopyJump: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Borders: Natural Earth via world-atlas");
    map.setView(HOME.center, HOME.zoom);
    markers = L.layerGroup().addTo(map);
    legend = L.control({ position: "bottomright" });
    legend.onAdd = () => el("div", { class: "legend", "data-testid": "legend" });
    legend.addTo(map);
    const views = L.control({ position: "topright" });
    views.onAdd = () => {
      const region = el("button", { type: "button", "data-testid": "view-region" }, "Border region");
      const all = el("button", { type: "button", "data-testid": "view-all" }, "All events");
      region.addEventListener("click", () => fitEvents(locatedEvents(), true));
      all.addEventListener("click", () => fitEvents(locatedEvents(), false));
      const box = el("div", { class: "views leaflet-bar" }, region, all);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    views.addTo(map);
  }

  async function loadBorders() {
    const response = await fetch("/static/vendor/countries-50m.json");
    if (!response.ok) throw new Error(`borders answered ${response.status}`);
    const topo = await response.json();
    const countries = topojson.feature(topo, topo.objects.countries);
    map.createPane("borders").style.zIndex = 350; // under markers (overlayPane is 400)
    const layer = L.geoJSON(countries, {
      pane: "borders", interactive: false,
      style: (f) => (FOCUS.has(f.id)
        ? { color: "#52606d", weight: 1.4, fillColor: "#fffdf5", fillOpacity: 1 }
        : { color: "#9aa5b1", weight: 0.8, fillColor: "#eeeae2", fillOpacity: 1 }),
    }).addTo(map);
    layer.eachLayer((country) => {
      const name = LABELLED[country.feature.id];
      if (!name) return;
      const label = el("span", {}, name);
      L.marker(country.getBounds().getCenter(), {
        pane: "borders", interactive: false, keyboard: false,
        icon: L.divIcon({ className: FOCUS.has(country.feature.id) ? "country-label focus" : "country-label",
          html: label, iconSize: null }),
      }).addTo(map);
    });
  }

  // ---- what changed, and alerts ----
  async function refreshChanges() {
    const value = $("filter-changed").value;
    state.changes = new Map();
    if (value) {
      const since = new Date(value); // the input's local time
      try {
        const body = await getJSON(`/api/changes?since=${encodeURIComponent(since.toISOString())}`);
        state.changes = new Map(Object.entries(body.events));
      } catch (error) {
        setStatus(`Could not load changes: ${error.message}`, true);
        return;
      }
    }
    render();
    if (value) {
      const counts = { new: 0, changed: 0 };
      for (const event of state.events) {
        const change = state.changes.get(event.id);
        if (change) counts[change] += 1;
      }
      setStatus(`${$("status").textContent} · since ${value.replace("T", " ")}: ${counts.new} new, ${counts.changed} changed`);
    }
  }

  async function loadAlerts() {
    const list = $("alerts-list");
    let body;
    try {
      body = await getJSON("/api/alerts?limit=50");
    } catch (error) {
      list.replaceChildren(el("li", { class: "muted" }, `Alerts unavailable: ${error.message}`));
      return;
    }
    list.replaceChildren();
    const failed = (body.deliveries || {}).failed || 0;
    $("alerts-count").textContent = `${body.alerts.length} latest` + (failed ? ` · ${failed} deliveries failed` : "");
    for (const alert of body.alerts) {
      const item = el("li", { class: "alert-item", "data-testid": "alert-item", tabindex: 0 },
        el("span", { class: "badge" }, alert.rule),
        el("span", { class: "hint" }, ` ${alert.tier} · ${alert.updated_at.slice(0, 16).replace("T", " ")} `),
        el("div", {}, alert.why));
      if (alert.held) item.append(el("span", { class: "hint" }, " (held: cooldown)"));
      if (alert.event_id) {
        item.addEventListener("click", () => selectEvent(alert.event_id));
        item.addEventListener("keydown", (e) => { if (e.key === "Enter") selectEvent(alert.event_id); });
      }
      list.append(item);
    }
    if (!body.alerts.length) list.append(el("li", { class: "muted" }, "No alerts yet (sitrep watch fires them)."));
  }

  function wireFilters() {
    for (const id of ["filter-since", "filter-until", "filter-country", "filter-type"]) {
      $(id).addEventListener("change", refresh);
    }
    $("filter-changed").addEventListener("change", refreshChanges);
    let timer = null;
    $("filter-q").addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300); // wait for a pause in typing
    });
    $("filters").addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
    $("filter-reset").addEventListener("click", () => {
      $("filters").reset();
      state.changes = new Map();
      refresh();
    });
    let resizeTimer = null;
    window.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(renderTimeline, 150);
    });
  }

  async function start() {
    setupMap();
    wireFilters();
    const borders = loadBorders().catch((error) => setStatus(`Map borders unavailable: ${error.message}`, true));
    try {
      populateFilters((await getJSON("/api/stats")).stats);
      await refresh();
      await loadAlerts();
    } catch (error) {
      setStatus(`Could not load events: ${error.message}`, true);
    }
    await borders;
    document.body.setAttribute("data-ready", "true"); // tests wait for this
  }

  document.addEventListener("DOMContentLoaded", start);
})();
