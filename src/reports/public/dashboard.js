/* global document, window, sessionStorage, fetch, Chart, URL, Blob */
'use strict';

/**
 * The Sway dashboard: a brand key kept only in sessionStorage, the public JSON API, and Chart.js served by Sway
 * itself. Every value reaches the page through textContent, never innerHTML (names come from other people).
 */
(function () {
  const KEY = 'sway.brandKey';
  const $ = (id) => document.getElementById(id);
  let chart = null;
  let current = null;

  function money(cents, currency) {
    try {
      return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(
        cents / 100,
      );
    } catch {
      return `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;
    }
  }
  const count = (n) => new Intl.NumberFormat('en-US').format(n);
  const pct = (r) => (r === null ? '—' : `${r >= 0 ? '+' : ''}${(r * 100).toFixed(1)}%`);

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function setMetric(name, text, raw) {
    for (const e of document.querySelectorAll(`[data-metric="${name}"]`)) {
      e.textContent = text;
      e.dataset.value = raw === null || raw === undefined ? '' : String(raw);
    }
  }

  function showError(msg) {
    const e = $('error');
    e.textContent = msg;
    e.hidden = !msg;
  }

  async function api(path) {
    const key = sessionStorage.getItem(KEY);
    const res = await fetch(path, { headers: { authorization: `Bearer ${key}` } });
    if (res.status === 401 || res.status === 403) {
      sessionStorage.removeItem(KEY);
      throw new Error('That key was not accepted. Use an active brand API key (sk_…).');
    }
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      throw new Error(body.detail || `Request failed (${res.status})`);
    }
    return res;
  }

  async function start() {
    showError('');
    const summary = await (await api('/v1/reports/summary')).json();
    $('welcome').hidden = true;
    $('app').hidden = false;
    $('sign-out').hidden = false;
    renderTotals(summary.totals);
    const list = $('campaign-list');
    list.replaceChildren();
    for (const c of summary.data) {
      const li = el('li');
      const b = el('button');
      b.type = 'button';
      b.dataset.campaignId = c.campaignId;
      b.append(el('span', c.name));
      const small = el('small');
      small.append(el('span', c.status, 'pill'), el('span', `ROI ${pct(c.roi)}`));
      b.append(small);
      b.addEventListener('click', () => open(c.campaignId).catch((e) => showError(e.message)));
      li.append(b);
      list.append(li);
    }
    if (!summary.data.length) list.append(el('li', 'No campaigns yet.', 'muted'));
    const wanted = new URL(window.location.href).searchParams.get('campaign');
    const first = summary.data.find((c) => c.campaignId === wanted) || summary.data[0];
    if (first) await open(first.campaignId);
  }

  function renderTotals(totals) {
    const box = $('totals');
    box.replaceChildren();
    for (const t of totals) {
      const card = el('div', null, 'card');
      card.append(el('span', `All ${t.currency.toUpperCase()} campaigns (${t.campaigns})`, 'muted'));
      card.append(el('span', `${money(t.revenueCents, t.currency)} revenue`, 'big'));
      card.append(el('span', `${money(t.totalCostCents, t.currency)} cost · ROI ${pct(t.roi)}`, 'muted'));
      box.append(card);
    }
  }

  async function open(id) {
    for (const b of document.querySelectorAll('[data-campaign-id]'))
      b.classList.toggle('active', b.dataset.campaignId === id);
    const [report, daily] = await Promise.all([
      api(`/v1/campaigns/${id}/report`).then((r) => r.json()),
      api(`/v1/campaigns/${id}/report/daily`).then((r) => r.json()),
    ]);
    current = id;
    const name = document.querySelector(`[data-campaign-id="${id}"] span`);
    $('campaign-name').textContent = name ? name.textContent : 'Campaign';
    $('campaign-meta').textContent =
      `${report.currency.toUpperCase()} · report generated ${new Date(report.generatedAt).toLocaleString()}`;
    renderReport(report);
    renderChart(daily.data, report.currency);
    $('detail').hidden = false;
  }

  function renderReport(r) {
    const f = r.funnel;
    const cur = r.currency;
    setMetric('claimed', count(f.claimed), f.claimed);
    setMetric('clicks', count(f.clicks), f.clicks);
    setMetric('uniqueClicks', count(f.uniqueClicks), f.uniqueClicks);
    setMetric('conversions', count(f.conversions), f.conversions);
    setMetric('revenueCents', money(f.revenueCents, cur), f.revenueCents);
    setMetric('totalCents', money(r.cost.totalCents, cur), r.cost.totalCents);
    setMetric('perkCostCents', money(r.cost.perkCostCents, cur), r.cost.perkCostCents);
    setMetric('platformFeeCents', money(r.cost.platformFeeCents, cur), r.cost.platformFeeCents);
    setMetric('costTotal', money(r.cost.totalCents, cur), r.cost.totalCents);
    setMetric('roi', pct(r.roi), r.roi);
    const roiEl = document.querySelector('.kpi.roi strong');
    roiEl.classList.toggle('up', r.roi !== null && r.roi >= 0);
    roiEl.classList.toggle('down', r.roi !== null && r.roi < 0);

    const steps = [
      ['Eligible', f.eligible],
      ['Offered', f.offered],
      ['Claimed', f.claimed],
      ['Shares', f.shares],
      ['Clicks', f.clicks],
      ['Conversions', f.conversions],
    ];
    const top = Math.max(1, ...steps.map((s) => s[1]));
    const funnel = $('funnel');
    funnel.replaceChildren();
    for (const [label, n] of steps) {
      const li = el('li');
      const bar = el('div', null, 'bar');
      const fill = el('i');
      fill.style.width = `${Math.max(n ? 2 : 0, (n / top) * 100)}%`;
      bar.append(fill);
      li.append(el('span', label), bar, el('b', count(n)));
      funnel.append(li);
    }

    const q = $('quality');
    q.replaceChildren();
    for (const [label, v] of [
      ['Disclosed shares', `${count(f.disclosedShares)} of ${count(f.shares)}`],
      ['Reach · engagements', `${count(f.reach)} · ${count(f.engagements)}`],
      ['Filtered (bots, previews)', count(r.quality.filteredClicks)],
      ['Possible code leaks', count(r.quality.possibleCodeLeaks)],
      ['Refunded', money(r.quality.refundedCents, cur)],
    ]) {
      q.append(el('dt', label), el('dd', v));
    }

    const topics = $('by-topic').querySelector('tbody');
    topics.replaceChildren();
    for (const t of r.byTopic) {
      const tr = el('tr');
      tr.append(el('td', t.name), el('td', count(t.claims)), el('td', count(t.clicks)), el('td', count(t.conversions)));
      tr.append(el('td', money(t.revenueCents, cur)));
      topics.append(tr);
    }
    const people = $('by-influencer').querySelector('tbody');
    people.replaceChildren();
    for (const p of r.byInfluencer.slice(0, 10)) {
      const tr = el('tr');
      tr.append(el('td', p.influencer.displayName || p.influencer.ref), el('td', count(p.shares)));
      tr.append(el('td', count(p.clicks)), el('td', count(p.conversions)), el('td', money(p.revenueCents, cur)));
      people.append(tr);
    }
  }

  function renderChart(points, currency) {
    if (chart) chart.destroy();
    if (typeof Chart === 'undefined') return;
    chart = new Chart($('daily-chart'), {
      data: {
        labels: points.map((p) => p.date),
        datasets: [
          {
            type: 'line',
            label: 'Clicks',
            data: points.map((p) => p.clicks),
            borderColor: '#5b5bd6',
            tension: 0.3,
            yAxisID: 'y',
          },
          {
            type: 'line',
            label: 'Conversions',
            data: points.map((p) => p.conversions),
            borderColor: '#137a4b',
            tension: 0.3,
            yAxisID: 'y',
          },
          {
            type: 'bar',
            label: `Revenue (${currency.toUpperCase()})`,
            data: points.map((p) => p.revenueCents / 100),
            backgroundColor: 'rgba(91, 91, 214, 0.18)',
            yAxisID: 'y1',
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          y: { beginAtZero: true, position: 'left', ticks: { precision: 0 } },
          y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } },
        },
      },
    });
  }

  async function downloadCsv() {
    if (!current) return;
    const blob = await (await api(`/v1/campaigns/${current}/report.csv`)).blob();
    const a = el('a');
    a.href = URL.createObjectURL(new Blob([blob], { type: 'text/csv' }));
    a.download = `campaign-${current}-report.csv`;
    a.click();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('key-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const key = $('api-key').value.trim();
      if (!key) return;
      sessionStorage.setItem(KEY, key);
      $('api-key').value = '';
      start().catch((e) => showError(e.message));
    });
    $('sign-out').addEventListener('click', () => {
      sessionStorage.removeItem(KEY);
      window.location.reload();
    });
    $('download-csv').addEventListener('click', () => downloadCsv().catch((e) => showError(e.message)));
    if (sessionStorage.getItem(KEY)) start().catch((e) => showError(e.message));
  });
})();
