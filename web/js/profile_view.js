// The "Profile" screen: my picture (change or remove it), my name and
// status message (saved with PATCH /me), my account's email and join date,
// the language, and "Sign out".

import './i18n_people.js';
import * as api from './api.js';
import {avatarPicker} from './avatar_picker.js';
import {breakable, h, replace, setText, uid} from './dom.js';
import {describeError, fieldOfValidation} from './errors.js';
import {alertBox} from './forms.js';
import {formatDate, onLanguageChange} from './i18n.js';
import {icon} from './icons.js';
import {languageSelect} from './language_select.js';
import {profileFields} from './profile_fields.js';

const SAVED_NOTICE_MS = 4000; // long enough to read "Profile saved." twice

/** Mounts the screen into container; ctx is the shell's. Returns {unmount}. */
export function mountProfileView(container, ctx) {
  const cleanups = [];
  let savedTimer = 0;

  // PATCH /me, then tell the shell; the picker and this screen follow.
  async function update(changes) {
    const user = await api.updateMe(changes);
    ctx.setUser(user);
    picker.setUser(user);
    renderAccount();
    return user;
  }

  const picker = avatarPicker({
    user: ctx.user,
    onUploaded: (image) => update({avatarImageId: image.id}),
    onRemove: () => update({avatarImageId: null}),
  });
  cleanups.push(() => picker.destroy());

  const fields = profileFields(ctx.user);
  const spinner = h('span', {class: 'spinner-border spinner-border-sm me-2', 'aria-hidden': 'true', hidden: true});
  const saveButton = h('button', {type: 'submit', class: 'btn btn-primary myprofile-save'}, spinner, h('span', {i18n: 'profile.save'}));
  const formMessage = h('div', {class: 'myprofile-message', 'aria-live': 'polite'});
  const fieldset = h('fieldset', {class: 'myprofile-fieldset'}, fields.wrap,
    h('div', {class: 'myprofile-actions'}, formMessage, saveButton));
  const formHeadingId = uid('profile-form-heading');
  const form = h('form', {class: 'myprofile-card myprofile-form', novalidate: true, 'aria-labelledby': formHeadingId},
    h('h2', {id: formHeadingId, class: 'visually-hidden', i18n: 'profile.title'}),
    fieldset);

  const emailValue = h('dd', {class: 'myprofile-value'});
  const joinedValue = h('dd', {class: 'myprofile-value'});
  const switcher = languageSelect();
  cleanups.push(switcher.destroy);
  const signOutSpinner = h('span', {class: 'spinner-border spinner-border-sm me-2', 'aria-hidden': 'true', hidden: true});
  const signOutButton = h('button', {type: 'button', class: 'btn btn-outline-danger myprofile-signout'},
    signOutSpinner, icon('signOut', {size: 18}), h('span', {i18n: 'profile.signOut'}));
  const signOutMessage = h('div', {class: 'myprofile-message'});
  const accountHeadingId = uid('account-heading');
  const settingsHeadingId = uid('settings-heading');

  const screen = h('div', {class: 'people-screen myprofile-screen'},
    h('header', {class: 'people-header'}, h('h1', {class: 'people-title', i18n: 'profile.title'})),
    h('section', {class: 'myprofile-card myprofile-photo'}, picker.el),
    form,
    h('section', {class: 'myprofile-card', 'aria-labelledby': accountHeadingId},
      h('h2', {id: accountHeadingId, class: 'myprofile-card-title', i18n: 'profile.account'}),
      h('dl', {class: 'myprofile-facts'},
        h('div', {class: 'myprofile-fact'}, h('dt', {i18n: 'profile.email'}), emailValue),
        h('div', {class: 'myprofile-fact'}, h('dt', {i18n: 'profile.joined'}), joinedValue))),
    h('section', {class: 'myprofile-card', 'aria-labelledby': settingsHeadingId},
      h('h2', {id: settingsHeadingId, class: 'myprofile-card-title', i18n: 'profile.settings'}),
      h('div', {class: 'myprofile-setting'}, h('span', {class: 'myprofile-setting-name', 'aria-hidden': 'true', i18n: 'profile.language'}), switcher.el)),
    h('div', {class: 'myprofile-signout-wrap'}, signOutMessage, signOutButton));
  replace(container, screen);
  renderAccount();
  cleanups.push(onLanguageChange(renderAccount)); // the join date is formatted per language

  function renderAccount() {
    const user = ctx.user;
    replace(emailValue, breakable(user.email || ''));
    setText(joinedValue, formatDate(user.createdAt));
  }

  function say(kind, key, params) {
    clearTimeout(savedTimer);
    if (!key) {
      replace(formMessage);
    } else if (kind === 'ok') {
      replace(formMessage, h('span', {class: 'myprofile-saved', role: 'status', i18n: key}));
      savedTimer = setTimeout(() => replace(formMessage), SAVED_NOTICE_MS);
    } else {
      replace(formMessage, alertBox(kind, key, params, {extraClass: 'myprofile-alert'}));
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    say(null);
    const invalid = fields.check();
    if (invalid) {
      invalid.focus();
      return;
    }
    const changes = fields.changes(ctx.user);
    if (Object.keys(changes).length === 0) {
      say('ok', 'profile.saved');
      return;
    }
    fieldset.disabled = true;
    spinner.hidden = false;
    try {
      const user = await update(changes);
      fields.name.input.value = user.name;
      fields.status.input.value = user.statusMessage || '';
      say('ok', 'profile.saved');
    } catch (err) {
      if (err instanceof api.ApiError && err.status === 401) return; // the app shows the sign-in screen
      if (err instanceof api.ApiError && err.status === 400 && fields.showServerError(err, fieldOfValidation)) return;
      const {key, params} = describeError(err);
      say('danger', key, params);
    } finally {
      fieldset.disabled = false;
      spinner.hidden = true;
    }
  });

  signOutButton.addEventListener('click', async () => {
    signOutButton.disabled = true;
    signOutSpinner.hidden = false;
    replace(signOutMessage);
    try {
      await ctx.signOut();
    } catch (err) {
      if (!screen.isConnected) return;
      signOutButton.disabled = false;
      signOutSpinner.hidden = true;
      const {key, params} = describeError(err);
      replace(signOutMessage, alertBox('danger', key, params));
    }
  });

  return {
    unmount() {
      clearTimeout(savedTimer);
      for (const fn of cleanups) fn();
    },
  };
}
