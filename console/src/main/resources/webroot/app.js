// meshlog console page: draws /api/graph with ECharts, mirrors it in tables, shows details,
// findings and the live tail, and refreshes when /api/events says the model changed.
'use strict';

const COLORS = { HEALTHY: '#3e8635', DEGRADED: '#f0ab00', FAILURE: '#c9190b', IDLE: '#b8bbbe' };
const state = { namespace: '', window: window.meshlogFirstWindow || '5m', selected: null, tail: {}, firstRender: true, largeIds: [] };
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
  // A tall column wraps into several, so a mesh of hundreds of services stays a readable grid.
  const maxRows = Math.max(12, Math.ceil(Math.sqrt(graph.nodes.length)));
  const pos = new Map();
  let x = 0;
  for (const d of [...columns.keys()].sort((a, b) => a - b)) {
    const nodes = columns.get(d);
    nodes.sort((a, b) => (a.namespace + '/' + a.name).localeCompare(b.namespace + '/' + b.name));
    nodes.forEach((n, i) => pos.set(n.id, [x + Math.floor(i / maxRows) * 160, (i % maxRows) * 110]));
    x += Math.ceil(nodes.length / maxRows) * 160 + 100;
  }
  return pos;
}

// Past this many edges the graph is drawn in ECharts' "large" mode: one path per colour instead of
// one element per node and edge, no labels, no arrows. Hundreds of services stay a picture (where
// traffic fails, by colour) drawn in tens of milliseconds; details are a click or the table away.
const LARGE_EDGES = 300;

function drawGraph(graph) {
  const pos = layout(graph);
  if (graph.edges.length > LARGE_EDGES) drawLarge(graph, pos);
  else drawDetailed(graph, pos);
}

function drawDetailed(graph, pos) {
  const namespaces = graph.namespaces;
  chart.setOption({
    animation: true,
    tooltip: { formatter: p => p.data.tip },
    legend: [{ data: namespaces, top: 4 }],
    series: [{
      type: 'graph', layout: 'none', roam: true, draggable: false, top: 40,
      categories: namespaces.map(name => ({ name })),
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 7,
      label: { show: true, position: 'bottom', fontSize: 11 },
      edgeLabel: { show: true, fontSize: 10, formatter: p => p.data.text },
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
        lineStyle: e.kind === 'serves' ? { type: 'dashed', color: '#8a8d90', width: 1 }
          : { color: COLORS[e.health] || COLORS.IDLE, width: 1 + Math.min(4, Math.log10(1 + e.rps) * 2), curveness: 0.1 },
      })),
    }],
  }, { notMerge: true });
}

function drawLarge(graph, pos) {
  const groups = new Map();
  const group = (key, make) => { if (!groups.has(key)) groups.set(key, make()); return groups.get(key); };
  const ids = [];
  for (const e of graph.edges) {
    const color = e.kind === 'serves' ? '#8a8d90' : COLORS[e.health] || COLORS.IDLE;
    const from = pos.get(e.source), to = pos.get(e.target);
    if (!from || !to) continue;
    group('lines:' + color, () => ({ type: 'lines', coordinateSystem: 'cartesian2d', large: true, largeThreshold: 1,
      polyline: false, silent: true, lineStyle: { color, width: 1, opacity: 0.5 }, data: [] }))
      .data.push({ coords: [from, to] });
  }
  for (const n of graph.nodes) {
    const service = n.kind === 'service';
    const marked = n.ejections.length || n.alerts.length || n.findings.length;
    const color = COLORS[n.health] || COLORS.IDLE;
    const series = group('nodes:' + color + service, () => ({ type: 'scatter', large: true, largeThreshold: 1,
      symbol: service ? 'circle' : 'rect', symbolSize: service ? 9 : 6, itemStyle: { color }, data: [], ids: [] }));
    series.data.push(pos.get(n.id));
    series.ids.push(n.id);
    // Ejections, alerts and findings ring their node, so they stand out among hundreds.
    if (marked) {
      const ring = group('marks', () => ({ type: 'scatter', symbol: 'emptyCircle', symbolSize: 18,
        itemStyle: { color: '#795600', borderWidth: 2 }, data: [], ids: [] }));
      ring.data.push(pos.get(n.id));
      ring.ids.push(n.id);
    }
  }
  const series = [...groups.values()];
  series.forEach(s => { ids.push(s.ids || null); delete s.ids; });
  state.largeIds = ids;
  chart.setOption({
    animation: false,
    tooltip: { formatter: p => { const id = (state.largeIds[p.seriesIndex] || [])[p.dataIndex]; return id ? esc(id) : ''; } },
    grid: { left: 10, right: 10, top: 30, bottom: 10 },
    xAxis: { type: 'value', show: false, scale: true },
    yAxis: { type: 'value', show: false, scale: true, inverse: true },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }, { type: 'inside', yAxisIndex: 0, filterMode: 'none' }],
    series,
  }, { notMerge: true });
}

// One HTML string per table: building ~5,000 rows node by node costs the big graph several
// hundred milliseconds; one innerHTML assignment is parsed natively in a few tens.
const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = v => v === null || v === undefined ? '' : String(v).replace(/[&<>"']/g, c => ESC[c]);
const attrs = o => Object.entries(o).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
const row = (a, cells) => `<tr${attrs(a)}>${cells.map(c => `<td>${c}</td>`).join('')}</tr>`;
const num = (v, f) => v === undefined || v === null ? '' : esc(f(v));

function nodeRow(n) {
  return row({
    'data-node-id': n.id, 'data-kind': n.kind, 'data-name': n.name, 'data-namespace': n.namespace,
    'data-health': n.health, 'data-rps': n.rps, 'data-error-ratio': n.errorRatio, 'data-p95': n.p95,
    'data-service': n.service, 'data-ejected': String(n.ejections.length > 0),
    'data-ejected-endpoints': n.ejections.map(e => e.endpoint).join(' '),
    'data-ejection-scopes': n.ejections.map(e => e.scope || 'cluster').join(' '),
    'data-alerts': n.alerts.map(a => a.severity + ':' + a.slo).join(' '),
    'data-findings': n.findings.map(f => f.code).join(' '),
  }, [esc(nodeLabel(n)), esc(n.kind), esc(n.namespace), `<span class="badge ${esc(n.health)}">${esc(n.health)}</span>`,
    num(n.rps, v => v.toFixed(1)), num(n.errorRatio, pct), num(n.p95, Math.round),
    esc(n.ejections.map(e => e.endpoint + ' (' + (e.scope === 'local' ? 'local, ' + e.proxyId + ': ' : '') + e.reason + ')').join(', ')),
    esc(n.alerts.map(a => a.severity + ' ' + a.slo).join(', ')), esc(n.findings.map(f => f.code).join(', '))]);
}

function edgeRow(e) {
  return row({
    'data-edge-id': e.id, 'data-source': e.source, 'data-target': e.target, 'data-kind': e.kind,
    'data-rps': e.rps, 'data-error-ratio': e.errorRatio, 'data-p95': e.p95, 'data-mtls': e.mtls,
    'data-weight': e.weight, 'data-health': e.health,
  }, [esc(e.source), esc(e.target), esc(e.kind), num(e.rps, v => v.toFixed(1)), num(e.errorRatio, pct),
    num(e.p95, Math.round), e.mtls ? 'mTLS' : e.mtls === false ? 'plain' : '', num(e.weight, v => v + '%'), esc(e.health || '')]);
}

function mirror(graph) {
  document.querySelector('#graph-nodes tbody').innerHTML = graph.nodes.map(nodeRow).join('');
  document.querySelector('#graph-edges tbody').innerHTML = graph.edges.map(edgeRow).join('');
}

function namespacesInto(graph) {
  const select = document.getElementById('namespace');
  const known = new Set([...select.options].map(o => o.value));
  for (const ns of graph.namespaces) if (!known.has(ns)) select.append(el('option', { value: ns }, ns));
}

// The first graph was asked for by index.html while the scripts loaded; later ones are fetched here.
async function fetchGraph() {
  const early = window.meshlogFirstGraph;
  window.meshlogFirstGraph = null;
  if (early && state.namespace === '' && state.window === window.meshlogFirstWindow) {
    const response = await early.catch(() => null);
    if (response && response.ok) return response.json();
  }
  return api('/api/graph?' + query());
}

async function refreshGraph() {
  const fetched = performance.now();
  const graph = await fetchGraph();
  const drawStart = performance.now();
  namespacesInto(graph);
  chart.off('finished');
  let tablesWritten = false;
  // The tables follow the picture: written once it is drawn, so the graph shows first.
  chart.on('finished', () => {
    document.body.dataset.renderedVersion = graph.version;
    if (tablesWritten) return;
    tablesWritten = true;
    const drawn = performance.now();
    mirror(graph);
    if (state.firstRender) {
      state.firstRender = false;
      const d = document.body.dataset;
      d.graphFetchMs = Math.round(drawStart - fetched);
      d.drawMs = Math.round(drawn - drawStart);
      d.mirrorMs = Math.round(performance.now() - drawn);
      d.tablesMs = Math.round(performance.now());
      d.firstRenderMs = Math.round(drawn);
    }
  });
  drawGraph(graph);
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
  const id = p.seriesType === 'scatter' ? (state.largeIds[p.seriesIndex] || [])[p.dataIndex]
    : p.dataType === 'node' ? p.data.id : null;
  if (!id) return;
  const row = document.querySelector(`#graph-nodes tr[data-node-id="${CSS.escape(id)}"]`);
  const ns = row.dataset.namespace;
  const service = row.dataset.kind === 'service' ? row.dataset.name : row.dataset.service;
  if (service) {
    state.selected = { namespace: ns, name: service };
    window.meshlogDetail.show(state.selected);
  }
});
document.getElementById('namespace').addEventListener('change', e => { state.namespace = e.target.value; refresh(); });
document.getElementById('window').value = state.window; // ?window=1h opens on that window
document.getElementById('window').addEventListener('change', e => { state.window = e.target.value; refresh(); });
window.addEventListener('resize', () => chart.resize());
window.meshlogConsole = { state, api, el, pct, query, COLORS };
refresh();
listen();
