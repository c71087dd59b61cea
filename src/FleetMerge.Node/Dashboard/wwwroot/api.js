// The node's API as the page uses it: the token from the login form (kept in sessionStorage, sent
// as a bearer header on every call, never in a URL), JSON calls, and server-sent event streams
// read with fetch() (EventSource cannot send the header).

const TOKEN_KEY = 'fleetmerge-token';
export const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

let unauthorized = () => {};

/** What to do when the node stops accepting the token (it was rotated, or the node is another one). */
export function onUnauthorized(fn) { unauthorized = fn; }

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: value => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

function headers(extra = {}, explicitToken = null) {
  return { Authorization: `Bearer ${explicitToken ?? token.get() ?? ''}`, Accept: 'application/json', ...extra };
}

async function failure(response) {
  let message = `HTTP ${response.status}`;
  try { message = (await response.json()).error ?? message; } catch { /* not JSON */ }
  return new ApiError(response.status, message);
}

/** A JSON call; a refusal throws ApiError with the node's one-line message. */
export async function call(method, path, body, { explicitToken = null, signal } = {}) {
  let response;
  try {
    response = await fetch(API + path, {
      method,
      headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }, explicitToken),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, `the node did not answer (${e.message})`);
  }
  if (response.status === 401 && explicitToken === null) unauthorized();
  if (!response.ok) throw await failure(response);
  return response.status === 204 ? null : response.json();
}

export const get = (path, options) => call('GET', path, undefined, options);
export const post = (path, body, options) => call('POST', path, body, options);
export const del = (path, options) => call('DELETE', path, undefined, options);

/** Path segment: ids and names go into URLs escaped. */
export const seg = encodeURIComponent;

/**
 * Reads one text/event-stream response: onEvent(data) per `data:` event; an `event: error`
 * throws. Resolves when the server ends the stream.
 */
async function readStream(path, onEvent, signal) {
  let response;
  try {
    response = await fetch(API + path, { headers: headers({ Accept: 'text/event-stream' }), signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, `the node did not answer (${e.message})`);
  }
  if (response.status === 401) unauthorized();
  if (!response.ok) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length === 0) continue;
      const parsed = JSON.parse(data.join('\n'));
      if (event === 'error') throw new ApiError(500, parsed.error ?? 'the stream failed');
      onEvent(parsed);
    }
  }
}

/**
 * A live view: calls onData with every state the stream sends. An endless stream (a list) is
 * reopened after a pause when it ends or fails; a finite one (a campaign) stops when the server
 * ends it. onStatus('live' | 'reconnecting' | 'over', message) says which, for the page to show.
 * Stops when the signal aborts (the view was left).
 */
export async function live(path, onData, { signal, endless = true, onStatus = () => {} } = {}) {
  while (!signal.aborted) {
    try {
      let first = true;
      await readStream(path, data => { if (first) { onStatus('live'); first = false; } onData(data); }, signal);
      if (!endless) { onStatus('over'); return; }
      onStatus('reconnecting', 'the stream ended');
    } catch (e) {
      if (e.name === 'AbortError' || signal.aborted) return;
      if (e.status === 401) return;
      if (e.status === 404 || e.status === 400) { onStatus('error', e.message); return; }
      onStatus('reconnecting', e.message);
    }
    await new Promise(resolve => { const t = setTimeout(resolve, 1000); signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true }); });
  }
}
