// The dashboard: the login gate, the navigation and the hash router. Nothing but the login form
// exists in the page until the node has accepted the token.
import { h } from './dom.js';
import { get, token, onUnauthorized, ApiError } from './api.js';
import * as fleet from './views/fleet.js';
import * as host from './views/host.js';
import * as campaigns from './views/campaigns.js';
import * as campaign from './views/campaign.js';
import * as policies from './views/policies.js';

const routes = [
  { pattern: /^#\/fleet$/, view: fleet, nav: 'fleet' },
  { pattern: /^#\/hosts\/([^/]+)$/, view: host, nav: 'fleet' },
  { pattern: /^#\/campaigns$/, view: campaigns, nav: 'campaigns' },
  { pattern: /^#\/campaigns\/([^/]+)$/, view: campaign, nav: 'campaigns' },
  { pattern: /^#\/policies$/, view: policies, nav: 'policies' },
];

const loginSection = document.getElementById('login');
const loginForm = document.getElementById('login-form');
const loginError = document.getElementById('login-error');
const tokenInput = document.getElementById('token');
const viewRoot = document.getElementById('view');
const session = document.getElementById('session');
const announcer = document.getElementById('announcer');

let current = null; // { controller } of the mounted view
let nodeInfo = null;

export function announce(text) {
  announcer.textContent = '';
  // A fresh text node after a tick is read even when the same words come twice.
  setTimeout(() => { announcer.textContent = text; }, 50);
}

function showLogin(message = '') {
  current?.controller.abort();
  current = null;
  nodeInfo = null;
  viewRoot.hidden = true;
  viewRoot.replaceChildren();
  session.replaceChildren();
  loginSection.hidden = false;
  loginError.textContent = message;
  document.title = 'Sign in — FleetMerge';
  tokenInput.value = '';
  tokenInput.focus();
}

async function accept(candidate) {
  // GET /node answers only with the right token: the gate for everything else.
  nodeInfo = await get('/node', { explicitToken: candidate });
  token.set(candidate);
  loginSection.hidden = true;
  loginError.textContent = '';
  renderSession();
  viewRoot.hidden = false;
  if (!routeOf(location.hash)) history.replaceState(null, '', '#/fleet');
  route(true);
}

function renderSession() {
  const nav = h('nav', { 'aria-label': 'Main' }, h('ul', {},
    ['fleet', 'campaigns', 'policies'].map(name => h('li', {}, h('a', { href: `#/${name}`, 'data-nav': name }, name[0].toUpperCase() + name.slice(1))))));
  const logout = h('button', { type: 'button', class: 'secondary', on: { click: () => { token.clear(); showLogin(); } } }, 'Sign out');
  session.replaceChildren(nav, h('p', { class: 'node' }, `Node ${nodeInfo?.cluster?.self_address ?? ''}`), logout);
}

function routeOf(hash) {
  for (const r of routes) {
    const m = r.pattern.exec(hash);
    if (m) return { ...r, params: m.slice(1).map(decodeURIComponent) };
  }
  return null;
}

function route(initial = false) {
  if (!token.get() || loginSection.hidden === false) return;
  const r = routeOf(location.hash);
  if (!r) { location.hash = '#/fleet'; return; }
  current?.controller.abort();
  const controller = new AbortController();
  current = { controller };
  for (const a of session.querySelectorAll('[data-nav]')) {
    if (a.getAttribute('data-nav') === r.nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  viewRoot.replaceChildren();
  r.view.mount(viewRoot, r.params, {
    signal: controller.signal,
    node: nodeInfo,
    announce,
    navigate: hash => { location.hash = hash; },
    setTitle: title => { document.title = `${title} — FleetMerge`; },
  });
  // Moving to a new view puts the focus on its heading, so a screen reader starts there.
  if (!initial) viewRoot.querySelector('h1')?.focus();
}

onUnauthorized(() => {
  token.clear();
  showLogin('The node no longer accepts this token. Sign in again.');
});

loginForm.addEventListener('submit', async event => {
  event.preventDefault();
  const candidate = tokenInput.value.trim();
  if (!candidate) { loginError.textContent = 'Enter the API token.'; tokenInput.focus(); return; }
  loginError.textContent = '';
  try {
    await accept(candidate);
  } catch (e) {
    token.clear();
    loginError.textContent = e instanceof ApiError && e.status === 401
      ? 'Wrong token: the node refused it.'
      : `Cannot sign in: ${e.message}`;
    tokenInput.select();
  }
});

window.addEventListener('hashchange', () => route());

if (token.get()) {
  accept(token.get()).catch(() => showLogin('The saved token is no longer accepted. Sign in again.'));
} else {
  showLogin();
}
