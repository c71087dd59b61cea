// Policies: schedule, next run, retention and last results, live from /events/policies; add,
// remove and run now (the same calls as `fleetmerge policy add|remove|run-now`).
import { h, replace, table, badge, time, liveStatus, errorLine, field, formatDuration } from '../dom.js';
import { live, post, del, seg } from '../api.js';
import { chunkSizes } from './campaigns.js';

/** The POST /policies body from the form's values. */
export function policyRequest(v) {
  const body = {
    name: v.name.trim(), cron: v.cron.trim(), hosts: v.hosts.trim() || 'all',
    volumes: v.volumes.split(/[\s,]+/).filter(Boolean), size: v.size.trim(),
    chunk_bytes: Number(v.chunk_bytes), keep: Number(v.keep || 3),
  };
  if (v.time_zone.trim()) body.time_zone = v.time_zone.trim();
  if (v.max_age.trim()) body.max_age = v.max_age.trim();
  return body;
}

function input(name, attrs = {}) { return h('input', { name, type: 'text', autocomplete: 'off', spellcheck: 'false', ...attrs }); }

export function mount(root, _params, ctx) {
  ctx.setTitle('Policies');
  const status = liveStatus();
  const list = h('section', { 'aria-labelledby': 'policy-list-title' });
  const formError = errorLine();
  const listError = errorLine();
  let lastJson = '';

  const form = h('form', { novalidate: true },
    h('div', { class: 'grid' },
      field('p-name', 'Name', input('name', { required: true, placeholder: 'e.g. nightly' })),
      field('p-cron', 'Schedule (cron)', input('cron', { required: true, placeholder: 'e.g. 0 3 * * *' }), 'five fields: minute hour day-of-month month day-of-week'),
      field('p-tz', 'Time zone', input('time_zone', { value: 'UTC' }), 'IANA name, e.g. Europe/Berlin'),
      field('p-hosts', 'Hosts (selector)', input('hosts', { value: 'all' })),
      field('p-volumes', 'Volumes', input('volumes', { required: true, placeholder: 'e.g. vg0/root' }), 'VG/LV origins, separated by commas'),
      field('p-size', 'Snapshot size', input('size', { required: true, placeholder: 'e.g. 20%' })),
      field('p-chunk', 'Chunk size', h('select', { name: 'chunk_bytes' }, chunkSizes.map(n => h('option', { value: n, selected: n === 4096 }, `${n / 1024} KiB`)))),
      field('p-keep', 'Keep (snapshots per origin)', h('input', { name: 'keep', type: 'number', min: '1', value: '3' })),
      field('p-maxage', 'Max age', input('max_age', { placeholder: 'e.g. 7d' }), 'optional: older policy snapshots are removed')),
    formError.el,
    h('button', { type: 'submit' }, 'Add policy'));

  form.addEventListener('submit', async event => {
    event.preventDefault();
    formError.clear();
    const data = new FormData(form);
    const values = Object.fromEntries(['name', 'cron', 'time_zone', 'hosts', 'volumes', 'size', 'chunk_bytes', 'keep', 'max_age']
      .map(k => [k, String(data.get(k) ?? '')]));
    for (const [k, what] of [['name', 'Name'], ['cron', 'Schedule'], ['volumes', 'Volumes'], ['size', 'Snapshot size']]) {
      if (!values[k].trim()) { formError.show(`${what}: required.`); form.elements[k].focus(); return; }
    }
    try {
      const added = await post('/policies', policyRequest(values));
      ctx.announce(`Policy ${added.spec.name} added; next run ${added.next_run ?? 'none'}.`);
      form.reset();
    } catch (e) {
      if (e.name !== 'AbortError') formError.show(e.message);
    }
  });

  async function runNow(name) {
    listError.clear();
    try {
      const accepted = await post(`/policies/${seg(name)}/run`);
      ctx.announce(`Policy ${name} started campaign ${accepted.id}.`);
      ctx.navigate(`#/campaigns/${encodeURIComponent(accepted.id)}`);
    } catch (e) { if (e.name !== 'AbortError') listError.show(`Run ${name} now refused: ${e.message}`); }
  }

  async function remove(name) {
    listError.clear();
    try {
      await del(`/policies/${seg(name)}`);
      ctx.announce(`Policy ${name} removed; its snapshots stay.`);
    } catch (e) { if (e.name !== 'AbortError') listError.show(`Remove ${name} refused: ${e.message}`); }
  }

  root.append(
    h('div', { class: 'title-row' }, h('h1', { tabindex: '-1' }, 'Policies'), status.el),
    list, listError.el,
    h('section', { 'aria-labelledby': 'add-title', class: 'panel' }, h('h2', { id: 'add-title' }, 'Add a policy'), form));

  live('/events/policies', data => {
    const json = JSON.stringify(data);
    if (json === lastJson) return;
    lastJson = json;
    const sorted = [...data].sort((a, b) => a.spec.name.localeCompare(b.spec.name));
    replace(list,
      h('h2', { id: 'policy-list-title' }, 'Scheduled snapshot policies'),
      table('Policies', [
        { label: 'Policy' }, { label: 'Schedule' }, { label: 'Hosts' }, { label: 'Volumes' }, { label: 'Size' },
        { label: 'Retention' }, { label: 'Next run' }, { label: 'Last run' }, { label: 'Last results' }, { label: 'Actions' },
      ], sorted.map(p => [
        p.spec.name,
        h('span', {}, h('code', {}, p.spec.cron), ` (${p.spec.time_zone})`),
        h('code', {}, p.spec.hosts), p.spec.volumes.join(', '), p.spec.size,
        `keep ${p.spec.keep}${p.spec.max_age ? `, max age ${formatDuration(p.spec.max_age)}` : ''}`,
        time(p.next_run), time(p.last_run),
        p.runs.length === 0 ? h('span', { class: 'muted' }, 'never run')
          : h('ul', { class: 'runs' }, p.runs.slice(0, 3).map(r => h('li', {},
              h('a', { href: `#/campaigns/${encodeURIComponent(r.campaign_id)}` }, r.campaign_id), ' ',
              r.campaign_state ? badge(r.campaign_state) : '', ` pruned ${r.pruned}`, r.missed ? ' (missed, ran late)' : ''))),
        h('span', { class: 'toolbar' },
          h('button', { type: 'button', class: 'secondary', 'data-key': `run-${p.spec.name}`, on: { click: () => runNow(p.spec.name) } }, 'Run now', h('span', { class: 'visually-hidden' }, ` ${p.spec.name}`)),
          h('button', { type: 'button', class: 'danger', 'data-key': `remove-${p.spec.name}`, on: { click: () => remove(p.spec.name) } }, 'Remove', h('span', { class: 'visually-hidden' }, ` ${p.spec.name}`))),
      ]), { empty: 'No policy.', className: 'policies' }));
  }, { signal: ctx.signal, onStatus: status.update });
}
