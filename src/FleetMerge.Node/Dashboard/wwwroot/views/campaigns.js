// Campaigns: the list (newest first, live from /events/campaigns) and the form that starts a
// snapshot campaign with the same body as `fleetmerge campaign start snapshot`.
import { h, replace, table, badge, time, liveStatus, errorLine, field } from '../dom.js';
import { live, post } from '../api.js';

export const chunkSizes = [4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288];

/** The POST /campaigns body from the form's values; optional fields left empty are left out (the node's defaults apply). */
export function snapshotRequest(v) {
  const body = { kind: 'snapshot', volumes: v.volumes.split(/[\s,]+/).filter(Boolean) };
  if (v.hosts.trim()) body.hosts = v.hosts.trim();
  if (v.size.trim()) body.size = v.size.trim();
  body.chunk_bytes = Number(v.chunk_bytes);
  if (v.upgrade) body.upgrade = true;
  if (v.health) body.health = true;
  if (v.auto_rollback) body.auto_rollback = true;
  if (v.canary !== '' && Number(v.canary) > 0) body.canary = Number(v.canary);
  if (v.wave_size.trim()) body.wave_size = v.wave_size.trim();
  if (v.max_in_flight !== '' && Number(v.max_in_flight) > 0) body.max_in_flight = Number(v.max_in_flight);
  if (v.failure_budget.trim()) body.failure_budget = v.failure_budget.trim();
  if (v.step_timeout.trim()) body.step_timeout = v.step_timeout.trim();
  if (v.window_start || v.window_end) body.window = { start: v.window_start, end: v.window_end, time_zone: v.time_zone.trim() || 'UTC' };
  return body;
}

function input(name, attrs = {}) { return h('input', { name, type: 'text', autocomplete: 'off', spellcheck: 'false', ...attrs }); }

export function mount(root, _params, ctx) {
  ctx.setTitle('Campaigns');
  const status = liveStatus();
  const list = h('section', { 'aria-labelledby': 'campaign-list-title' });
  const error = errorLine();
  let lastJson = '';

  const form = h('form', { class: 'start-form', novalidate: true },
    h('div', { class: 'grid' },
      field('c-hosts', 'Hosts (selector)', input('hosts', { value: 'all' }), 'all, or terms like env=prod,rack=r1|r2 or host=web-*'),
      field('c-volumes', 'Volumes', input('volumes', { required: true, placeholder: 'e.g. vg0/root' }), 'VG/LV origins, separated by commas'),
      field('c-size', 'Snapshot size', input('size', { placeholder: 'e.g. 20%' }), 'COW size: bytes with K/M/G, or a percentage of the origin'),
      field('c-chunk', 'Chunk size', h('select', { name: 'chunk_bytes' }, chunkSizes.map(n => h('option', { value: n, selected: n === 4096 }, `${n / 1024} KiB`))))),
    h('fieldset', {}, h('legend', {}, 'Steps'),
      field('c-upgrade', 'Run the upgrade hook after the snapshot', h('input', { name: 'upgrade', type: 'checkbox' })),
      field('c-health', 'Run the health hook', h('input', { name: 'health', type: 'checkbox' }))),
    h('fieldset', {}, h('legend', {}, 'Waves and failures'),
      h('div', { class: 'grid' },
        field('c-canary', 'Canary hosts', h('input', { name: 'canary', type: 'number', min: '0', value: '0' })),
        field('c-wave', 'Wave size', input('wave_size', { placeholder: 'default 100%' }), 'hosts per wave: a count or a percentage'),
        field('c-inflight', 'Max in flight', h('input', { name: 'max_in_flight', type: 'number', min: '0', value: '0' }), '0: the whole wave'),
        field('c-budget', 'Failure budget', input('failure_budget', { placeholder: 'default 0' }), 'failures allowed before the campaign halts: a count or a percentage'),
        field('c-timeout', 'Step timeout', input('step_timeout', { placeholder: 'default 10m' }))),
      field('c-auto', 'Roll failed hosts back automatically', h('input', { name: 'auto_rollback', type: 'checkbox' }))),
    h('fieldset', {}, h('legend', {}, 'Maintenance window (optional)'),
      h('div', { class: 'grid' },
        field('c-wstart', 'Window start', h('input', { name: 'window_start', type: 'time' })),
        field('c-wend', 'Window end', h('input', { name: 'window_end', type: 'time' })),
        field('c-tz', 'Time zone', input('time_zone', { value: 'UTC' }), 'IANA name, e.g. Europe/Berlin'))),
    error.el,
    h('button', { type: 'submit' }, 'Start snapshot campaign'));

  form.addEventListener('submit', async event => {
    event.preventDefault();
    error.clear();
    const data = new FormData(form);
    const values = Object.fromEntries(['hosts', 'volumes', 'size', 'chunk_bytes', 'canary', 'wave_size', 'max_in_flight', 'failure_budget',
      'step_timeout', 'window_start', 'window_end', 'time_zone'].map(k => [k, String(data.get(k) ?? '')]));
    for (const k of ['upgrade', 'health', 'auto_rollback']) values[k] = data.get(k) === 'on';
    if (!values.volumes.trim()) { error.show('Volumes: name at least one origin, as VG/LV.'); form.elements.volumes.focus(); return; }
    try {
      const accepted = await post('/campaigns', snapshotRequest(values));
      ctx.announce(`Campaign ${accepted.id} started on ${accepted.hosts} hosts.`);
      ctx.navigate(`#/campaigns/${encodeURIComponent(accepted.id)}`);
    } catch (e) {
      if (e.name !== 'AbortError') error.show(e.message);
    }
  });

  root.append(
    h('div', { class: 'title-row' }, h('h1', { tabindex: '-1' }, 'Campaigns'), status.el),
    list,
    h('section', { 'aria-labelledby': 'start-title', class: 'panel' }, h('h2', { id: 'start-title' }, 'Start a snapshot campaign'), form));

  live('/events/campaigns', data => {
    const json = JSON.stringify(data);
    if (json === lastJson) return;
    lastJson = json;
    replace(list,
      h('h2', { id: 'campaign-list-title' }, 'All campaigns'),
      table('Campaigns, newest first', [
        { label: 'Campaign' }, { label: 'Kind' }, { label: 'State' }, { label: 'Hosts' }, { label: 'Count', numeric: true },
        { label: 'Succeeded', numeric: true }, { label: 'Failed', numeric: true }, { label: 'Running', numeric: true },
        { label: 'Created' }, { label: 'Ended' }, { label: 'Of / policy' },
      ], data.map(c => [
        h('a', { href: `#/campaigns/${encodeURIComponent(c.id)}`, 'data-key': `campaign-${c.id}` }, c.id),
        c.kind, badge(c.state), h('code', {}, c.hosts), c.host_count, c.succeeded, c.failed, c.running,
        time(c.created_at), time(c.ended_at),
        c.of ? h('a', { href: `#/campaigns/${encodeURIComponent(c.of)}` }, c.of) : (c.policy ? `policy ${c.policy}` : ''),
      ]), { empty: 'No campaign yet.', className: 'campaigns' }));
  }, { signal: ctx.signal, onStatus: status.update });
}
