// The detail panel of one service: golden signals, edges, workloads, endpoints, retry budget,
// SLOs, policies with their acks, findings, and the live tail with its filters.
'use strict';

(() => {
  const { state, api, el, pct, COLORS } = window.meshlogConsole;
  const panel = document.getElementById('detail');
  let signals = null;

  const table = (id, head, rows) => el('table', { id }, el('thead', {}, el('tr', {}, head.map(h => el('th', {}, h)))),
    el('tbody', {}, rows));
  const edgeRow = (e, end) => el('tr', { 'data-edge-id': e.id }, el('td', {}, end), el('td', {}, e.rps.toFixed(1)),
    el('td', {}, pct(e.errorRatio)), el('td', {}, Math.round(e.p95)), el('td', {}, e.mtls ? 'mTLS' : ''));

  function render(d) {
    const s = d.service;
    const budget = s.retryBudget;
    panel.replaceChildren(
      el('h2', { 'data-service': s.namespace + '/' + s.name }, s.namespace + '/' + s.name + ' ',
        el('span', { class: 'badge ' + s.health }, s.health)),
      el('p', {}, s.rps.toFixed(1) + ' req/s · 5xx ' + pct(s.errorRatio) + ' · p95 ' + Math.round(s.p95) + ' ms over ' + d.window),
      el('h3', {}, 'Golden signals'), signalsDiv(),
      el('h3', {}, 'Inbound'), table('detail-inbound', ['from', 'req/s', '5xx', 'p95', 'mTLS'], d.inbound.map(e => edgeRow(e, e.source))),
      el('h3', {}, 'Outbound'), table('detail-outbound', ['to', 'req/s', '5xx', 'p95', 'mTLS'], d.outbound.map(e => edgeRow(e, e.target))),
      el('h3', {}, 'Workloads'), table('detail-workloads', ['workload', 'subset', 'weight'],
        d.workloads.map(w => el('tr', {}, el('td', {}, w.target), el('td', {}, w.subset || ''), el('td', {}, w.weight === null || w.weight === undefined ? '' : w.weight + '%')))),
      el('h3', {}, 'Endpoints'), table('detail-endpoints', ['endpoint', 'workload', 'state', 'why'],
        d.endpoints.map(e => el('tr', { 'data-endpoint': e.endpoint, 'data-ejected': String(e.ejected),
          'data-local-ejections': e.localEjections.map(l => l.proxyId).join(' ') }, el('td', {}, e.endpoint), el('td', {}, e.workload),
          el('td', {}, e.ejected ? el('span', { class: 'badge FAILURE' }, 'ejected cluster-wide #' + e.ejectionCount)
            : e.localEjections.length ? el('span', { class: 'badge DEGRADED' }, 'ejected locally by ' + e.localEjections.length + ' proxy(ies)') : 'in rotation'),
          el('td', {}, [e.ejected ? 'cluster-wide: ' + why(e) : null,
            ...e.localEjections.map(l => 'local, ' + l.proxyId + ': ' + why(l))].filter(Boolean).join('; '))))),
      el('h3', {}, 'Retry budget'),
      el('p', { id: 'detail-budget' }, budget ? budget.remaining + ' of ' + budget.allowed + ' retries left' + (budget.exhausted ? ' — exhausted' : '') : 'no retry budget decisions'),
      el('h3', {}, 'SLOs'), table('detail-slos', ['SLO', 'target', 'severity', 'state', 'burn (long/short)', 'budget left'],
        d.slos.flatMap(o => o.alerts.length ? o.alerts.map(a => el('tr', { 'data-slo': o.name, 'data-state': a.state },
          el('td', {}, o.name), el('td', {}, o.target + '%'), el('td', {}, a.severity), el('td', {}, el('span', { class: 'badge ' + (a.state === 'FIRING' ? a.severity : 'HEALTHY') }, a.state)),
          el('td', {}, a.longBurnRate + ' / ' + a.shortBurnRate + ' (> ' + a.threshold + ')'), el('td', {}, pct(Math.max(0, a.errorBudgetRemaining)))))
          : [el('tr', { 'data-slo': o.name }, el('td', {}, o.name), el('td', {}, o.target + '%'), el('td', {}, ''), el('td', {}, 'no alert yet'), el('td', {}, ''), el('td', {}, ''))])),
      el('h3', {}, 'Canaries'), table('detail-canaries', ['canary', 'phase', 'step', 'weight', 'canary vs stable (success, p99)', 'why'],
        (d.canaries || []).map(c => el('tr', { 'data-canary': c.name, 'data-phase': c.phase },
          el('td', {}, c.name), el('td', {}, el('span', { class: 'badge ' + (c.phase === 'Failed' ? 'FAILURE' : c.phase === 'Succeeded' ? 'HEALTHY' : 'DEGRADED') }, c.phase + (c.paused ? ' (paused)' : ''))),
          el('td', {}, c.step + ' of ' + c.steps), el('td', {}, c.weight + '%'),
          el('td', {}, rate(c.canary) + ' vs ' + rate(c.stable)),
          el('td', {}, c.rollbackReason ? c.rollbackReason.metric + ' ' + c.rollbackReason.value + ' vs ' + c.rollbackReason.threshold + ' over ' + c.rollbackReason.requests + ' requests' : c.message)))),
      el('h3', {}, 'Policies'), table('detail-policies', ['policy', 'generation', 'applied by', 'behind', 'rejected by'],
        d.policies.map(p => el('tr', { 'data-policy': p.key, 'data-generation': p.generation }, el('td', {}, p.key), el('td', {}, p.generation),
          el('td', {}, p.ackedBy.join(', ')), el('td', {}, p.behind.join(', ')), el('td', {}, p.rejectedBy.join(', '))))),
      el('h3', {}, 'Findings'), table('detail-findings', ['code', 'severity', 'message'],
        s.findings.map(f => el('tr', { 'data-code': f.code }, el('td', {}, f.code), el('td', {}, f.severity), el('td', {}, f.message)))),
      el('h3', {}, 'Live tail'), tailForm(), el('div', { id: 'tail' }));
    drawSignals(d.series);
  }

  function rate(m) {
    return m.requests ? (m.successRate === null ? '-' : m.successRate + '%') + ', ' + (m.p99 === null ? '-' : m.p99 + ' ms') + ' (' + m.requests + ' req)' : 'no requests';
  }

  function signalsDiv() {
    const div = el('div', { class: 'signals', id: 'signals' });
    if (signals) signals.dispose();
    signals = null;
    return div;
  }

  function drawSignals(series) {
    signals = echarts.init(document.getElementById('signals'));
    const x = series.map(p => new Date(p.start).toLocaleTimeString());
    signals.setOption({
      animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 40, right: 40, top: 28, bottom: 24 },
      xAxis: { type: 'category', data: x }, yAxis: [{ type: 'value', name: 'ms / rps' }, { type: 'value', name: '5xx %', max: v => Math.max(1, v.max) }],
      series: [
        { name: 'req/s', type: 'line', data: series.map(p => p.rps), showSymbol: false },
        { name: 'p50', type: 'line', data: series.map(p => p.p50), showSymbol: false },
        { name: 'p95', type: 'line', data: series.map(p => p.p95), showSymbol: false },
        { name: 'p99', type: 'line', data: series.map(p => p.p99), showSymbol: false },
        { name: '5xx %', type: 'bar', yAxisIndex: 1, data: series.map(p => p.errorRatio * 100), itemStyle: { color: COLORS.FAILURE } },
      ],
    });
  }

  // e.g. "CONSECUTIVE_5XX until 12:01:30 — 5 consecutive 5xx"
  function why(e) {
    return e.reason + (e.until ? ' until ' + new Date(e.until).toLocaleTimeString() : '') + (e.detail ? ' — ' + e.detail : '');
  }

  function tailForm() {
    const f = state.tail;
    const form = el('form', { class: 'tail', id: 'tail-filters' },
      el('label', {}, 'status ', el('input', { name: 'status', placeholder: '5xx or 503', value: f.status || '' })),
      el('label', {}, 'flag ', el('input', { name: 'flag', placeholder: 'URX', value: f.flag || '' })),
      el('label', {}, 'route prefix ', el('input', { name: 'route', placeholder: 'canary', value: f.route || '' })),
      el('label', {}, 'path prefix ', el('input', { name: 'path', placeholder: '/orders', value: f.path || '' })),
      el('label', {}, 'min ms ', el('input', { name: 'minLatencyMs', type: 'number', value: f.minLatencyMs || '' })),
      el('button', { type: 'submit' }, 'filter'));
    form.addEventListener('submit', e => {
      e.preventDefault();
      state.tail = Object.fromEntries(new FormData(form).entries());
      showTail(state.selected);
    });
    return form;
  }

  async function showTail(sel) {
    const params = new URLSearchParams(Object.entries(state.tail).filter(([, v]) => v !== ''));
    const target = document.getElementById('tail');
    try {
      const body = await api(`/api/services/${encodeURIComponent(sel.namespace)}/${encodeURIComponent(sel.name)}/tail?` + params);
      target.replaceChildren(table('tail-requests', ['time', 'from', 'to', 'route', 'path', 'method', 'status', 'flags', 'ms', 'try'],
        body.requests.map(r => el('tr', { 'data-status': r.status, 'data-path': r.path || '', 'data-flags': r.flags.join(' '), 'data-ms': r.durationMillis },
          el('td', {}, new Date(r.time).toLocaleTimeString()), el('td', {}, r.source), el('td', {}, (r.destinationWorkload || '') + ' ' + (r.endpoint || '')),
          el('td', {}, r.route || ''), el('td', {}, r.path || ''), el('td', {}, r.method), el('td', {}, r.status), el('td', {}, r.flags.join(' ')),
          el('td', {}, r.durationMillis), el('td', {}, r.attempt + (r.retry ? ' (retry)' : ''))))));
    } catch (e) {
      target.replaceChildren(el('p', { class: 'hint' }, e.message));
    }
  }

  async function show(sel) {
    try {
      const d = await api(`/api/services/${encodeURIComponent(sel.namespace)}/${encodeURIComponent(sel.name)}?window=${state.window}`);
      render(d);
      await showTail(sel);
    } catch (e) {
      panel.replaceChildren(el('p', { class: 'hint' }, e.message));
    }
  }

  window.meshlogDetail = { show };
})();
