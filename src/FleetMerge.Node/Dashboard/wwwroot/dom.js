// Building the page from data without innerHTML: every value from the API goes in as text.

/** h('a', {href: '#/x', class: 'c'}, 'text', child…): an element; null/false children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'on') for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else if (name === 'style') for (const [prop, v] of Object.entries(value)) el.style.setProperty(prop, v);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces a live region's content. A control that had the focus (marked with data-key) gets it
 * back in the new content, so a keyboard user is not thrown out of the table on every update.
 */
export function replace(region, ...children) {
  const active = document.activeElement;
  const key = active && region.contains(active) ? active.getAttribute('data-key') : null;
  region.replaceChildren();
  append(region, children);
  if (key) region.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
}

/** A table with a caption, column headers (scope=col) and rows whose first cell is a row header (scope=row). */
export function table(caption, columns, rows, { empty = 'None.', className = '' } = {}) {
  const head = h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label))));
  const body = h('tbody', {}, rows.length === 0
    ? h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty))
    : rows.map(cells => h('tr', {}, cells.map((cell, i) => h(i === 0 ? 'th' : 'td',
        { scope: i === 0 ? 'row' : null, class: columns[i].numeric ? 'num' : null }, cell)))));
  // A wide table scrolls inside its own focusable region (keyboard users can scroll it too).
  return h('div', { class: `table-wrap ${className}`, role: 'region', 'aria-label': caption, tabindex: '0' },
    h('table', {}, h('caption', {}, caption), head, body));
}

/** A <dl> of [term, value] pairs. */
export function facts(pairs, className = 'facts') {
  return h('dl', { class: className }, pairs.filter(p => p).map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))));
}

/**
 * A horizontal bar for a percentage: role meter (COW use) or progressbar (merge progress), its
 * number always written next to it, and a warning word as well as a colour when it is high.
 */
export function bar(percent, label, { role = 'meter', warnAt = null, note = '' } = {}) {
  if (percent === null || percent === undefined) return h('span', { class: 'muted' }, '–');
  const value = Math.max(0, Math.min(100, percent));
  const warn = warnAt !== null && value >= warnAt;
  const text = `${formatPercent(percent)}${warn ? ' — nearly full' : ''}${note ? ` — ${note}` : ''}`;
  return h('span', { class: `bar-cell${warn ? ' warn' : ''}` },
    h('span', {
      class: 'bar', role, 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '100',
      'aria-valuenow': String(value), 'aria-valuetext': text,
    }, h('span', { class: 'fill', style: { width: `${value}%` } })),
    h('span', { class: 'bar-text' }, warn ? h('span', { class: 'warn-icon', 'aria-hidden': 'true' }, '⚠ ') : null, text));
}

/** A state word with a colour class and a shape, so colour is never the only signal. */
export function badge(word, kind = tone(word)) {
  const shapes = { ok: '✓', bad: '✕', warn: '!', busy: '◔', idle: '•', off: '–' };
  return h('span', { class: `badge ${kind}`, 'data-state': word }, h('span', { 'aria-hidden': 'true' }, `${shapes[kind] ?? '•'} `), word);
}

export function tone(word) {
  switch (word) {
    case 'reachable': case 'succeeded': case 'completed': case 'complete': case 'done': case 'idle': return 'ok';
    case 'failed': case 'unreachable': case 'aborted': return 'bad';
    case 'needs-reboot': case 'paused': case 'pending': case 'stopped': return 'warn';
    case 'merging': case 'running': return 'busy';
    case 'left': case 'skipped': return 'off';
    default: return 'idle';
  }
}

export function formatPercent(p) {
  return `${Number(p).toFixed(Number.isInteger(p) ? 0 : 2)} %`;
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(n) {
  if (n === null || n === undefined) return '–';
  let value = n, unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return unit === 0 ? `${n} B` : `${value.toFixed(2)} ${units[unit]}`;
}

/** A time as the API gives it (ISO 8601), shown in UTC to the second, so every operator reads the same. */
export function time(iso) {
  if (!iso) return h('span', { class: 'muted' }, '–');
  const d = new Date(iso);
  const text = Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return h('time', { datetime: iso }, text);
}

export function labelsText(labels) {
  return Object.entries(labels ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
}

/** "Live" / "Reconnecting…" / "Final" next to a view's title: whether what is shown still moves. */
export function liveStatus() {
  const el = h('p', { class: 'live-status', 'data-live': 'connecting' }, 'Connecting…');
  const words = { live: 'Live: updates as it changes', reconnecting: 'Reconnecting…', over: 'Final: this campaign is over', error: 'Not available' };
  return {
    el,
    update(state, message) {
      el.setAttribute('data-live', state);
      el.textContent = words[state] + (message && state !== 'live' && state !== 'over' ? ` (${message})` : '');
    },
  };
}

/** A form's error line: role=alert, so a refusal is announced where it happened. */
export function errorLine() {
  const el = h('p', { class: 'error', role: 'alert' });
  return { el, show: message => { el.textContent = message; }, clear: () => { el.textContent = ''; } };
}

/** A labelled input with optional help text (aria-describedby). */
export function field(id, label, input, help = null) {
  if (help) input.setAttribute('aria-describedby', `${id}-help`);
  input.id = id;
  return h('div', { class: input.type === 'checkbox' ? 'field check' : 'field' },
    input.type === 'checkbox' ? [input, h('label', { for: id }, label)] : [h('label', { for: id }, label), input],
    help ? h('p', { id: `${id}-help`, class: 'help' }, help) : null);
}

/** A .NET TimeSpan as JSON gives it ("7.00:00:00", "00:10:00") in the CLI's words: 7d, 10m, 1h30m. */
export function formatDuration(text) {
  const m = /^(-)?(?:(\d+)\.)?(\d+):(\d+):(\d+)(?:\.(\d+))?$/.exec(text ?? '');
  if (!m) return text ?? '';
  const [, minus, d, hh, mm, ss] = m;
  const parts = [[Number(d ?? 0), 'd'], [Number(hh), 'h'], [Number(mm), 'm'], [Number(ss), 's']].filter(([n]) => n > 0);
  return (minus ?? '') + (parts.length ? parts.map(([n, u]) => `${n}${u}`).join('') : '0s');
}
