// Entry point. Sets the language and colour scheme, asks the server whether
// someone is signed in, and shows the matching screen: the auth screen, the
// first-run profile (right after a sign-up), or the messenger. Views are mounted into #app one at a time; each
// returns {unmount} so that the next one starts clean (later views hold
// STOMP subscriptions that must be released).

import * as api from './api.js';
import {mountAuthView} from './auth_view.js';
import {h, replace} from './dom.js';
import {describeError} from './errors.js';
import {applyLanguage} from './i18n.js';
import {mountMessengerView} from './messenger_view.js';

const root = document.getElementById('app');
const state = {user: null, view: null};

function show(mount, options) {
  if (state.view) state.view.unmount();
  state.view = null;
  window.scrollTo(0, 0);
  state.view = mount(root, options);
  root.setAttribute('aria-busy', 'false');
}

function showAuth({notice = null, mode = 'signIn'} = {}) {
  state.user = null;
  show(mountAuthView, {mode, notice, onSignedIn});
}

function onSignedIn(user, {isNew = false} = {}) {
  if (!isNew) {
    showHome(user);
    return;
  }
  // A new account first gets its name and picture.
  state.user = user;
  import('./first_run_view.js').then(
    ({mountFirstRunView}) => show(mountFirstRunView, {user, onDone: showHome}),
    (err) => {
      console.warn('first-run profile unavailable', err);
      showHome(user);
    });
}

function showHome(user) {
  state.user = user;
  show(mountMessengerView, {
    user,
    onSignedOut: () => showAuth({notice: 'auth.signedOut'}),
    onSessionEnded: () => showAuth({notice: 'auth.sessionEnded'}),
    onSessionChanged: start, // signed in as someone else in another tab: follow the session
    onUserChange: (next) => { state.user = next; },
  });
}

function showStartError(err) {
  if (state.view) state.view.unmount();
  state.view = null;
  const {key, params} = describeError(err);
  const retry = h('button', {type: 'button', class: 'btn btn-primary', on: {click: start}},
    h('span', {i18n: 'app.retry'}));
  replace(root,
    h('main', {class: 'start-error'},
      h('img', {class: 'auth-logo', src: '/favicon.svg', alt: '', width: 64, height: 64}),
      h('h1', {class: 'h4', i18n: 'app.cannotStart'}),
      h('p', {class: 'text-body-secondary', role: 'alert', i18n: key, i18nParams: params}),
      retry));
  root.setAttribute('aria-busy', 'false');
  retry.focus();
}

async function start() {
  root.setAttribute('aria-busy', 'true');
  try {
    const session = await api.getSession();
    if (session && session.user) showHome(session.user);
    else showAuth();
  } catch (err) {
    console.error('session check failed', err);
    showStartError(err);
  }
}

// Bootstrap 5.3 colour modes follow the system setting: the page is light or
// dark as the device is, and switches live when the device does.
function followColourScheme() {
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const apply = () => document.documentElement.setAttribute('data-bs-theme', dark.matches ? 'dark' : 'light');
  apply();
  dark.addEventListener('change', apply);
}

// The session ended under us (signed out in another tab, revoked, expired):
// back to the sign-in screen, saying why.
api.onUnauthenticated(() => {
  if (state.user) showAuth({notice: 'auth.sessionEnded'});
});

// Coming back to the tab: another tab may have signed out, or in as someone
// else. Check quietly and follow the session.
document.addEventListener('visibilitychange', async () => {
  if (document.visibilityState !== 'visible' || root.getAttribute('aria-busy') === 'true') return;
  let session;
  try {
    session = await api.getSession();
  } catch {
    return; // offline for a moment: keep the screen as it is
  }
  const now = session && session.user;
  if (!now && state.user) showAuth({notice: 'auth.sessionEnded'});
  else if (now && (!state.user || now.id !== state.user.id)) showHome(now);
});

followColourScheme();
applyLanguage();
start();
