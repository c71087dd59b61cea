// Volume rows (the API's lvs rows) as the fleet and host views show them.

/** COW use at which a store is shown as nearly full. */
export const cowWarnAt = 80;

/** The snapshot whose COW store is the fullest, or null. */
export function fullestCow(rows) {
  return rows.filter(r => r.data_percent !== null && r.data_percent !== undefined)
    .reduce((best, r) => (best === null || r.data_percent > best.data_percent ? r : best), null);
}

/** What the 10 lv_attr characters say, in words (LVM's meanings, as API.md lists them). */
export function describeAttr(attr) {
  const words = [];
  const type = { '-': 'plain volume', o: 'origin', O: 'origin, merge requested', s: 'snapshot', S: 'snapshot, merge requested' }[attr[0]];
  if (type) words.push(type);
  const state = { '-': 'inactive', a: 'active', I: 'invalid snapshot', m: 'merge failed' }[attr[4]];
  if (state) words.push(state);
  if (attr[5] === 'o') words.push('open');
  return words.join(', ');
}
