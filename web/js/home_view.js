// The signed-in screen: a top bar that says who is signed in (avatar, name,
// email) with the "Sign out" button, and a profile card where the user edits
// their name and status message (PATCH /api/v1/me).
//
// The later messenger UI (friends, chats, rooms) takes the space below the
// top bar; topBar() and profileCard() are separate so it can keep them.

import * as api from './api.js';
import {avatar, updateAvatar} from './avatar.js';
import {breakable, codePointLength, h, replace, setText, uid} from './dom.js';
import {describeError, fieldOfValidation} from './errors.js';
import {alertBox, checkName, checkStatus, LIMITS, textField} from './forms.js';
import {formatDate, onLanguageChange, t} from './i18n.js';
import {languageSelect} from './language_select.js';

const SAVED_NOTICE_MS = 4000; // long enough to read "Profile saved." twice

function logo() {
  return h('img', {class: 'brand-logo', src: '/favicon.svg', alt: '', width: 28, height: 28});
}

function spinner() {
  return h('span', {class: 'spinner-border spinner-border-sm me-2', 'aria-hidden': 'true', hidden: true});
}

/**
 * Shows the signed-in screen in root.
 * options: user (the signed-in User), onSignedOut() after a successful sign-out,
 *          onUserChange(user) after the profile changed.
 * Returns {unmount, setUser}.
 */
export function mountHomeView(root, {user, onSignedOut, onUserChange = () => {}}) {
  const cleanups = [];
  const alerts = h('div', {class: 'home-alerts', 'aria-live': 'polite'});

  const bar = topBar({onSignOut: signOut});
  const card = profileCard({onSave: save});
  const welcome = h('h1', {class: 'home-welcome'});
  const switcher = languageSelect();
  cleanups.push(switcher.destroy, card.destroy);

  const screen = h('div', {class: 'home-screen'},
    bar.el,
    h('main', {class: 'home-main'},
      h('div', {class: 'home-column'},
        alerts,
        h('section', {class: 'home-intro'},
          welcome,
          h('p', {class: 'home-lead', i18n: 'home.comingSoon'})),
        card.el,
        h('footer', {class: 'home-footer'}, switcher.el))));

  replace(root, screen);
  render();
  cleanups.push(onLanguageChange(render)); // dates and the welcome line carry parameters

  function render() {
    bar.setUser(user);
    card.setUser(user);
    welcome.dataset.i18n = 'home.welcome';
    welcome.dataset.i18nParams = JSON.stringify({name: user.name});
    setText(welcome, t('home.welcome', {name: user.name}));
  }

  async function signOut() {
    replace(alerts);
    bar.setBusy(true);
    try {
      await api.signOut();
      onSignedOut();
    } catch (err) {
      bar.setBusy(false);
      const {key, params} = describeError(err);
      replace(alerts, alertBox('danger', key, params));
    }
  }

  /** PATCHes the profile and shows the answer; throws ApiError when refused. */
  async function save(changes) {
    user = await api.updateMe(changes);
    render();
    onUserChange(user);
  }

  return {
    setUser(next) {
      user = next;
      render();
    },
    unmount() {
      for (const fn of cleanups) fn();
    },
  };
}

/** The top bar: brand, who is signed in, and the "Sign out" button. */
export function topBar({onSignOut}) {
  const av = avatar(null, {size: 'sm'});
  const name = h('span', {class: 'who-name'});
  const email = h('span', {class: 'who-email'});
  const busy = spinner();
  const signOutButton = h('button', {type: 'button', class: 'btn btn-sm btn-signout', on: {click: onSignOut}},
    busy, h('span', {i18n: 'home.signOut'}));
  const el = h('header', {class: 'topbar'},
    h('div', {class: 'topbar-inner'},
      h('a', {class: 'brand', href: '/'}, logo(), h('span', {class: 'brand-name', i18n: 'app.name'})),
      h('div', {class: 'topbar-user'},
        av,
        h('div', {class: 'who'},
          h('span', {class: 'visually-hidden', i18n: 'home.signedInAs'}),
          name, email)),
      signOutButton));
  return {
    el,
    setUser(user) {
      updateAvatar(av, user);
      setText(name, user.name);
      setText(email, user.email || '');
      email.hidden = !user.email;
    },
    setBusy(on) {
      signOutButton.disabled = on;
      busy.hidden = !on;
    },
  };
}

/**
 * The profile card: shows the picture, name, status message and email, and
 * edits name and status message in place. onSave(changes) does the PATCH and
 * throws ApiError on refusal.
 */
export function profileCard({onSave}) {
  let user = null;
  let editing = false;
  const headingId = uid('profile-heading');
  const av = avatar(null, {size: 'lg'});
  const nameEl = h('p', {class: 'profile-name'});
  const statusEl = h('p', {class: 'profile-status'});
  const emailEl = h('p', {class: 'profile-email'});
  const joinedEl = h('p', {class: 'profile-joined'});
  const savedNote = h('div', {class: 'profile-saved', role: 'status'});
  const editButton = h('button', {type: 'button', class: 'btn btn-soft btn-sm profile-edit', on: {click: () => startEditing()}},
    h('span', {i18n: 'home.edit'}));
  const display = h('div', {class: 'profile-display'}, nameEl, statusEl, emailEl, joinedEl, editButton);
  const body = h('div', {class: 'profile-body'}, display);
  const el = h('section', {class: 'profile-card', 'aria-labelledby': headingId},
    h('div', {class: 'profile-cover'},
      h('h2', {id: headingId, class: 'profile-heading', i18n: 'home.myProfile'})),
    h('div', {class: 'profile-avatar'}, av),
    body,
    savedNote);
  let savedTimer = 0;

  function renderDisplay() {
    updateAvatar(av, user);
    setText(nameEl, user.name);
    if (user.statusMessage) {
      delete statusEl.dataset.i18n;
      statusEl.classList.remove('is-empty');
      setText(statusEl, user.statusMessage);
    } else {
      statusEl.dataset.i18n = 'home.noStatus';
      statusEl.classList.add('is-empty');
      setText(statusEl, t('home.noStatus'));
    }
    replace(emailEl, breakable(user.email || ''));
    emailEl.hidden = !user.email;
    const date = formatDate(user.createdAt);
    joinedEl.hidden = !date;
    setText(joinedEl, date ? t('home.joined', {date}) : '');
  }

  function counter(input, max) {
    const out = h('span', {class: 'field-counter', 'aria-hidden': 'true'});
    const update = () => {
      const n = codePointLength(input.value.trim());
      setText(out, t('home.counter', {count: n, max}));
      out.classList.toggle('is-over', n > max);
    };
    input.addEventListener('input', update);
    update();
    return out;
  }

  function startEditing() {
    if (editing) return;
    editing = true;
    setText(savedNote, '');
    const name = textField({name: 'name', labelKey: 'home.name', autocomplete: 'nickname', value: user.name});
    const status = textField({
      name: 'statusMessage', labelKey: 'home.status', autocomplete: 'off',
      placeholderKey: 'home.statusPlaceholder', value: user.statusMessage || '',
    });
    name.wrap.querySelector('label').after(counter(name.input, LIMITS.nameMax));
    status.wrap.querySelector('label').after(counter(status.input, LIMITS.statusMax));
    for (const f of [name, status]) f.wrap.classList.add('field-with-counter');
    const errorBox = h('div', {class: 'profile-error'});
    const busy = spinner();
    const saveButton = h('button', {type: 'submit', class: 'btn btn-primary'}, busy, h('span', {i18n: 'home.save'}));
    const cancelButton = h('button', {type: 'button', class: 'btn btn-soft', on: {click: () => stopEditing()}},
      h('span', {i18n: 'home.cancel'}));
    const fieldset = h('fieldset', {}, name.wrap, status.wrap,
      h('div', {class: 'profile-actions'}, cancelButton, saveButton));
    const form = h('form', {class: 'profile-form', novalidate: true}, errorBox, fieldset);
    const checks = {name: () => checkName(name.input.value), statusMessage: () => checkStatus(status.input.value)};
    const fields = {name, statusMessage: status};
    for (const [key, field] of Object.entries(fields)) {
      field.input.addEventListener('input', () => field.setError(checks[key]()));
    }
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !fieldset.disabled) {
        event.preventDefault();
        stopEditing();
      }
    });

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      replace(errorBox);
      let firstInvalid = null;
      for (const [key, field] of Object.entries(fields)) {
        const problem = checks[key]();
        field.setError(problem);
        if (problem && !firstInvalid) firstInvalid = field.input;
      }
      if (firstInvalid) {
        firstInvalid.focus();
        return;
      }
      const changes = {};
      const newName = name.input.value.trim();
      const newStatus = status.input.value.trim();
      if (newName !== user.name) changes.name = newName;
      if (newStatus !== (user.statusMessage || '')) changes.statusMessage = newStatus;
      if (Object.keys(changes).length === 0) {
        stopEditing();
        return;
      }
      fieldset.disabled = true;
      busy.hidden = false;
      try {
        await onSave(changes);
        stopEditing({saved: true});
      } catch (err) {
        fieldset.disabled = false;
        busy.hidden = true;
        if (err instanceof api.ApiError && err.status === 401) return; // the app shows the sign-in screen
        if (err instanceof api.ApiError && err.status === 400) {
          const field = fieldOfValidation(err, ['name', 'statusMessage']);
          if (field) {
            fields[field].setError(field === 'name' ? 'valid.name.tooLong' : 'valid.status.tooLong');
            fields[field].input.focus();
            return;
          }
        }
        const {key, params} = describeError(err);
        replace(errorBox, alertBox('danger', key, params));
        saveButton.focus();
      }
    });

    replace(body, form);
    name.input.focus();
  }

  function stopEditing({saved = false} = {}) {
    editing = false;
    renderDisplay();
    replace(body, display);
    editButton.focus();
    if (saved) {
      savedNote.dataset.i18n = 'home.saved';
      setText(savedNote, t('home.saved'));
      clearTimeout(savedTimer);
      savedTimer = setTimeout(() => {
        delete savedNote.dataset.i18n;
        setText(savedNote, '');
      }, SAVED_NOTICE_MS);
    }
  }

  return {
    el,
    setUser(next) {
      user = next;
      if (!editing) renderDisplay();
    },
    destroy() {
      clearTimeout(savedTimer);
    },
  };
}
