// Fleet: every host by label and state, with counts; a label filter; live from /events/hosts.
import { h, replace, table, badge, bar, formatBytes, time, labelsText, liveStatus } from '../dom.js';
import { live } from '../api.js';
import { cowWarnAt, fullestCow } from './volumes.js';

export const states = ['idle', 'merging', 'needs-reboot', 'failed'];
export const reachabilities = ['reachable', 'unreachable', 'left'];

/** The counts the view shows, for a list of hosts: by reachability and by state. */
export function countHosts(hosts) {
  const counts = { hosts: hosts.length };
  for (const key of [...reachabilities, ...states]) counts[key] = 0;
  for (const host of hosts) {
    counts[host.reachability] = (counts[host.reachability] ?? 0) + 1;
    counts[host.state] = (counts[host.state] ?? 0) + 1;
  }
  return counts;
}

export function mount(root, _params, ctx) {
  ctx.setTitle('Fleet');
  const status = liveStatus();
  const filter = h('select', { id: 'label-filter', 'aria-describedby': 'label-filter-help' }, h('option', { value: '' }, 'All hosts'));
  const countsRegion = h('section', { 'aria-labelledby': 'counts-title', class: 'counts-section' });
  const byLabel = h('section', { 'aria-labelledby': 'by-label-title' });
  const hostsRegion = h('section', { 'aria-labelledby': 'hosts-title' });
  let hosts = [];
  let lastJson = '';

  filter.addEventListener('change', render);

  root.append(
    h('div', { class: 'title-row' }, h('h1', { tabindex: '-1' }, 'Fleet'), status.el),
    h('div', { class: 'field inline' },
      h('label', { for: 'label-filter' }, 'Show hosts with label'), filter,
      h('p', { id: 'label-filter-help', class: 'help' }, 'Counts and the host table follow the filter.')),
    countsRegion, byLabel, hostsRegion);

  function labelOptions() {
    const pairs = [...new Set(hosts.flatMap(host => labelsText(host.labels)))].sort();
    const chosen = filter.value;
    const options = [h('option', { value: '' }, 'All hosts'), ...pairs.map(p => h('option', { value: p }, p))];
    if (chosen && !pairs.includes(chosen)) options.push(h('option', { value: chosen }, `${chosen} (no host now)`));
    filter.replaceChildren(...options);
    filter.value = chosen;
  }

  function render() {
    const chosen = filter.value;
    const shown = chosen ? hosts.filter(host => labelsText(host.labels).includes(chosen)) : hosts;
    const counts = countHosts(shown);
    const words = { hosts: 'Hosts', reachable: 'Reachable', unreachable: 'Unreachable', left: 'Left', idle: 'Idle', merging: 'Merging', 'needs-reboot': 'Needs reboot', failed: 'Failed' };
    replace(countsRegion,
      h('h2', { id: 'counts-title' }, chosen ? `Hosts with ${chosen}` : 'All hosts'),
      h('dl', { class: 'counts', 'aria-live': 'polite' }, Object.entries(words).map(([key, word]) =>
        h('div', { class: `count ${key}`, 'data-count': key }, h('dt', {}, word), h('dd', {}, String(counts[key] ?? 0))))));

    const pairs = [...new Set(hosts.flatMap(host => labelsText(host.labels)))].sort();
    replace(byLabel,
      h('h2', { id: 'by-label-title' }, 'By label'),
      table('Hosts by label and state', [
        { label: 'Label' }, { label: 'Hosts', numeric: true }, { label: 'Reachable', numeric: true }, { label: 'Merging', numeric: true },
        { label: 'Needs reboot', numeric: true }, { label: 'Failed', numeric: true },
      ], pairs.map(pair => {
        const c = countHosts(hosts.filter(host => labelsText(host.labels).includes(pair)));
        const pick = h('button', { type: 'button', class: 'link', 'data-key': `label-${pair}`, 'aria-pressed': String(pair === chosen),
          on: { click: () => { filter.value = pair === chosen ? '' : pair; render(); } } }, pair);
        return [pick, c.hosts, c.reachable, c.merging, c['needs-reboot'], c.failed];
      }), { empty: 'No labels.' }));

    replace(hostsRegion,
      h('h2', { id: 'hosts-title' }, 'Hosts'),
      table(`Hosts (${shown.length} shown of ${hosts.length})`, [
        { label: 'Host' }, { label: 'Labels' }, { label: 'Reachability' }, { label: 'State' },
        { label: 'Origins', numeric: true }, { label: 'Snapshots', numeric: true }, { label: 'Fullest COW store' },
        { label: 'Free', numeric: true }, { label: 'Last report' },
      ], shown.map(host => {
        const origins = host.volumes.filter(v => v.origin === null).length;
        const snapshots = host.volumes.filter(v => v.origin !== null).length;
        const fullest = fullestCow(host.volumes);
        return [
          h('a', { href: `#/hosts/${encodeURIComponent(host.host_id)}`, 'data-key': `host-${host.host_id}` }, host.host_id),
          h('span', { class: 'labels' }, labelsText(host.labels).map(l => h('span', { class: 'label' }, l))),
          badge(host.reachability), badge(host.state), origins, snapshots,
          fullest ? bar(fullest.data_percent, `COW use of ${fullest.vg}/${fullest.name} on ${host.host_id}`, { warnAt: cowWarnAt, note: `${fullest.vg}/${fullest.name}` }) : h('span', { class: 'muted' }, 'no snapshot'),
          formatBytes(host.free_bytes), time(host.last_report),
        ];
      }), { empty: chosen ? `No host has ${chosen}.` : 'No host has reported yet.', className: 'hosts' }));
  }

  live('/events/hosts', data => {
    const json = JSON.stringify(data);
    if (json === lastJson) return; // a keep-alive repeat
    lastJson = json;
    hosts = data;
    labelOptions();
    render();
  }, { signal: ctx.signal, onStatus: status.update });
}
