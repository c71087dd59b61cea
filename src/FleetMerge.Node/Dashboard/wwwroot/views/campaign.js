// One campaign: waves, every host's step and outcome, the failure budget, the timeline, and the
// operator's buttons (the same calls as `fleetmerge campaign pause|resume|abort` and
// `campaign start rollback|commit --of ID`). Live from /campaigns/{id}/events until it is over.
import { h, replace, table, facts, badge, bar, time, liveStatus, errorLine, formatDuration } from '../dom.js';
import { get, live, post, seg } from '../api.js';

const outcomes = ['succeeded', 'failed', 'running', 'pending', 'skipped'];

/** Which buttons a campaign in this state offers. */
export function actionsFor(view) {
  const state = view.state;
  const actions = [];
  if (state === 'running') actions.push('pause');
  if (state === 'paused') actions.push('resume');
  if (state === 'running' || state === 'paused') actions.push('abort');
  if (view.spec.kind === 'snapshot' && state !== 'running') actions.push('rollback', 'commit');
  return actions;
}

const labels = {
  pause: 'Pause', resume: 'Resume', abort: 'Abort…',
  rollback: 'Roll back…', commit: 'Commit…',
};

const confirmations = {
  abort: ['Abort this campaign? Hosts not started yet are skipped; steps already running finish.', 'Abort campaign'],
  rollback: ['Roll back: merge this campaign\'s snapshots into their origins at a reboot of each host (a new rollback campaign).', 'Start rollback'],
  commit: ['Commit: keep the current state and remove this campaign\'s snapshots (a new commit campaign). This cannot be undone.', 'Start commit'],
};



export function mount(root, [id], ctx) {
  ctx.setTitle(`Campaign ${id}`);
  const status = liveStatus();
  const error = errorLine();
  const heading = h('h1', { tabindex: '-1' }, `Campaign ${id}`);
  const toolbar = h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Campaign actions' });
  const confirmBox = h('div', { class: 'confirm' });
  const summary = h('section', { 'aria-labelledby': 'summary-title' });
  const budget = h('section', { 'aria-labelledby': 'budget-title', 'aria-live': 'polite' });
  const waves = h('section', { 'aria-labelledby': 'waves-title' });
  const hosts = h('section', { 'aria-labelledby': 'hosts-title' });
  const timeline = h('section', { 'aria-labelledby': 'timeline-title' });
  let view = null;
  let lastJson = '';
  let busy = false;

  root.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/campaigns' }, 'Campaigns'), ' › ', id),
    h('div', { class: 'title-row' }, heading, status.el),
    toolbar, confirmBox, error.el, summary, budget, waves, hosts, timeline);

  async function act(action) {
    busy = true;
    error.clear();
    renderToolbar();
    try {
      if (action === 'rollback' || action === 'commit') {
        const accepted = await post('/campaigns', { kind: action, of: id });
        ctx.announce(`${action === 'rollback' ? 'Rollback' : 'Commit'} campaign ${accepted.id} started on ${accepted.hosts} hosts.`);
        ctx.navigate(`#/campaigns/${encodeURIComponent(accepted.id)}`);
        return;
      }
      const after = await post(`/campaigns/${seg(id)}/${action}`);
      ctx.announce(`Campaign ${id} is ${after.state}.`);
      show(after);
    } catch (e) {
      if (e.name !== 'AbortError') error.show(`${labels[action].replace('…', '')} refused: ${e.message}`);
    } finally {
      busy = false;
      renderToolbar();
    }
  }

  function ask(action) {
    const [question, confirmLabel] = confirmations[action];
    const yes = h('button', { type: 'button', class: action === 'rollback' ? '' : 'danger', on: { click: () => { replace(confirmBox); act(action); } } }, confirmLabel);
    const no = h('button', { type: 'button', class: 'secondary', on: { click: () => { replace(confirmBox); toolbar.querySelector(`[data-action="${action}"]`)?.focus(); } } }, 'Cancel');
    replace(confirmBox, h('div', { class: 'panel', role: 'group', 'aria-label': `Confirm ${action}` }, h('p', {}, question), h('div', { class: 'toolbar' }, yes, no)));
    yes.focus();
  }

  function renderToolbar() {
    if (!view) return;
    const offered = actionsFor(view);
    replace(toolbar, ['pause', 'resume', 'abort', 'rollback', 'commit']
      .filter(a => a === 'rollback' || a === 'commit' ? view.spec.kind === 'snapshot' : true)
      .map(a => h('button', {
        type: 'button', 'data-action': a, 'data-key': `action-${a}`, class: a === 'abort' || a === 'commit' ? 'danger' : 'secondary',
        disabled: busy || !offered.includes(a),
        on: { click: () => (confirmations[a] ? ask(a) : act(a)) },
      }, labels[a])));
  }

  function show(v) {
    const json = JSON.stringify(v);
    if (json === lastJson) return;
    const before = view;
    lastJson = json;
    view = v;
    if (before && before.state !== v.state) ctx.announce(`Campaign ${id} is ${v.state}.`);
    heading.textContent = `Campaign ${v.id} (${v.spec.kind})`;
    renderToolbar();
    const spec = v.spec;
    replace(summary,
      h('h2', { id: 'summary-title', class: 'visually-hidden' }, 'Summary'),
      facts([
        ['State', badge(v.state)],
        ['Kind', spec.kind],
        ['Hosts', h('code', {}, spec.hosts)],
        spec.volumes.length ? ['Volumes', spec.volumes.join(', ')] : null,
        spec.size ? ['Snapshot size', spec.size] : null,
        spec.of ? ['Acts on', h('a', { href: `#/campaigns/${encodeURIComponent(spec.of)}` }, spec.of)] : null,
        spec.policy ? ['Policy', spec.policy] : null,
        spec.kind === 'snapshot' ? ['Steps', ['preflight', 'snapshot', spec.upgrade ? 'upgrade' : null, spec.health ? 'health' : null].filter(Boolean).join(', ')] : null,
        ['Waves', `canary ${spec.canary}, wave size ${spec.wave_size}, in flight ${spec.max_in_flight || 'whole wave'}`],
        ['Step timeout', formatDuration(spec.step_timeout)],
        spec.window ? ['Window', `${spec.window.start}–${spec.window.end} ${spec.window.time_zone}`] : null,
        ['Created', time(v.created_at)],
        ['Ended', time(v.ended_at)],
        v.waiting_for ? ['Waiting for', v.waiting_for] : null,
        v.halted ? ['Halted', v.halted] : null,
        v.follow_up ? ['Follow-up', h('a', { href: `#/campaigns/${encodeURIComponent(v.follow_up)}` }, v.follow_up)] : null,
      ]));

    const count = Object.fromEntries(outcomes.map(o => [o, v.hosts.filter(x => x.outcome === o).length]));
    const finished = count.succeeded + count.failed + count.skipped;
    const budgetUse = v.failures_allowed > 0 ? (100 * v.failures_seen) / v.failures_allowed : (v.failures_seen > 0 ? 100 : 0);
    replace(budget,
      h('h2', { id: 'budget-title' }, 'Progress and failure budget'),
      h('dl', { class: 'counts' }, outcomes.map(o => h('div', { class: `count ${o}`, 'data-count': o }, h('dt', {}, o[0].toUpperCase() + o.slice(1)), h('dd', {}, String(count[o]))))),
      h('p', {}, `${finished} of ${v.hosts.length} hosts done. `),
      bar(v.hosts.length ? (100 * finished) / v.hosts.length : 0, 'Hosts done', { role: 'progressbar' }),
      h('p', { class: 'budget', 'data-failures-seen': v.failures_seen, 'data-failures-allowed': v.failures_allowed },
        `Failure budget used: ${v.failures_seen} of ${v.failures_allowed} allowed`,
        v.failures_seen > v.failures_allowed ? ' — spent' : ''),
      bar(Math.min(100, budgetUse), 'Failure budget used', { warnAt: 100 }));

    replace(waves,
      h('h2', { id: 'waves-title' }, 'Waves'),
      table(`Waves of ${v.id}`, [{ label: 'Wave' }, { label: 'Name' }, { label: 'Hosts' }, { label: 'State' }],
        v.waves.map(w => [String(w.number), w.name, w.hosts.join(', '), badge(w.state === 'done' ? 'done' : w.state)]),
        { empty: 'No wave.' }));

    replace(hosts,
      h('h2', { id: 'hosts-title' }, 'Hosts'),
      table(`Hosts of ${v.id}`, [
        { label: 'Host' }, { label: 'Wave', numeric: true }, { label: 'Step' }, { label: 'Outcome' }, { label: 'Detail' },
        { label: 'Started' }, { label: 'Ended' },
      ], v.hosts.map(x => [
        h('a', { href: `#/hosts/${encodeURIComponent(x.host_id)}`, 'data-key': `host-${x.host_id}` }, x.host_id),
        x.wave,
        x.step ? `${x.step_index + 1}/${x.step_count} ${x.step}` : "–",
        badge(x.outcome), x.detail ?? '', time(x.started_at), time(x.ended_at),
      ]), { empty: 'No host.', className: 'campaign-hosts' }));

    replace(timeline,
      h('h2', { id: 'timeline-title' }, 'Timeline'),
      h('ol', { class: 'timeline' }, v.timeline.map(t => h('li', {}, time(t.at), ' ', t.what))));
  }

  live(`/campaigns/${seg(id)}/events`, show, {
    signal: ctx.signal,
    endless: false,
    onStatus: async (state, message) => {
      status.update(state, message);
      if (state === 'error') error.show(message);
      // The stream ends once the campaign is over; one more read makes sure the last state is shown.
      if (state === 'over') {
        try { show(await get(`/campaigns/${seg(id)}`, { signal: ctx.signal })); } catch { /* the stream's last state stands */ }
      }
    },
  });
}
