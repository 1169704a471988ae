import { createHash } from 'node:crypto';
import { clockIsOff, describeClockOffset } from '../core/clockOffset.js';
import type { LookupResult } from '../core/lookup.js';
import type { StatusJson } from './statusJson.js';

/** Everything from upstream, devices or the request goes through here before it reaches HTML. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function ago(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

function badge(ok: boolean, yes: string, no: string): string {
  return `<span class="${ok ? 'ok' : 'bad'}">${esc(ok ? yes : no)}</span>`;
}

/** The live part of the page; also served alone at /status-fragment for the page's own refresh. */
export function renderLive(s: StatusJson, now: number): string {
  const sync = s.sync;
  const uptime = `<p>Up ${esc(s.uptimeSeconds)} s.</p>`;
  const syncOk = sync.state === 'ok' || (sync.state === 'syncing' && sync.lastError === null);
  const rows = (cells: string[][]): string => cells.map((c) => `<tr>${c.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('');
  return `${uptime}
<section><h2>Sync</h2>
<p>${badge(syncOk, sync.state, sync.state)} · last success ${esc(ago(sync.lastSuccessAt, now))} · cache age ${esc(sync.cacheAgeSeconds === null ? 'never synced' : `${sync.cacheAgeSeconds} s`)}
 · upstream ${sync.upstreamReachable === null ? 'unknown' : badge(sync.upstreamReachable, 'reachable', 'unreachable')}</p>
${sync.lastError === null ? '' : `<p class="bad">Last error (${esc(sync.lastError.code)}): ${esc(sync.lastError.message)}</p>`}
${sync.clockOffsetSeconds === null || !clockIsOff(sync.clockOffsetSeconds * 1000) ? '' : `<p class="bad">Clock: this box is ${esc(describeClockOffset(sync.clockOffsetSeconds * 1000))}; clockings carry this box's time.</p>`}
<p>Cache: ${esc(s.cache.definitions)} definitions, ${esc(s.cache.usages)} usages, ${esc(s.cache.restrictions)} restrictions, ${esc(s.cache.people)} people.</p>
</section>
<section><h2>Terminals</h2>
<table><thead><tr><th>Terminal</th><th>State</th><th>Accepted</th><th>Rejected</th><th>Reject reasons</th><th>Last decision</th></tr></thead><tbody>
${rows(
  s.terminals.map((t) => [
    esc(t.id),
    esc(t.state),
    esc(t.accepted),
    esc(t.rejected),
    esc(Object.entries(t.rejectReasons).map(([r, n]) => `${r} ${n}`).join(', ')),
    t.lastDecision === null ? '—' : `${esc(t.lastDecision.reason)} ${esc(t.lastDecision.code)} ${esc(t.lastDecision.name)} · badge ${esc(t.lastDecision.badge)} · ${esc(ago(t.lastDecision.at, now))}`,
  ]),
)}
</tbody></table></section>
<section><h2>Devices</h2>
<table><thead><tr><th>Device</th><th>Transport</th><th>Connected</th><th>Last frame</th><th>Errors</th></tr></thead><tbody>
${rows(s.devices.map((d) => [esc(d.id), esc(d.transport), badge(d.connected, 'connected', 'disconnected'), esc(ago(d.lastFrameAt, now)), `${esc(d.errors)}${d.lastError === null ? '' : ` (${esc(d.lastError)})`}`]))}
</tbody></table></section>
<section><h2>Outbox</h2>
<p>${esc(s.outbox.pending)} pending${s.outbox.oldestPendingAt === null ? '' : `, oldest ${esc(ago(s.outbox.oldestPendingAt, now))}`} · ${esc(s.outbox.delivered)} delivered · ${s.outbox.failed > 0 ? `<span class="bad">${esc(s.outbox.failed)} failed</span>` : '0 failed'}</p>
</section>`;
}

export function renderLookup(query: { badge?: string; codes?: string; date?: string }, result: LookupResult | { error: string } | undefined): string {
  const form = `<form method="get" action="/#lookup">
<label>Badge <input name="badge" value="${esc(query.badge)}" required></label>
<label>Codes <input name="codes" value="${esc(query.codes)}" placeholder="1,100,00026" required></label>
<label>Date <input name="date" value="${esc(query.date)}" placeholder="today"></label>
<button type="submit">Explain</button></form>`;
  if (result === undefined) return form;
  if ('error' in result) return `${form}<p class="bad" id="lookup-result">${esc(result.error)}</p>`;
  const steps = result.steps
    .map((st) => `<li>level ${esc(st.level)} · ${esc(st.code)} · <b>${esc(st.decision)}</b>${st.name === undefined ? '' : ` · ${esc(st.name)}`} — ${esc(st.explanation)}</li>`)
    .join('');
  return `${form}<div id="lookup-result"><p class="${result.decision === 'ACCEPTED' ? 'ok' : 'bad'}"><b>${esc(result.decision)}</b>${result.explanation === undefined ? '' : ` — ${esc(result.explanation)}`}</p><ol>${steps}</ol></div>`;
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:70rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}
.ok{color:#176c2d;font-weight:600}.bad{color:#b00020;font-weight:600}form label{margin-right:1rem}
`;

const SCRIPT = `
// Live refresh: the server renders (and escapes) the fragment; the page only swaps it in.
// While the gateway does not answer (stopped, restarting) the last figures stay, but marked as old:
// "connected" or "0 pending" from an hour ago must not read as the present.
let failingSince;
setInterval(async () => {
  const offline = document.getElementById('offline');
  try {
    const res = await fetch('/status-fragment', { cache: 'no-store' });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    document.getElementById('live').innerHTML = await res.text();
    failingSince = undefined;
    offline.hidden = true;
  } catch {
    failingSince ??= new Date();
    offline.textContent = 'The gateway has not answered since ' + failingSince.toLocaleTimeString() + ': the status below is as it was then.';
    offline.hidden = false;
  }
}, 2000);
`;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * Sent with every answer. The page's own style and script are allowed by their hashes and nothing
 * else runs: should a name from upstream ever slip past esc(), it stays inert. No framing (the page
 * carries a form), and its fetches go to the gateway only.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': `default-src 'none'; script-src ${sha256(SCRIPT)}; style-src ${sha256(STYLE)}; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // A lookup's address holds a badge number.
  'referrer-policy': 'no-referrer',
};

export function renderPage(s: StatusJson, now: number, lookup: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>ptgw status</title>
<style>${STYLE}</style></head><body>
<h1>Protime terminal gateway <small>${esc(s.version)}</small></h1>
<p><noscript>Reload the page to refresh.</noscript></p>
<p id="offline" class="bad" hidden></p>
<div id="live">${renderLive(s, now)}</div>
<section id="lookup"><h2>Explain a decision</h2>${lookup}</section>
<script>${SCRIPT}</script>
</body></html>`;
}
