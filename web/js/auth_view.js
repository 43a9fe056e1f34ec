// The signed-out screen: one card with two tabs, "Sign in" and "Sign up".
//
// Only the active form is in the DOM, so the labels "Email" and "Password"
// (and the submit button's name) are unique on the page at any time. The
// tabs are ARIA tabs (role "tab", not "button"), so the one button named
// "Sign in" or "Sign up" is the submit button.
//
// Client-side checks (forms.js) mirror the server's limits; the server
// stays the authority, and its answers are put into words here: a taken
// email, wrong credentials, how long a rate limit lasts.
//
// Below the form, one "Continue with X" button per single-sign-on provider
// the server offers (GET /auth/providers); none when it offers none.

import * as api from './api.js';
import {h, replace, uid} from './dom.js';
import {describeError, fieldOfValidation} from './errors.js';
import {alertBox, checkEmail, checkName, checkPassword, LIMITS, textField} from './forms.js';
import {t} from './i18n.js';
import './i18n_people.js';
import {languageSelect} from './language_select.js';
import {getAuthProviders} from './people_api.js';

/**
 * Shows the auth screen in root.
 * options:
 *   mode        'signIn' (default) or 'signUp'
 *   notice      i18n key of an informational line ('auth.signedOut', 'auth.sessionEnded')
 *   onSignedIn  called as onSignedIn(user, {isNew}) after a successful sign-in
 *               (isNew false) or sign-up (isNew true: the first-run screen may follow)
 * Returns {unmount}.
 */
export function mountAuthView(root, {mode = 'signIn', notice = null, onSignedIn}) {
  const ids = {signIn: uid('tab-signin'), signUp: uid('tab-signup'), panel: uid('auth-panel')};
  const cleanups = [];
  let busy = false;
  let remembered = {email: '', password: ''}; // carried across a tab switch

  const tabs = {
    signIn: h('button', {type: 'button', role: 'tab', id: ids.signIn, class: 'auth-tab', 'aria-controls': ids.panel, i18n: 'auth.tab.signIn'}),
    signUp: h('button', {type: 'button', role: 'tab', id: ids.signUp, class: 'auth-tab', 'aria-controls': ids.panel, i18n: 'auth.tab.signUp'}),
  };
  const tablist = h('div', {role: 'tablist', class: 'auth-tabs', i18nAttrs: {'aria-label': 'auth.modes'}},
    tabs.signIn, tabs.signUp);
  const panel = h('div', {role: 'tabpanel', id: ids.panel, class: 'auth-panel'});
  const providers = h('div', {class: 'auth-providers', hidden: true});
  const providersController = new AbortController();
  cleanups.push(() => providersController.abort());

  for (const [key, tab] of Object.entries(tabs)) {
    tab.addEventListener('click', () => switchTo(key, {focus: 'field'}));
  }
  tablist.addEventListener('keydown', (event) => {
    const order = ['signIn', 'signUp'];
    const at = order.indexOf(mode);
    let next = null;
    if (event.key === 'ArrowRight') next = order[(at + 1) % order.length];
    else if (event.key === 'ArrowLeft') next = order[(at + order.length - 1) % order.length];
    else if (event.key === 'Home') next = order[0];
    else if (event.key === 'End') next = order[order.length - 1];
    if (next) {
      event.preventDefault();
      switchTo(next, {focus: 'tab'});
    }
  });

  const switcher = languageSelect();
  cleanups.push(switcher.destroy);

  const screen = h('main', {class: 'auth-screen'},
    h('div', {class: 'auth-shell'},
      h('header', {class: 'auth-brand'},
        h('img', {class: 'auth-logo', src: '/favicon.svg', alt: '', width: 64, height: 64}),
        h('h1', {class: 'auth-title', i18n: 'app.name'}),
        h('p', {class: 'auth-tagline', i18n: 'auth.tagline'})),
      h('section', {class: 'auth-card'}, tablist, panel, providers)),
    h('div', {class: 'auth-lang'}, switcher.el));

  replace(root, screen);
  renderForm();
  showProviders();

  // Local accounts work without this list, so any failure just leaves the
  // buttons out.
  async function showProviders() {
    let list;
    try {
      const answer = await getAuthProviders({signal: providersController.signal});
      list = answer && Array.isArray(answer.oidc) ? answer.oidc : [];
    } catch {
      return;
    }
    // Only our own start URLs (/auth/oidc/...): never a javascript: or foreign link.
    const usable = list.filter((p) => p && typeof p.name === 'string' && typeof p.startUrl === 'string' &&
      /^\/(?!\/)/.test(p.startUrl));
    if (usable.length === 0) return;
    replace(providers,
      h('div', {class: 'auth-divider'}, h('span', {i18n: 'profile.oidc.or'})),
      usable.map((p) => h('a', {
        class: 'btn btn-soft btn-lg w-100 auth-provider', href: p.startUrl,
        dataset: {provider: String(p.id || '')},
        i18n: 'profile.oidc.continueWith', i18nParams: {name: p.name},
        on: {click: (event) => { if (busy) event.preventDefault(); }},
      })));
    providers.hidden = false;
  }

  function switchTo(next, {focus}) {
    if (busy || next === mode) {
      if (focus === 'tab') tabs[next].focus();
      return;
    }
    mode = next;
    notice = null;
    renderForm();
    if (focus === 'tab') tabs[mode].focus();
  }

  function renderForm() {
    const signUp = mode === 'signUp';
    for (const [key, tab] of Object.entries(tabs)) {
      const selected = key === mode;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      tab.classList.toggle('active', selected);
    }
    panel.setAttribute('aria-labelledby', tabs[mode].id);

    const email = textField({
      name: 'email', labelKey: 'auth.email', type: 'email', autocomplete: 'username',
      inputmode: 'email', placeholderKey: 'auth.emailPlaceholder', value: remembered.email,
    });
    const password = textField({
      name: 'password', labelKey: 'auth.password', type: 'password',
      autocomplete: signUp ? 'new-password' : 'current-password',
      hintKey: signUp ? 'auth.passwordHint' : null, value: remembered.password,
    });
    const name = signUp ? textField({name: 'name', labelKey: 'auth.name', autocomplete: 'nickname', hintKey: 'auth.nameHint'}) : null;
    if (signUp) password.input.minLength = LIMITS.passwordMin; // a hint for password managers

    const spinner = h('span', {class: 'spinner-border spinner-border-sm me-2', 'aria-hidden': 'true', hidden: true});
    const submit = h('button', {type: 'submit', class: 'btn btn-primary btn-lg w-100 auth-submit'},
      spinner, h('span', {i18n: signUp ? 'auth.submit.signUp' : 'auth.submit.signIn'}));
    const messages = h('div', {class: 'auth-messages'},
      notice ? alertBox('info', notice, null, {role: 'status', extraClass: 'auth-alert'}) : null);
    // Busy feedback for screen readers; the button keeps its name ("Sign in").
    const status = h('div', {class: 'visually-hidden', role: 'status', 'aria-live': 'polite'});
    const fieldset = h('fieldset', {class: 'auth-fieldset'},
      signUp ? name.wrap : null, email.wrap, password.wrap, submit);
    const form = h('form', {class: 'auth-form', novalidate: true, 'aria-labelledby': tabs[mode].id},
      h('h2', {class: 'auth-heading', i18n: signUp ? 'auth.create' : 'auth.welcome'}),
      messages, fieldset, status,
      signUp ? h('p', {class: 'auth-terms', i18n: 'auth.terms'}) : null);

    const fields = {email, password, name};
    const checks = {
      email: () => checkEmail(email.input.value),
      password: () => checkPassword(password.input.value, {forSignUp: signUp}),
      name: () => (signUp ? checkName(name.input.value) : null),
    };
    let attempted = false; // after the first submit, re-check as the user types

    for (const [key, field] of Object.entries(fields)) {
      if (!field) continue;
      field.input.addEventListener('input', () => {
        if (key === 'email') remembered.email = email.input.value;
        if (key === 'password') remembered.password = password.input.value;
        if (attempted || field.input.classList.contains('is-invalid')) field.setError(checks[key]());
      });
      field.input.addEventListener('blur', () => {
        // Only judge a field once the user has typed something and moved on.
        if (field.input.value !== '') field.setError(checks[key]());
      });
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (busy) return;
      attempted = true;
      replace(messages);
      let firstInvalid = null;
      for (const key of ['name', 'email', 'password']) {
        if (!fields[key]) continue;
        const problem = checks[key]();
        fields[key].setError(problem);
        if (problem && !firstInvalid) firstInvalid = fields[key].input;
      }
      if (firstInvalid) {
        firstInvalid.focus();
        return;
      }

      const body = {email: email.input.value.trim(), password: password.input.value};
      if (signUp) body.name = name.input.value.trim();
      setBusy(true);
      try {
        const result = signUp ? await api.signUp(body) : await api.signIn(body);
        remembered = {email: '', password: ''};
        onSignedIn(result.user, {isNew: signUp});
      } catch (err) {
        setBusy(false);
        showError(err);
      }
    });

    function setBusy(on) {
      busy = on;
      fieldset.disabled = on;
      spinner.hidden = !on;
      form.setAttribute('aria-busy', String(on));
      for (const tab of Object.values(tabs)) tab.disabled = on;
      status.textContent = on ? t('auth.working') : '';
    }

    function showError(err) {
      if (!(err instanceof api.ApiError)) {
        replace(messages, alertBox('danger', 'error.unexpected', {status: '?'}, {extraClass: 'auth-alert'}));
        submit.focus();
        console.error(err);
        return;
      }
      if (signUp && err.status === 409) {
        email.setError('error.emailTaken');
        email.input.focus();
        return;
      }
      if (!signUp && err.status === 401) {
        replace(messages, alertBox('danger', 'error.badCredentials', null, {extraClass: 'auth-alert'}));
        password.input.focus();
        password.input.select();
        return;
      }
      if (err.status === 400) {
        const field = fieldOfValidation(err, signUp ? ['email', 'password', 'name'] : ['email', 'password']);
        const key = {
          email: 'valid.email.invalid', // the length was checked here already
          password: /at most/i.test(err.detail) ? 'valid.password.tooLong' : 'valid.password.tooShort',
          name: name && name.input.value.trim() === '' ? 'valid.name.required' : 'valid.name.tooLong',
        }[field];
        if (key) {
          fields[field].setError(key);
          fields[field].input.focus();
          return;
        }
      }
      const {key, params} = describeError(err);
      replace(messages, alertBox(err.status === 429 ? 'warning' : 'danger', key, params, {extraClass: 'auth-alert'}));
      submit.focus();
    }

    replace(panel, form);
    // Put the caret in the first empty field, except on touch screens where
    // that would throw the keyboard over the page unasked.
    if (!matchMedia('(pointer: coarse)').matches) {
      const first = [name, email, password].find((f) => f && f.input.value === '') || email;
      first.input.focus();
    }
  }

  return {
    unmount() {
      for (const fn of cleanups) fn();
    },
  };
}
