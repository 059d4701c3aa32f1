// meshlog console page: draws /api/graph with ECharts, mirrors it in tables, shows details,
// findings and the live tail, and refreshes when /api/events says the model changed.
'use strict';

const COLORS = { HEALTHY: '#3e8635', DEGRADED: '#f0ab00', FAILURE: '#c9190b', IDLE: '#b8bbbe' };
const state = { namespace: '', window: '5m', selected: null, tail: {}, firstRender: true };
const chart = echarts.init(document.getElementById('graph'), null, { renderer: 'canvas' });

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k.startsWith('data-') || k === 'class' || k === 'type' || k === 'name' || k === 'value' || k === 'placeholder') node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(c === null || c === undefined ? '' : String(c)));
  return node;
}

async function api(path, raw) {
  const headers = {};
  const token = sessionStorage.getItem('meshlog-console-token');
  if (token) headers.Authorization = 'Bearer ' + token;
  const response = await fetch(path, { headers });
  if (response.status === 401) {
    const entered = prompt('This console needs a token (the same as the policy API\'s):');
    if (entered) { sessionStorage.setItem('meshlog-console-token', entered.trim()); return api(path, raw); }
    throw new Error('no token');
  }
  if (raw) return response;
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

const pct = r => (r * 100).toFixed(r >= 0.1 ? 0 : r >= 0.01 ? 1 : 2) + '%';
const query = () => `namespace=${encodeURIComponent(state.namespace)}&window=${state.window}`;
const nodeLabel = n => n.kind === 'service' ? n.name : n.name + (n.subset ? ` (${n.subset})` : '');

function badges(n) {
  const b = [];
  if (n.ejections.length) b.push('✖ ' + n.ejections.length + ' ejected');
  for (const a of n.alerts) b.push('▲ ' + a.severity + ' ' + a.slo);
  for (const f of n.findings) b.push('⚠ ' + f.code);
  return b;
}

function edgeLabel(e) {
  if (e.kind === 'serves') return e.weight === null || e.weight === undefined ? '' : e.weight + '%';
  return (e.mtls ? 'mTLS · ' : '') + e.rps.toFixed(1) + ' rps · ' + pct(e.errorRatio) + ' · p95 ' + Math.round(e.p95) + 'ms';
}

// Columns by longest path from the callers, so traffic reads left to right; namespace then name
// order within a column keeps a namespace's nodes together.
function layout(graph) {
  const depth = new Map(graph.nodes.map(n => [n.id, 0]));
  for (let round = 0; round < 8; round++) {
    let moved = false;
    for (const e of graph.edges) {
      const d = depth.get(e.source) + 1;
      if (depth.has(e.target) && d > depth.get(e.target) && d < 16) { depth.set(e.target, d); moved = true; }
    }
    if (!moved) break;
  }
  const columns = new Map();
  for (const n of graph.nodes) {
    const d = depth.get(n.id);
    if (!columns.has(d)) columns.set(d, []);
    columns.get(d).push(n);
  }
  const pos = new Map();
  for (const [d, nodes] of columns) {
    nodes.sort((a, b) => (a.namespace + '/' + a.name).localeCompare(b.namespace + '/' + b.name));
    nodes.forEach((n, i) => pos.set(n.id, [d * 260, i * 110]));
  }
  return pos;
}

function drawGraph(graph) {
  const pos = layout(graph);
  const namespaces = graph.namespaces;
  const big = graph.edges.length > 300;
  chart.setOption({
    animation: !big,
    tooltip: { formatter: p => p.dataType === 'edge' ? p.data.tip : p.data.tip },
    legend: [{ data: namespaces, top: 4 }],
    series: [{
      type: 'graph', layout: 'none', roam: true, draggable: false, top: 40,
      categories: namespaces.map(name => ({ name })),
      // Past a few hundred edges: straight solid lines, no arrows or labels (each costs a path).
      edgeSymbol: big ? ['none', 'none'] : ['none', 'arrow'], edgeSymbolSize: 7,
      emphasis: { disabled: big },
      label: { show: !big, position: 'bottom', fontSize: 11 },
      edgeLabel: { show: !big, fontSize: 10, formatter: p => p.data.text },
      data: graph.nodes.map(n => ({
        id: n.id, name: n.id, value: n.rps, category: namespaces.indexOf(n.namespace),
        x: pos.get(n.id)[0], y: pos.get(n.id)[1],
        symbol: n.kind === 'service' ? 'circle' : 'roundRect', symbolSize: n.kind === 'service' ? 34 : 22,
        itemStyle: { color: COLORS[n.health] || COLORS.IDLE, borderColor: n.findings.length ? '#795600' : '#fff', borderWidth: n.findings.length ? 3 : 1 },
        label: { formatter: [nodeLabel(n), ...badges(n)].join('\n') },
        tip: [n.namespace + '/' + nodeLabel(n), n.kind, ...badges(n)].join('<br>'),
      })),
      links: graph.edges.map(e => ({
        source: e.source, target: e.target, text: edgeLabel(e), tip: e.source + ' → ' + e.target + '<br>' + edgeLabel(e),
        lineStyle: e.kind === 'serves' ? { type: big ? 'solid' : 'dashed', color: '#8a8d90', width: 1 }
          : { color: COLORS[e.health] || COLORS.IDLE, width: big ? 1 : 1 + Math.min(4, Math.log10(1 + e.rps) * 2), curveness: big ? 0 : 0.1 },
      })),
    }],
  }, { notMerge: true });
}

function mirror(graph) {
  const nodes = document.querySelector('#graph-nodes tbody');
  nodes.replaceChildren(...graph.nodes.map(n => el('tr', {
    'data-node-id': n.id, 'data-kind': n.kind, 'data-name': n.name, 'data-namespace': n.namespace,
    'data-health': n.health, 'data-rps': n.rps, 'data-error-ratio': n.errorRatio, 'data-p95': n.p95,
    'data-service': n.service, 'data-ejected': String(n.ejections.length > 0),
    'data-ejected-endpoints': n.ejections.map(e => e.endpoint).join(' '),
    'data-alerts': n.alerts.map(a => a.severity + ':' + a.slo).join(' '),
    'data-findings': n.findings.map(f => f.code).join(' '),
  }, el('td', {}, nodeLabel(n)), el('td', {}, n.kind), el('td', {}, n.namespace),
    el('td', {}, el('span', { class: 'badge ' + n.health }, n.health)),
    el('td', {}, n.rps === undefined ? '' : n.rps.toFixed(1)), el('td', {}, n.errorRatio === undefined ? '' : pct(n.errorRatio)),
    el('td', {}, n.p95 === undefined ? '' : Math.round(n.p95)),
    el('td', {}, n.ejections.map(e => e.endpoint + ' (' + e.reason + ')').join(', ')),
    el('td', {}, n.alerts.map(a => a.severity + ' ' + a.slo).join(', ')),
    el('td', {}, n.findings.map(f => f.code).join(', ')))));
  const edges = document.querySelector('#graph-edges tbody');
  edges.replaceChildren(...graph.edges.map(e => el('tr', {
    'data-edge-id': e.id, 'data-source': e.source, 'data-target': e.target, 'data-kind': e.kind,
    'data-rps': e.rps, 'data-error-ratio': e.errorRatio, 'data-p95': e.p95, 'data-mtls': e.mtls,
    'data-weight': e.weight, 'data-health': e.health,
  }, el('td', {}, e.source), el('td', {}, e.target), el('td', {}, e.kind),
    el('td', {}, e.rps === undefined ? '' : e.rps.toFixed(1)), el('td', {}, e.errorRatio === undefined ? '' : pct(e.errorRatio)),
    el('td', {}, e.p95 === undefined ? '' : Math.round(e.p95)), el('td', {}, e.mtls ? 'mTLS' : e.mtls === false ? 'plain' : ''),
    el('td', {}, e.weight === null || e.weight === undefined ? '' : e.weight + '%'),
    el('td', {}, e.health || ''))));
}

function namespacesInto(graph) {
  const select = document.getElementById('namespace');
  const known = new Set([...select.options].map(o => o.value));
  for (const ns of graph.namespaces) if (!known.has(ns)) select.append(el('option', { value: ns }, ns));
}

async function refreshGraph() {
  const fetched = performance.now();
  const graph = await api('/api/graph?' + query());
  document.body.dataset.graphFetchMs = Math.round(performance.now() - fetched);
  namespacesInto(graph);
  chart.off('finished');
  chart.on('finished', () => {
    if (state.firstRender) {
      state.firstRender = false;
      document.body.dataset.firstRenderMs = Math.round(performance.now());
    }
    document.body.dataset.renderedVersion = graph.version;
  });
  drawGraph(graph);
  mirror(graph);
  document.getElementById('status').textContent = graph.to ? 'as of ' + new Date(graph.to).toLocaleTimeString() : 'no traffic in this window';
}

async function refreshFindings() {
  const body = await api('/api/findings?namespace=' + encodeURIComponent(state.namespace));
  document.querySelector('#findings tbody').replaceChildren(...body.findings.map(f => el('tr', { 'data-code': f.code, 'data-policy': f.policy },
    el('td', {}, f.code), el('td', {}, el('span', { class: 'badge ' + f.severity }, f.severity)), el('td', {}, f.policy),
    el('td', {}, f.path), el('td', {}, f.message + (f.hint ? ' — ' + f.hint : '')))));
}

async function refresh() {
  try {
    await Promise.all([refreshGraph(), refreshFindings(), state.selected ? window.meshlogDetail.show(state.selected) : null]);
  } catch (e) {
    document.getElementById('status').textContent = 'error: ' + e.message;
  }
}

// Server-sent events read with fetch, so that a bearer token can be sent (EventSource cannot).
async function listen() {
  for (;;) {
    try {
      const response = await api('/api/events', true);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (message.includes('event: update')) refresh();
        }
      }
    } catch (e) {
      document.getElementById('status').textContent = 'reconnecting…';
    }
    await new Promise(r => setTimeout(r, 2000));
  }
}

chart.on('click', p => {
  if (p.dataType !== 'node') return;
  const id = p.data.id;
  const row = document.querySelector(`#graph-nodes tr[data-node-id="${CSS.escape(id)}"]`);
  const ns = row.dataset.namespace;
  const service = row.dataset.kind === 'service' ? row.dataset.name : row.dataset.service;
  if (service) {
    state.selected = { namespace: ns, name: service };
    window.meshlogDetail.show(state.selected);
  }
});
document.getElementById('namespace').addEventListener('change', e => { state.namespace = e.target.value; refresh(); });
document.getElementById('window').addEventListener('change', e => { state.window = e.target.value; refresh(); });
window.addEventListener('resize', () => chart.resize());
window.meshlogConsole = { state, api, el, pct, query, COLORS };
refresh();
listen();
