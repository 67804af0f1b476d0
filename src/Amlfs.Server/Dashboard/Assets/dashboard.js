// The amlfs dashboard: one page, routed by the URL's hash, reading /dashboard/api/... and the live stream
// /dashboard/api/stream (server-sent events, one sample a second). No build step, no framework; charts by uPlot.
(function () {
  'use strict';

  const I18N = window.AMLFS_I18N;
  const STORAGE_KEY = 'amlfs.lang';
  const state = {
    lang: initialLanguage(),
    info: null,
    page: null,         // the page object now shown: { render(), update(u), dispose() }
    latest: null,       // the newest live update
    listeners: new Set(),
  };

  // ---- language ---------------------------------------------------------------------------------------------------

  function initialLanguage() {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && I18N[saved]) return saved;
    const browser = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
    return browser.toLowerCase().startsWith('pt') ? 'pt-BR' : 'en';
  }

  function t(key, vars) {
    // A key of a value the server names (a signal, a component) that no dictionary has reads as the value itself.
    const text = (I18N[state.lang] && I18N[state.lang][key]) || I18N.en[key] || key.slice(key.indexOf('.') + 1);
    return vars ? text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? '')) : text;
  }

  function applyStatic() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
    document.getElementById('lang').value = state.lang;
    document.title = t('title');
  }

  function setLanguage(lang) {
    state.lang = I18N[lang] ? lang : 'en';
    localStorage.setItem(STORAGE_KEY, state.lang);
    applyStatic();
    route();
  }

  const fmt = {
    int: v => v == null ? '—' : new Intl.NumberFormat(state.lang).format(Math.round(v)),
    num: (v, d = 2) => v == null ? '—' : new Intl.NumberFormat(state.lang, { maximumFractionDigits: d }).format(v),
    pct: v => v == null ? '—' : new Intl.NumberFormat(state.lang, { style: 'percent', maximumFractionDigits: 2 }).format(v),
    money: v => v == null ? '—' : new Intl.NumberFormat(state.lang, { style: 'currency', currency: 'BRL' }).format(v),
    time: iso => iso == null ? '—' : new Date(iso).toLocaleString(state.lang, { hour12: false }),
  };

  // ---- helpers ----------------------------------------------------------------------------------------------------

  async function getJson(path) {
    const response = await fetch(path, { headers: { 'Accept': 'application/json' } });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = body && (body.detail || body.title) || response.statusText;
      const error = new Error(detail);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const child of children.flat()) {
      if (child == null || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function note(text, cls) { return h('p', { class: 'note' + (cls ? ' ' + cls : '') }, text); }

  function badge(level) { return h('span', { class: 'badge ' + level, 'data-level': level }, t('level.' + level)); }

  function entityLink(entity, id) { return h('a', { href: '#/entity/' + encodeURIComponent(entity) + '/' + encodeURIComponent(id) }, id); }

  function destinationEntity(d) { return d.destination_type === 'account' ? 'customer' : 'merchant'; }

  // A decision's page; with the transaction's time, a decision no longer in memory is found in its day of the offline store.
  function decisionHref(id, eventTime) {
    return '#/decision/' + encodeURIComponent(id) + (eventTime ? '?at=' + encodeURIComponent(eventTime) : '');
  }

  function severityBadge(severity) { return h('span', { class: 'badge sev-' + severity, 'data-severity': severity }, t('severity.' + severity)); }

  // An alert's message in the page's language, from its fields; the line its channels received (English) is its tooltip.
  function alertMessage(a) {
    const num = (v, d) => fmt.num(v, d);
    const values = {
      high_decision: () => ({ value: num(a.score, 3) }),
      high_decisions_per_entity: () => ({ value: fmt.int(a.value) }),
      feature_above: () => ({ value: num(a.value, 4), threshold: num(a.threshold, 4) }),
      predict_p99_above: () => ({ value: num(a.value * 1000, 1), threshold: num(a.threshold * 1000, 1) }),
      engine_lag_above: () => ({ value: num(a.value, 1), threshold: num(a.threshold, 1) }),
      rejected_share_above: () => ({ value: fmt.pct(a.value), threshold: fmt.pct(a.threshold) }),
      component_unavailable: () => ({ subject: t('component.' + a.subject) }),
      psi_above: () => ({ value: num(a.value, 3), threshold: num(a.threshold, 3) }),
    }[a.kind];
    if (!values) return a.message;
    return t('alertKind.' + a.kind, Object.assign({
      subject: a.subject, transaction: a.transaction_id || '', model: a.model_version || '', feature: a.features[0] || a.subject,
    }, values()));
  }

  function subjectCell(a) {
    if (a.subject === a.customer_id) return entityLink('customer', a.subject);
    if (a.subject === a.merchant_id) return entityLink('merchant', a.subject);
    return a.kind === 'component_unavailable' ? t('component.' + a.subject) : a.subject;
  }

  function deliveryCell(a) {
    const detail = a.deliveries.map(d => d.channel + ': ' + t('delivery.' + d.status) + (d.attempts ? ' (' + fmt.int(d.attempts) + ')' : '') + (d.last_error ? ' — ' + d.last_error : '')).join('\n');
    return h('span', { class: 'delivery ' + a.delivery, 'data-delivery': a.delivery, title: detail || null }, t('delivery.' + a.delivery));
  }

  function parseHash() {
    const raw = location.hash.replace(/^#\/?/, '');
    const [path, query] = raw.split('?');
    return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query || '') };
  }

  function setQuery(base, query) {
    const q = query.toString();
    location.hash = '#/' + base + (q ? '?' + q : '');
  }

  function chartWidth(el) { return Math.max(320, Math.floor(el.clientWidth || el.parentElement.clientWidth || 600) - 4); }

  const palette = ['#1f5fbf', '#c62828', '#2e8b57', '#d48a00', '#7b1fa2', '#00838f', '#5d4037', '#455a64'];

  function timeChart(el, title, series, data, extra) {
    const opts = Object.assign({
      title, width: chartWidth(el), height: 220,
      scales: { x: { time: true } },
      series: [{}].concat(series.map((s, i) => Object.assign({ stroke: s.color || palette[i % palette.length], width: 1.5, spanGaps: false, points: { show: false } }, s))),
      axes: [{}, { size: 60 }],
      legend: { live: true },
    }, extra || {});
    const chart = new uPlot(opts, data, el);
    const resize = () => chart.setSize({ width: chartWidth(el), height: opts.height });
    window.addEventListener('resize', resize);
    chart._dispose = () => { window.removeEventListener('resize', resize); chart.destroy(); };
    return chart;
  }

  // Horizontal bars, the largest first at the top: an explanation's contributions or the PSI of each feature.
  function barChart(el, labels, values, opts) {
    const n = labels.length;
    const xs = labels.map((_, i) => i);
    const pos = values.map(v => v > 0 ? v : null);
    const neg = values.map(v => v < 0 ? v : null);
    const low = Math.min(0, ...values), high = Math.max(1e-9, ...values);
    const pad = (high - low) * 0.06;
    const bars = uPlot.paths.bars({ size: [0.7, 40], align: 0 });
    const chart = new uPlot({
      width: chartWidth(el), height: Math.max(120, 26 * n + 50),
      scales: {
        x: { time: false, ori: 1, dir: -1, range: () => [-0.5, n - 0.5] },
        y: { ori: 0, dir: 1, range: () => [low < 0 ? low - pad : 0, high + pad] },
      },
      axes: [
        { scale: 'x', side: 3, size: 230, gap: 6, splits: () => xs, values: () => labels, grid: { show: false }, ticks: { show: false } },
        { scale: 'y', side: 0, size: 30 },
      ],
      series: [
        {},
        { label: (opts && opts.posLabel) || '+', fill: 'rgba(198,40,40,0.75)', stroke: '#c62828', paths: bars, points: { show: false }, fillTo: () => 0 },
        { label: (opts && opts.negLabel) || '−', fill: 'rgba(31,95,191,0.7)', stroke: '#1f5fbf', paths: bars, points: { show: false }, fillTo: () => 0 },
      ],
      cursor: { show: false },
      legend: { show: false },
    }, [xs, pos, neg], el);
    return chart;
  }

  // ---- live stream ------------------------------------------------------------------------------------------------

  function connect() {
    const live = document.getElementById('live');
    const source = new EventSource('/dashboard/api/stream');
    live.dataset.state = 'connecting';
    live.textContent = t('live.connecting');
    source.onopen = () => { live.dataset.state = 'open'; live.textContent = t('live.open'); };
    source.onerror = () => { live.dataset.state = source.readyState === 2 ? 'closed' : 'connecting'; live.textContent = t('live.connecting'); };
    source.onmessage = e => {
      const update = JSON.parse(e.data);
      state.latest = update;
      live.dataset.state = 'open';
      live.textContent = t('live.open');
      for (const listener of state.listeners) listener(update);
    };
  }

  function onUpdate(listener) { state.listeners.add(listener); return () => state.listeners.delete(listener); }

  // ---- overview ---------------------------------------------------------------------------------------------------

  const RANGES = [900, 3600, 21600];

  function overviewPage(query) {
    const range = Number(query.get('range')) || 900;
    const root = h('section', { id: 'overview' });
    const charts = [];
    let history = null;
    let unsubscribe = null;
    const tiles = {};

    function tile(id, label) {
      const value = h('div', { class: 'value', id }, '—');
      tiles[id] = value;
      return h('div', { class: 'tile' }, h('div', { class: 'label' }, label), value);
    }

    function columns(hist) {
      const x = hist.t.map(v => v / 1000);
      const rejected = hist.rejected_late.map((v, i) => sum(v, hist.rejected_future[i], hist.rejected_invalid[i]));
      return {
        tps: [x, hist.accepted, hist.duplicates, rejected],
        levels: [x, hist.decisions_low, hist.decisions_medium, hist.decisions_high],
        latency: [x, hist.predict_p50_ms, hist.predict_p99_ms],
        lag: [x, hist.lag_seconds, hist.freshness_seconds],
      };
    }

    function sum(...values) {
      const present = values.filter(v => v != null);
      return present.length ? present.reduce((a, b) => a + b, 0) : null;
    }

    function appendSample(s) {
      if (!history) return;
      const last = history.t[history.t.length - 1];
      if (last != null && s.t <= last) return;
      const keys = ['accepted', 'duplicates', 'rejected_late', 'rejected_future', 'rejected_invalid', 'decisions_low', 'decisions_medium',
        'decisions_high', 'predict_requests', 'predict_p50_ms', 'predict_p99_ms', 'lag_seconds', 'queue_depth', 'freshness_seconds'];
      history.t.push(s.t);
      for (const k of keys) history[k].push(s[k] ?? null);
      const from = s.t - range * 1000;
      let drop = 0;
      while (drop < history.t.length && history.t[drop] <= from) drop++;
      if (drop > 0) { history.t.splice(0, drop); for (const k of keys) history[k].splice(0, drop); }
    }

    function alertRate() {
      if (!history) return null;
      const n = Math.min(60, history.t.length);
      let high = 0, all = 0;
      for (let i = history.t.length - n; i < history.t.length; i++) {
        high += history.decisions_high[i] || 0;
        all += (history.decisions_low[i] || 0) + (history.decisions_medium[i] || 0) + (history.decisions_high[i] || 0);
      }
      return all > 0 ? high / all : null;
    }

    function showTotals(u) {
      const s = u.sample, totals = u.totals;
      tiles['total-accepted'].textContent = fmt.int(totals.accepted);
      tiles['rate-accepted'].textContent = fmt.num(s.accepted, 1);
      tiles['total-rejected'].textContent = fmt.int(totals.rejected);
      tiles['total-decisions'].textContent = fmt.int(totals.decisions);
      tiles['total-alerts'].textContent = fmt.int(totals.alerts);
      tiles['alert-rate'].textContent = fmt.pct(alertRate());
      tiles['predict-p99'].textContent = s.predict_p99_ms == null ? '—' : fmt.num(s.predict_p99_ms, 3) + ' ms';
      tiles['engine-lag'].textContent = s.lag_seconds == null ? '—' : fmt.num(s.lag_seconds, 1) + ' s';
      tiles['model-version'].textContent = u.model_version;
      const health = root.querySelector('#health');
      health.replaceChildren(...Object.entries(u.health || {}).map(([name, status]) =>
        h('span', { class: 'component ' + status, 'data-component': name, 'data-status': status }, t('component.' + name) + ': ' + t('status.' + status))));
    }

    function draw() {
      if (!history) return;
      const data = columns(history);
      charts[0].setData(data.tps);
      charts[1].setData(data.levels);
      charts[2].setData(data.latency);
      charts[3].setData(data.lag);
    }

    return {
      title: t('overview.title'),
      async render() {
        const rangeSelect = h('select', { id: 'overview-range', onchange: e => setQuery('overview', new URLSearchParams({ range: e.target.value })) },
          RANGES.map(r => h('option', { value: r, selected: r === range }, t('range.' + r))));
        root.append(
          h('div', { class: 'toolbar' }, h('h1', {}, t('overview.title')), h('label', {}, t('overview.range'), rangeSelect)),
          h('div', { class: 'tiles' },
            tile('rate-accepted', t('overview.tps')),
            tile('total-accepted', t('overview.accepted')),
            tile('total-rejected', t('overview.rejected')),
            tile('total-decisions', t('overview.decisions')),
            tile('total-alerts', t('overview.alerts')),
            tile('alert-rate', t('overview.alertRate')),
            tile('predict-p99', t('overview.p99')),
            tile('engine-lag', t('overview.lag')),
            tile('model-version', t('overview.model'))),
          h('div', { class: 'panel section' }, h('h2', {}, t('overview.health')), h('div', { class: 'health', id: 'health' }, h('span', { class: 'muted' }, t('overview.waiting')))),
          h('div', { class: 'grid' },
            h('div', { class: 'panel chart', id: 'chart-tps' }),
            h('div', { class: 'panel chart', id: 'chart-levels' }),
            h('div', { class: 'panel chart', id: 'chart-latency' }),
            h('div', { class: 'panel chart', id: 'chart-lag' })));
        history = await getJson('/dashboard/api/overview?seconds=' + range);
        const data = columns(history);
        charts.push(timeChart(root.querySelector('#chart-tps'), t('chart.tps'),
          [{ label: t('series.accepted') }, { label: t('series.duplicates') }, { label: t('series.rejected') }], data.tps));
        charts.push(timeChart(root.querySelector('#chart-levels'), t('chart.levels'),
          [{ label: t('level.LOW'), color: '#2e8b57' }, { label: t('level.MEDIUM'), color: '#d48a00' }, { label: t('level.HIGH'), color: '#c62828' }], data.levels));
        charts.push(timeChart(root.querySelector('#chart-latency'), t('chart.latency'),
          [{ label: 'p50 (ms)' }, { label: 'p99 (ms)' }], data.latency));
        charts.push(timeChart(root.querySelector('#chart-lag'), t('chart.lag'),
          [{ label: t('series.lag') }, { label: t('series.freshness') }], data.lag));
        if (state.latest) showTotals(state.latest);
        unsubscribe = onUpdate(u => { appendSample(u.sample); showTotals(u); draw(); });
      },
      dispose() { if (unsubscribe) unsubscribe(); charts.forEach(c => c._dispose()); },
      root,
    };
  }

  // ---- alerts -----------------------------------------------------------------------------------------------------

  function alertsPage(query) {
    const root = h('section', { id: 'alerts' });
    let unsubscribe = null;
    let lastAlerts = null;
    let timer = null;

    async function load() {
      const params = new URLSearchParams();
      for (const k of ['level', 'signal', 'model']) if (query.get(k)) params.set(k, query.get(k));
      params.set('limit', '200');
      const data = await getJson('/dashboard/api/alerts?' + params);
      const table = root.querySelector('#alerts-table tbody');
      fillSelect(root.querySelector('#filter-signal'), data.signals, query.get('signal'), v => t('signal.' + v, null));
      fillSelect(root.querySelector('#filter-model'), data.model_versions, query.get('model'), v => v);
      showRaised(data);
      root.querySelector('#alerts-count').textContent = t('alerts.count', { shown: fmt.int(data.items.length), published: fmt.int(data.published) });
      table.replaceChildren(...data.items.map(d => h('tr', {
        class: 'clickable', 'data-transaction-id': d.transaction_id, onclick: () => { location.hash = decisionHref(d.transaction_id, d.event_time); },
      },
        h('td', {}, fmt.time(d.event_time)),
        h('td', {}, h('a', { href: decisionHref(d.transaction_id, d.event_time) }, d.transaction_id)),
        h('td', {}, d.customer_id),
        h('td', {}, d.merchant_id),
        h('td', { class: 'num' }, fmt.money(d.amount)),
        h('td', { class: 'num' }, fmt.num(d.score, 4)),
        h('td', {}, badge(d.level)),
        h('td', {}, d.signal ? t('signal.' + d.signal) : '—'),
        h('td', {}, d.model_version))));
      if (data.items.length === 0) table.append(h('tr', {}, h('td', { colspan: 9, class: 'muted' }, t('alerts.none'))));
    }

    // What the alert rules raised: about a decision (linked), or about the system.
    function showRaised(data) {
      const panel = root.querySelector('#raised');
      const body = panel.querySelector('tbody');
      panel.querySelector('#raised-count').textContent = data.rules_enabled
        ? t('raised.count', { shown: fmt.int(data.raised.length), held: fmt.int(data.raised_held) }) : t('raised.disabled');
      body.replaceChildren(...data.raised.map(a => h('tr', {
        class: a.transaction_id ? 'clickable' : null, 'data-alert-sequence': a.sequence, 'data-rule': a.rule, title: a.message,
        onclick: a.transaction_id ? e => { if (e.target.tagName !== 'A') location.hash = decisionHref(a.transaction_id, a.event_time); } : null,
      },
        h('td', {}, fmt.time(a.raised_at)),
        h('td', {}, a.rule),
        h('td', {}, severityBadge(a.severity)),
        h('td', {}, subjectCell(a)),
        h('td', { class: 'message' }, alertMessage(a)),
        h('td', {}, a.level ? badge(a.level) : '—'),
        h('td', {}, deliveryCell(a)),
        h('td', {}, a.transaction_id ? h('a', { class: 'decision-link', href: decisionHref(a.transaction_id, a.event_time) }, a.transaction_id) : '—'))));
      if (data.raised.length === 0 && data.rules_enabled) body.append(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, t('raised.none'))));
    }

    function fillSelect(select, values, current, label) {
      const keep = select.value;
      select.replaceChildren(h('option', { value: '' }, t('filter.any')), ...values.map(v => h('option', { value: v, selected: v === current }, label(v))));
      if (current && !values.includes(current)) select.append(h('option', { value: current, selected: true }, label(current)));
      if (!current) select.value = keep && values.includes(keep) ? keep : '';
    }

    function filter(name, value) {
      const q = new URLSearchParams(query);
      if (value) q.set(name, value); else q.delete(name);
      setQuery('alerts', q);
    }

    return {
      async render() {
        root.append(h('h1', {}, t('alerts.title')));
        if (state.info && !state.info.decides) { root.append(note(t('replica.noDecisions'))); return; }
        const level = query.get('level') || 'HIGH';
        root.append(
          h('div', { class: 'toolbar' },
            h('label', {}, t('filter.level'), h('select', { id: 'filter-level', onchange: e => filter('level', e.target.value === 'HIGH' ? '' : e.target.value) },
              ['HIGH', 'MEDIUM', 'LOW', 'all'].map(l => h('option', { value: l, selected: l === level }, l === 'all' ? t('filter.all') : t('level.' + l))))),
            h('label', {}, t('filter.signal'), h('select', { id: 'filter-signal', onchange: e => filter('signal', e.target.value) })),
            h('label', {}, t('filter.model'), h('select', { id: 'filter-model', onchange: e => filter('model', e.target.value) })),
            h('span', { class: 'muted', id: 'alerts-count' })),
          h('div', { class: 'panel section', id: 'raised' },
            h('h2', {}, t('raised.title'), ' ', h('span', { class: 'muted', id: 'raised-count' })),
            h('table', { id: 'raised-table' },
              h('thead', {}, h('tr', {}, ['col.raisedAt', 'col.rule', 'col.severity', 'col.subject', 'col.message', 'col.level', 'col.delivery', 'col.decision']
                .map(k => h('th', {}, t(k))))),
              h('tbody', {}))),
          h('h2', {}, level === 'all' ? t('alerts.decisionsAll') : t('alerts.decisions', { level: t('level.' + level) })),
          h('div', { class: 'panel' }, h('table', { id: 'alerts-table' },
            h('thead', {}, h('tr', {}, ['col.time', 'col.transaction', 'col.customer', 'col.destination', 'col.amount', 'col.score', 'col.level', 'col.signal', 'col.model']
              .map(k => h('th', { class: k === 'col.amount' || k === 'col.score' ? 'num' : null }, t(k))))),
            h('tbody', {}))));
        await load();
        // New decisions of the level shown, or a new alert raised by the rules: the stream's totals move, and the list is
        // read again, at most every two seconds. The stream itself is the same for every page; only a list whose content
        // changed is read again.
        const watched = level === 'HIGH' ? (u => u.totals.alerts + ':' + u.totals.raised_alerts) : (u => u.totals.decisions + ':' + u.totals.raised_alerts);
        unsubscribe = onUpdate(u => {
          const key = watched(u);
          if (key !== lastAlerts && timer == null) {
            lastAlerts = key;
            timer = setTimeout(() => { timer = null; load().catch(() => {}); }, 2000);
          }
        });
      },
      dispose() { if (unsubscribe) unsubscribe(); if (timer) clearTimeout(timer); },
      root,
    };
  }

  // ---- decision ---------------------------------------------------------------------------------------------------

  function decisionPage(id, query) {
    const root = h('section', { id: 'decision' });
    let chart = null;

    function featureTable(title, features) {
      if (!features) return null;
      const rows = Object.entries(features.features);
      return h('details', { class: 'section' }, h('summary', {}, title + ' (' + rows.length + ')'),
        h('table', {}, h('tbody', {}, rows.map(([name, value]) => h('tr', { 'data-feature': name }, h('td', {}, name), h('td', { class: 'num' }, fmt.num(value, 4)))))));
    }

    return {
      async render() {
        root.append(h('h1', {}, t('decision.title')));
        let d;
        try {
          const at = query.get('at');
          d = await getJson('/dashboard/api/decisions/' + encodeURIComponent(id) + (at ? '?at=' + encodeURIComponent(at) : ''));
        } catch (e) {
          root.append(note(e.status === 404 ? t('decision.notFound', { id }) + ' ' + e.message : e.message, 'error'));
          return;
        }
        const s = d.decision;
        const txn = d.transaction;
        root.append(h('div', { class: 'two section' },
          h('div', { class: 'panel', id: 'decision-txn' }, h('h2', {}, t('decision.transaction')), h('dl', { class: 'facts' },
            h('dt', {}, t('col.transaction')), h('dd', { id: 'decision-id' }, s.transaction_id),
            h('dt', {}, t('col.time')), h('dd', {}, fmt.time(s.event_time)),
            h('dt', {}, t('col.customer')), h('dd', {}, entityLink('customer', s.customer_id)),
            h('dt', {}, t('col.destination')), h('dd', {}, entityLink(destinationEntity(s), s.merchant_id), ' ', h('span', { class: 'muted' }, '(' + t('destination.' + s.destination_type) + ')')),
            h('dt', {}, t('col.amount')), h('dd', {}, fmt.money(s.amount) + (txn && txn.currency !== 'BRL' ? ' ' + txn.currency : '')),
            txn ? [h('dt', {}, 'IP'), h('dd', {}, txn.ip_address || '—'), h('dt', {}, t('decision.device')), h('dd', {}, txn.device_id || '—'),
              h('dt', {}, t('decision.channel')), h('dd', {}, txn.channel || '—'), h('dt', {}, t('decision.country')), h('dd', {}, txn.country || '—'),
              h('dt', {}, t('decision.sequence')), h('dd', {}, fmt.int(txn.log_sequence))] : [])),
          h('div', { class: 'panel' }, h('h2', {}, t('decision.verdict')), h('dl', { class: 'facts' },
            h('dt', {}, t('col.score')), h('dd', { id: 'decision-score' }, fmt.num(s.score, 4)),
            h('dt', {}, t('col.level')), h('dd', {}, badge(s.level)),
            h('dt', {}, t('col.model')), h('dd', {}, s.model_version),
            h('dt', {}, t('col.signal')), h('dd', {}, s.signal ? t('signal.' + s.signal) : '—'),
            d.anomaly_score != null ? [h('dt', {}, t('decision.anomaly')), h('dd', {}, fmt.num(d.anomaly_score, 4))] : [],
            h('dt', {}, t('decision.decidedAt')), h('dd', {}, fmt.time(s.decided_at)),
            h('dt', {}, t('decision.foundIn')), h('dd', { id: 'decision-found-in', 'data-source': d.found_in }, t('foundIn.' + d.found_in))))));
        const explanation = h('div', { class: 'panel section' }, h('h2', {}, t('decision.explanation')));
        root.append(explanation);
        if (d.explanation_source === 'recomputed') explanation.append(note(t('decision.recomputed')));
        if (d.explanation_source === 'unavailable') explanation.append(note(t('decision.unavailable') + ' ' + (d.explanation_note || '')));
        const items = d.contributions.filter(c => c.contribution !== 0).slice(0, 25);
        if (items.length) {
          const el = h('div', { id: 'decision-chart', 'data-bars': items.length });
          explanation.append(h('p', { class: 'muted' }, t('decision.chartHelp')), el);
          chart = barChart(el, items.map(c => c.feature), items.map(c => c.contribution));
          explanation.append(h('table', { id: 'decision-contributions' },
            h('thead', {}, h('tr', {}, h('th', {}, t('col.feature')), h('th', { class: 'num' }, t('col.value')), h('th', { class: 'num' }, t('col.contribution')), h('th', {}, t('col.signal')))),
            h('tbody', {}, items.map(c => h('tr', { 'data-feature': c.feature }, h('td', {}, c.feature), h('td', { class: 'num' }, fmt.num(c.value, 4)),
              h('td', { class: 'num' }, fmt.num(c.contribution, 4)), h('td', {}, c.signal ? t('signal.' + c.signal) : '—'))))));
        }
        const features = h('div', { class: 'panel section', id: 'decision-features' }, h('h2', {}, t('decision.features', { time: fmt.time(s.event_time) })));
        if (d.features_note) features.append(note(d.features_note));
        features.append(featureTable(t('entity.customer') + ' ' + s.customer_id, d.customer_features),
          featureTable(t('entity.' + destinationEntity(s)) + ' ' + s.merchant_id, d.destination_features));
        root.append(features);
      },
      dispose() { if (chart) chart.destroy(); },
      root,
    };
  }

  // ---- entity -----------------------------------------------------------------------------------------------------

  const DEFAULT_SERIES = ['txn_count_1h', 'txn_amount_sum_1h', 'unique_ips_1h', 'velocity_score_1h', 'merchant_txn_count_1h', 'merchant_unique_customers_1h'];

  function entityPage(entity, id, query) {
    const root = h('section', { id: 'entity' });
    const charts = [];
    const at = query.get('at');

    function form() {
      const types = (state.info && state.info.entities) || ['customer', 'merchant'];
      const typeSelect = h('select', { id: 'entity-type' }, types.map(e => h('option', { value: e, selected: e === entity }, t('entity.' + e))));
      const idInput = h('input', { id: 'entity-id', value: id || '', placeholder: 'CUST_000001', size: 24 });
      const atInput = h('input', { id: 'entity-at', value: at || '', placeholder: '2026-03-10T14:05:00Z', size: 26 });
      const go = () => {
        const q = new URLSearchParams();
        if (atInput.value.trim()) q.set('at', atInput.value.trim());
        setQuery('entity/' + encodeURIComponent(typeSelect.value) + '/' + encodeURIComponent(idInput.value.trim()), q);
      };
      const ago = minutes => { atInput.value = new Date(Date.now() - minutes * 60000).toISOString().replace(/\.\d+Z$/, 'Z'); go(); };
      return h('form', { class: 'toolbar', onsubmit: e => { e.preventDefault(); go(); } },
        typeSelect, idInput,
        h('label', {}, t('entity.asOf'), atInput),
        h('button', { type: 'button', id: 'entity-ago-5m', onclick: () => ago(5) }, t('entity.minus5m')),
        h('button', { type: 'button', id: 'entity-ago-1h', onclick: () => ago(60) }, t('entity.minus1h')),
        h('button', { type: 'submit', id: 'entity-go' }, t('entity.show')));
    }

    return {
      async render() {
        root.append(h('h1', {}, t('entity.title')), form());
        if (!id) { root.append(note(t('entity.pick'))); return; }
        let d;
        try {
          d = await getJson('/dashboard/api/entities/' + encodeURIComponent(entity) + '/' + encodeURIComponent(id) + (at ? '?at=' + encodeURIComponent(at) : ''));
        } catch (e) {
          root.append(note(e.message, 'error'));
          return;
        }
        if (!d.now.known) root.append(note(t('entity.unknown')));
        if (d.at_problem) root.append(note(t('entity.atProblem') + ' ' + d.at_problem, 'error'));
        const byName = Object.fromEntries(d.features.map(f => [f.name, f]));
        const hasAt = d.at != null;
        const table = h('table', { id: 'entity-features' },
          h('thead', {}, h('tr', {}, h('th', {}, t('col.feature')), h('th', {}, t('col.family')), h('th', { class: 'num' }, t('entity.now', { time: fmt.time(d.now.as_of) })),
            hasAt ? h('th', { class: 'num', id: 'entity-at-heading' }, t('entity.at', { time: fmt.time(d.at.as_of) })) : null)),
          h('tbody', {}, d.features.map(f => {
            const now = d.now.features[f.name];
            const then = hasAt ? d.at.features[f.name] : null;
            return h('tr', { 'data-feature': f.name, class: hasAt && now !== then ? 'changed' : null, title: f.description },
              h('td', {}, f.name), h('td', { class: 'muted' }, f.family ? t('signal.' + f.family) : f.view),
              h('td', { class: 'num now' }, fmt.num(now, 4)),
              hasAt ? h('td', { class: 'num at' }, fmt.num(then, 4)) : null);
          })));
        const chartsBox = h('div', { class: 'charts-small', id: 'entity-charts' });
        root.append(
          h('div', { class: 'panel section' }, h('h2', {}, t('entity.features')), table),
          h('div', { class: 'panel section' }, h('h2', {}, t('entity.series')), h('p', { class: 'muted', id: 'entity-series-note' }, t('entity.loading')), chartsBox),
          h('div', { class: 'two section' },
            h('div', { class: 'panel' }, h('h2', {}, t('entity.recent')), d.recent_note ? note(d.recent_note) : null,
              h('table', { id: 'entity-recent' },
                h('thead', {}, h('tr', {}, ['col.time', 'col.transaction', 'col.counterparty', 'col.amount', 'col.score', 'col.level'].map(k => h('th', {}, t(k))))),
                h('tbody', {}, d.recent.map(r => h('tr', { class: 'clickable', onclick: () => { location.hash = decisionHref(r.transaction_id, r.event_time); } },
                  h('td', {}, fmt.time(r.event_time)), h('td', {}, r.transaction_id),
                  h('td', {}, r.customer_id === id ? r.merchant_id : r.customer_id),
                  h('td', { class: 'num' }, fmt.money(r.amount)), h('td', { class: 'num' }, fmt.num(r.score, 4)), h('td', {}, badge(r.level))))))),
            h('div', { class: 'panel' }, h('h2', {}, t('entity.counterparties')),
              h('table', { id: 'entity-counterparties' },
                h('thead', {}, h('tr', {}, ['col.counterparty', 'col.direction', 'col.transactions', 'col.amount', 'col.maxScore', 'col.alerts'].map(k => h('th', {}, t(k))))),
                h('tbody', {}, d.counterparties.map(c => h('tr', {},
                  h('td', {}, entityLink(c.entity, c.id)), h('td', {}, t('direction.' + c.direction)), h('td', { class: 'num' }, fmt.int(c.transactions)),
                  h('td', { class: 'num' }, fmt.money(c.amount)), h('td', { class: 'num' }, fmt.num(c.max_score, 4)), h('td', { class: 'num' }, fmt.int(c.alerts)))))))));
        const series = await getJson('/dashboard/api/entities/' + encodeURIComponent(entity) + '/' + encodeURIComponent(id) + '/series?hours=24');
        const chosen = DEFAULT_SERIES.filter(n => series.features[n]);
        const names = chosen.length ? chosen : Object.keys(series.features).slice(0, 4);
        root.querySelector('#entity-series-note').textContent = series.note || t('entity.seriesHelp', { step: Math.round(series.step_seconds / 60) });
        const x = series.t.map(v => v / 1000);
        for (const name of names) {
          const el = h('div', { class: 'chart', 'data-feature': name });
          chartsBox.append(el);
          charts.push(timeChart(el, name + (byName[name] && byName[name].family ? ' · ' + t('signal.' + byName[name].family) : ''), [{ label: name }], [x, series.features[name]], { height: 180 }));
        }
      },
      dispose() { charts.forEach(c => c._dispose()); },
      root,
    };
  }

  // ---- model ------------------------------------------------------------------------------------------------------

  function modelPage() {
    const root = h('section', { id: 'model' });
    let chart = null;
    const metricRows = ['rows', 'positives', 'roc_auc', 'pr_auc', 'recall_at1_pct_fpr', 'precision_at_high', 'recall_at_high', 'f1_at_high', 'alert_rate', 'anomaly_pr_auc'];

    return {
      async render() {
        root.append(h('h1', {}, t('model.title')));
        const m = await getJson('/dashboard/api/model');
        root.append(h('div', { class: 'panel section' }, h('dl', { class: 'facts' },
          h('dt', {}, t('model.active')), h('dd', { id: 'model-version' }, m.active_version),
          h('dt', {}, t('model.kind')), h('dd', {}, t('model.kind.' + m.kind)),
          m.manifest ? [h('dt', {}, t('model.created')), h('dd', {}, fmt.time(m.manifest.created_at)),
            h('dt', {}, t('model.inputs')), h('dd', {}, fmt.int(m.manifest.inputs)),
            h('dt', {}, t('model.registry')), h('dd', {}, String(m.manifest.registry_version)),
            h('dt', {}, t('model.window')), h('dd', {}, fmt.time(m.manifest.window.from) + ' → ' + fmt.time(m.manifest.window.to)),
            h('dt', {}, t('model.thresholds')), h('dd', {}, 'MEDIUM ≥ ' + fmt.num(m.manifest.thresholds.medium, 4) + ', HIGH ≥ ' + fmt.num(m.manifest.thresholds.high, 4))] : [],
          m.problem ? [h('dt', {}, t('model.problem')), h('dd', {}, m.problem)] : [])));
        if (m.kind === 'rules') root.append(note(t('model.rulesNote')));
        if (m.manifest) {
          root.append(h('div', { class: 'panel section' }, h('h2', {}, t('model.figures')), h('table', { id: 'model-metrics' },
            h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { class: 'num' }, t('model.validation')), h('th', { class: 'num' }, t('model.test')))),
            h('tbody', {}, metricRows.map(k => h('tr', {}, h('td', {}, t('metric.' + k)),
              h('td', { class: 'num' }, fmt.num(m.manifest.validation[k], 4)), h('td', { class: 'num' }, fmt.num(m.manifest.test[k], 4))))))));
        }
        root.append(h('div', { class: 'panel section', id: 'model-report' }, h('h2', {}, t('model.report')),
          m.report_available ? h('a', { href: '/dashboard/api/model/report', target: '_blank', rel: 'noopener' }, t('model.openReport')) : h('p', { class: 'muted' }, t('model.noReport'))));
        const d = m.drift;
        const drift = h('div', { class: 'panel section', id: 'drift', 'data-computed': String(d.computed), 'data-status': d.status }, h('h2', {}, t('model.drift')));
        root.append(drift);
        drift.append(h('p', { class: 'muted', id: 'drift-status' }, t('model.drift.' + d.status, {
          version: d.model_version, count: fmt.int(d.decisions), minimum: fmt.int(d.minimum_decisions),
          time: fmt.time(d.computed_at), from: fmt.time(d.day_start), to: fmt.time(d.day_end),
        })));
        if (d.computed) {
          drift.append(h('dl', { class: 'facts' }, h('dt', {}, t('model.driftScore')),
            h('dd', { id: 'drift-score', 'data-band': d.score_band }, fmt.num(d.score_psi, 4) + ' · ' + t('band.' + d.score_band))));
          drift.append(h('p', { class: 'muted' }, t('model.driftBands')));
          // The features come largest first; the chart shows the 25 largest, the table every one.
          const top = d.features.slice(0, 25);
          const el = h('div', { id: 'drift-chart' });
          drift.append(el);
          chart = barChart(el, top.map(f => f.feature), top.map(f => f.psi));
          drift.append(h('table', { id: 'drift-features' },
            h('thead', {}, h('tr', {}, h('th', {}, t('col.feature')), h('th', { class: 'num' }, t('col.psi')), h('th', {}, t('col.band')))),
            h('tbody', {}, d.features.map(f => h('tr', { 'data-feature': f.feature, 'data-band': f.band },
              h('td', {}, f.feature), h('td', { class: 'num' }, fmt.num(f.psi, 4)), h('td', { class: 'band' }, t('band.' + f.band)))))));
        }
        if (m.versions.length) {
          root.append(h('div', { class: 'panel section' }, h('h2', {}, t('model.versions')), h('table', {},
            h('thead', {}, h('tr', {}, h('th', {}, t('col.model')), h('th', {}, t('model.created')), h('th', { class: 'num' }, t('metric.pr_auc')), h('th', {}, ''))),
            h('tbody', {}, m.versions.map(v => h('tr', {}, h('td', {}, v.version), h('td', {}, fmt.time(v.created_at)), h('td', { class: 'num' }, fmt.num(v.test_pr_auc, 4)),
              h('td', {}, v.active ? t('model.isActive') : '')))))));
        }
        if (m.activations.length) {
          root.append(h('div', { class: 'panel section' }, h('h2', {}, t('model.activations')), h('table', {},
            h('tbody', {}, m.activations.map(a => h('tr', {}, h('td', {}, fmt.time(a.at)), h('td', {}, a.version || 'rules'), h('td', {}, a.rollback ? t('model.rollback') : t('model.activation'))))))));
        }
      },
      dispose() { if (chart) chart.destroy(); },
      root,
    };
  }

  // ---- cases ------------------------------------------------------------------------------------------------------

  function caseLink(id) { return h('a', { href: '#/case/' + encodeURIComponent(id), 'data-case': id }, id); }

  function statusBadge(status) { return h('span', { class: 'badge case-' + status, 'data-status': status }, t('caseStatus.' + status)); }

  function age(seconds) {
    if (seconds < 3600) return fmt.int(seconds / 60) + ' min';
    if (seconds < 86400) return fmt.num(seconds / 3600, 1) + ' h';
    return fmt.num(seconds / 86400, 1) + ' d';
  }

  // The queue: cases by status, the highest score first, then the oldest.
  function casesPage(query) {
    const root = h('section', { id: 'cases' });
    return {
      async render() {
        const status = query.get('status') || 'open';
        const select = h('select', { id: 'cases-status', onchange: e => { window.location.hash = '#/cases?status=' + e.target.value; } },
          ['open', 'investigating', 'closed', 'all'].map(v => h('option', { value: v, selected: v === status }, t('caseStatus.' + v))));
        root.append(h('h1', {}, t('cases.title')), h('div', { class: 'filters' }, h('label', {}, t('cases.status') + ' ', select)));
        const list = await getJson('/cases?order=score&limit=200' + (status === 'all' ? '' : '&status=' + encodeURIComponent(status)));
        if (!list.cases.length) {
          root.append(note(t('cases.none')));
          return;
        }
        root.append(h('p', { class: 'muted' }, t('cases.count', { shown: fmt.int(list.cases.length), total: fmt.int(list.total) })),
          h('table', { id: 'cases-table' },
            h('thead', {}, h('tr', {}, [t('col.case'), t('col.entity'), t('col.score'), t('col.alerts'), t('col.age'), t('col.status'), t('col.assignee')].map(c => h('th', {}, c)))),
            h('tbody', {}, list.cases.map(c => h('tr', { 'data-case': c.id },
              h('td', {}, caseLink(c.id)), h('td', {}, entityLink(c.entity_type, c.entity_id)), h('td', { class: 'num' }, fmt.num(c.score, 4)),
              h('td', { class: 'num' }, fmt.int(c.alert_count)), h('td', { class: 'num' }, age(c.age_seconds)), h('td', {}, statusBadge(c.status)),
              h('td', {}, c.assignee || '—'))))));
      },
      dispose() {},
      root,
    };
  }

  // A case: its entity, the explanations of its alerts, its history, and the steps an analyst takes.
  function casePage(id) {
    const root = h('section', { id: 'case' });
    let chart = null;

    async function step(path, body) {
      try {
        await postJson('/cases/' + encodeURIComponent(id) + path, body);
        await route();
      } catch (e) {
        const error = document.getElementById('case-error');
        error.textContent = e.message;
        error.hidden = false;
      }
    }

    return {
      async render() {
        let c;
        try {
          c = await getJson('/cases/' + encodeURIComponent(id));
        } catch (e) {
          root.append(h('h1', {}, t('case.title', { id })), note(e.message, 'error'));
          return;
        }
        root.dataset.status = c.status;
        root.append(h('h1', {}, t('case.title', { id: c.id }), ' ', statusBadge(c.status)));
        root.append(h('div', { class: 'two section' },
          h('div', { class: 'panel' }, h('h2', {}, t('case.facts')), h('dl', { class: 'facts' },
            h('dt', {}, t('col.entity')), h('dd', {}, t('entity.' + c.entity_type), ' ', entityLink(c.entity_type, c.entity_id)),
            h('dt', {}, t('col.score')), h('dd', {}, fmt.num(c.score, 4)),
            h('dt', {}, t('col.alerts')), h('dd', {}, fmt.int(c.alert_count)),
            h('dt', {}, t('case.opened')), h('dd', {}, fmt.time(c.opened_at)),
            h('dt', {}, t('col.assignee')), h('dd', { id: 'case-assignee' }, c.assignee || '—'),
            c.closed_at ? [h('dt', {}, t('case.closed')), h('dd', {}, fmt.time(c.closed_at)),
              h('dt', {}, t('case.disposition')), h('dd', { id: 'case-disposition' }, t('disposition.' + c.disposition)),
              h('dt', {}, t('case.labelled')), h('dd', { id: 'case-labelled', 'data-labelled': String(!!c.labelled) }, c.labelled ? t('case.yes') : t('case.no'))] : [])),
          actions(c)));
        const top = (c.alerts || []).filter(a => a.contributions && a.contributions.length).sort((a, b) => b.score - a.score)[0];
        const explanation = h('div', { class: 'panel section', id: 'case-explanation' }, h('h2', {}, t('case.explanation')));
        root.append(explanation);
        if (top) {
          const items = top.contributions.filter(x => x.contribution !== 0).slice(0, 15);
          const el = h('div', { id: 'case-chart', 'data-bars': items.length });
          explanation.append(h('p', { class: 'muted' }, t('case.explanationOf', { transaction: top.transaction_id })), el);
          chart = barChart(el, items.map(x => x.feature), items.map(x => x.contribution));
        } else {
          explanation.append(note(t('case.noExplanation')));
        }
        root.append(h('div', { class: 'panel section' }, h('h2', {}, t('case.alerts')),
          h('table', { id: 'case-alerts' },
            h('thead', {}, h('tr', {}, [t('col.time'), t('col.rule'), t('col.transaction'), t('col.score'), t('col.level'), t('col.model')].map(x => h('th', {}, x)))),
            h('tbody', {}, (c.alerts || []).map(a => h('tr', {},
              h('td', {}, fmt.time(a.raised_at)), h('td', { title: a.summary }, a.rule),
              h('td', {}, h('a', { href: decisionHref(a.transaction_id, a.event_time) }, a.transaction_id)),
              h('td', { class: 'num' }, fmt.num(a.score, 4)), h('td', {}, badge(a.level)), h('td', {}, a.model_version)))))));
        root.append(h('div', { class: 'panel section' }, h('h2', {}, t('case.history')),
          h('ol', { id: 'case-history' }, (c.history || []).map(e => h('li', { 'data-kind': e.kind },
            fmt.time(e.at) + ' · ' + e.actor + ' · ' + t('caseEvent.' + e.kind)
            + (e.to ? ' → ' + t('caseStatus.' + e.to) : '') + (e.disposition ? ' (' + t('disposition.' + e.disposition) + ')' : '')
            + (e.assignee ? ' → ' + e.assignee : '') + (e.text ? ': ' + e.text : ''))))));
      },
      dispose() { if (chart) chart.destroy(); },
      root,
    };

    function actions(c) {
      const panel = h('div', { class: 'panel', id: 'case-actions' }, h('h2', {}, t('case.actions')));
      const allowed = c.allowed_transitions || [];
      if (allowed.includes('investigating'))
        panel.append(h('button', { id: 'case-investigate', type: 'button', onclick: () => step('/transitions', { to: 'investigating' }) }, t('case.investigate')));
      if (allowed.includes('closed')) {
        const disposition = h('select', { id: 'case-disposition-choice' },
          ['laundering_confirmed', 'false_positive', 'inconclusive'].map(d => h('option', { value: d }, t('disposition.' + d))));
        const closing = h('input', { id: 'case-close-note', type: 'text', placeholder: t('case.notePlaceholder') });
        panel.append(h('div', { class: 'case-close' }, disposition, closing,
          h('button', { id: 'case-close', type: 'button', onclick: () => step('/transitions', { to: 'closed', disposition: disposition.value, note: closing.value || null }) }, t('case.close'))));
      }
      if (c.status !== 'closed') {
        const assignee = h('input', { id: 'case-assign-to', type: 'text', value: c.assignee || '' });
        panel.append(h('div', {}, assignee, h('button', { id: 'case-assign', type: 'button', onclick: () => step('/assignment', { assignee: assignee.value }) }, t('case.assign'))));
      }
      const text = h('textarea', { id: 'case-note-text', rows: 2 });
      panel.append(h('div', {}, text, h('button', { id: 'case-note', type: 'button', onclick: () => step('/notes', { text: text.value }) }, t('case.addNote'))),
        h('p', { id: 'case-error', class: 'note error', hidden: true }));
      return panel;
    }
  }

  // ---- routing ----------------------------------------------------------------------------------------------------

  async function route() {
    const { parts, query } = parseHash();
    const name = parts[0] || 'overview';
    if (state.page) { state.page.dispose(); state.page = null; }
    const page =
      name === 'alerts' ? alertsPage(query)
      : name === 'cases' ? casesPage(query)
      : name === 'case' ? casePage(parts[1] || '')
      : name === 'decision' ? decisionPage(parts[1] || '', query)
      : name === 'entity' ? entityPage(parts[1] || 'customer', parts[2] || '', query)
      : name === 'model' ? modelPage()
      : overviewPage(query);
    state.page = page;
    document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('active', a.dataset.page === (name === 'decision' ? 'alerts' : name === 'case' ? 'cases' : name)));
    const main = document.getElementById('page');
    main.replaceChildren(page.root);
    main.dataset.page = name;
    main.dataset.ready = 'false';
    try {
      await page.render();
    } catch (e) {
      page.root.append(note(e.message || String(e), 'error'));
    }
    if (state.page === page) main.dataset.ready = 'true';
  }

  // ---- sign-in ----------------------------------------------------------------------------------------------------

  // The token a state-changing request echoes in X-CSRF-Token: the session's, from the cookie the sign-in set.
  function csrfToken() {
    const match = document.cookie.split('; ').find(c => c.startsWith('amlfs_csrf='));
    return match ? decodeURIComponent(match.slice('amlfs_csrf='.length)) : '';
  }

  async function postJson(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() },
      body: JSON.stringify(body),
    });
    const parsed = await response.json().catch(() => null);
    if (!response.ok) {
      const error = new Error(parsed && (parsed.detail || parsed.title) || response.statusText);
      error.status = response.status;
      throw error;
    }
    return parsed;
  }

  // Who is signed in; null (and the sign-in form) when nobody is. A server without keys (--auth off) needs none.
  async function signedIn() {
    try {
      return await getJson('/auth/me');
    } catch (e) {
      if (e.status === 401) return null;
      throw e;
    }
  }

  function signInPage(reason) {
    const input = h('input', { id: 'sign-in-key', type: 'password', autocomplete: 'off', spellcheck: 'false', placeholder: 'amlfs_…' });
    const message = h('p', { id: 'sign-in-error', class: 'note error', hidden: !reason }, reason || '');
    const form = h('form', {
      id: 'sign-in', class: 'card',
      onsubmit: async e => {
        e.preventDefault();
        message.hidden = true;
        try {
          await postJson('/auth/sign-in', { key: input.value.trim() });
          window.location.reload();
        } catch (err) {
          message.textContent = t('signIn.failed') + ' ' + (err.message || '');
          message.hidden = false;
        }
      },
    },
    h('h2', { 'data-i18n': 'signIn.title' }, t('signIn.title')),
    h('p', { 'data-i18n': 'signIn.help' }, t('signIn.help')),
    h('label', {}, h('span', { 'data-i18n': 'signIn.key' }, t('signIn.key')), input),
    h('button', { type: 'submit', 'data-i18n': 'signIn.submit' }, t('signIn.submit')),
    message);
    const main = document.getElementById('page');
    main.replaceChildren(form);
    main.dataset.page = 'sign-in';
    main.dataset.ready = 'true';
    document.getElementById('live').dataset.state = 'closed';
  }

  function showWho(me) {
    const who = document.getElementById('who');
    if (!who || !me || me.auth_off) return;
    who.hidden = false;
    who.replaceChildren(
      h('span', { id: 'who-name', title: me.role }, me.name),
      h('button', {
        id: 'sign-out', type: 'button', 'data-i18n': 'signIn.out',
        onclick: async () => { await postJson('/auth/sign-out', {}).catch(() => null); window.location.reload(); },
      }, t('signIn.out')));
  }

  async function start() {
    applyStatic();
    document.getElementById('lang').addEventListener('change', e => setLanguage(e.target.value));
    const me = await signedIn().catch(() => null);
    if (!me) {
      signInPage();
      return;
    }
    showWho(me);
    if (me.auth_off === false && !['analyst', 'admin'].includes(me.role)) {
      signInPage(t('signIn.role', { name: me.name, role: me.role }));
      return;
    }
    try {
      state.info = await getJson('/dashboard/api/info');
      if (!state.info.decides) {
        const modeNote = document.getElementById('mode-note');
        modeNote.hidden = false;
        modeNote.dataset.i18n = 'replica.banner';
        modeNote.textContent = t('replica.banner');
      }
    } catch (e) {
      state.info = null;
    }
    connect();
    window.addEventListener('hashchange', route);
    await route();
  }

  window.amlfsDashboard = { t, language: () => state.lang };
  start();
})();
