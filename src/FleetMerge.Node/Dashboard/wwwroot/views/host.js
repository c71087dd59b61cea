// Host: its volume groups as an lvs table with attributes and COW use, and its merges, live from
// /hosts/{id}/events (merges read from the host's agent when it runs on this node).
import { h, replace, table, facts, badge, bar, formatBytes, time, labelsText, liveStatus } from '../dom.js';
import { live, seg } from '../api.js';
import { cowWarnAt, describeAttr } from './volumes.js';

export function mount(root, [hostId], ctx) {
  ctx.setTitle(`Host ${hostId}`);
  const status = liveStatus();
  const summary = h('section', { 'aria-labelledby': 'host-summary-title' });
  const volumes = h('section', { 'aria-labelledby': 'volumes-title' });
  const merges = h('section', { 'aria-labelledby': 'merges-title', 'aria-live': 'polite' });
  let lastJson = '';
  const announced = new Set();

  root.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/fleet' }, 'Fleet'), ' › ', hostId),
    h('div', { class: 'title-row' }, h('h1', { tabindex: '-1' }, `Host ${hostId}`), status.el),
    summary, volumes, merges);

  function render({ host, live: isLive, merges: mergeStates }) {
    replace(summary,
      h('h2', { id: 'host-summary-title', class: 'visually-hidden' }, 'Summary'),
      facts([
        ['Reachability', badge(host.reachability)],
        ['State', badge(host.state)],
        ['Labels', h('span', { class: 'labels' }, labelsText(host.labels).map(l => h('span', { class: 'label' }, l)))],
        ['Node', h('code', {}, host.node)],
        ['Incarnation', String(host.incarnation)],
        ['Simulated', host.simulated ? 'yes' : 'no'],
        ['Free space', formatBytes(host.free_bytes)],
        ['Last report', time(host.last_report)],
      ]));

    const groups = [...new Set(host.volumes.map(v => v.vg))].sort();
    replace(volumes,
      h('h2', { id: 'volumes-title' }, 'Volumes'),
      h('p', { class: 'help' }, groups.length === 0 ? 'This host has no volume group.' : `Volume groups: ${groups.join(', ')}. ` +
        `Data% is the COW store's use; from ${cowWarnAt} % a store is marked nearly full (when full, the snapshot becomes invalid).`),
      table(`Logical volumes of ${hostId} (lvs)`, [
        { label: 'LV' }, { label: 'VG' }, { label: 'Attr' }, { label: 'LSize', numeric: true }, { label: 'Origin' },
        { label: 'Data%' }, { label: 'Merge%' }, { label: 'UUID' }, { label: 'Minor', numeric: true },
      ], host.volumes.map(v => [
        v.name, v.vg,
        h('span', { class: 'attr' }, h('code', {}, v.attr), h('span', { class: 'attr-words' }, describeAttr(v.attr))),
        formatBytes(v.size_bytes), v.origin ?? '',
        bar(v.data_percent, `COW use of ${v.vg}/${v.name}`, { warnAt: cowWarnAt }),
        bar(v.merge_percent, `Merge of ${v.vg}/${v.name}`, { role: 'progressbar' }),
        h('code', { class: 'uuid' }, v.uuid), v.minor,
      ]), { empty: 'No volume.', className: 'lvs' }));

    const mergeRows = mergeStates.map(m => {
      const key = `${m.vg}/${m.snapshot}`;
      if (m.state === 'complete' && !announced.has(key)) {
        announced.add(key);
        ctx.announce(`Merge of ${key} into ${m.origin} complete; snapshot removed.`);
      }
      return [
        key, m.origin, m.mode, badge(m.state),
        bar(m.percent, `Merge of ${key}`, { role: 'progressbar' }),
        `${m.merged_exceptions} / ${m.initial_exceptions}`,
        h('code', {}, m.status || '–'),
        m.snapshot_removed ? 'removed' : 'present',
        m.error ?? '',
      ];
    });
    replace(merges,
      h('h2', { id: 'merges-title' }, 'Merges'),
      isLive
        ? [h('p', { class: 'help' }, 'Read from the host now (it runs on this node): progress moves with every copy group; a merge seen while this page is open stays listed once it is complete.'),
           table(`Merges on ${hostId}`, [
             { label: 'Snapshot' }, { label: 'Origin' }, { label: 'Mode' }, { label: 'State' }, { label: 'Progress' },
             { label: 'Exceptions merged' }, { label: 'Status' }, { label: 'Snapshot now' }, { label: 'Error' },
           ], mergeRows, { empty: 'No merge requested on this host while this page is open.', className: 'merges' })]
        : h('p', { class: 'help' }, `This host runs on another node (${host.node}): merge progress is the Merge% column above, as of the host's last report.`));
  }

  live(`/hosts/${seg(hostId)}/events`, data => {
    const json = JSON.stringify(data);
    if (json === lastJson) return;
    lastJson = json;
    render(data);
  }, {
    signal: ctx.signal,
    onStatus: (state, message) => {
      status.update(state, message);
      if (state === 'error') replace(summary, h('p', { class: 'error', role: 'alert' }, message));
    },
  });
}
