// "Set up your profile": shown once, right after sign-up. A picture (with
// preview and progress), the name as signed up (editable) and an optional
// status message. "Continue" saves what changed; "Skip for now" leaves it
// all as it is. Either way onDone(user) takes over.

import './i18n_people.js';
import * as api from './api.js';
import {avatarPicker} from './avatar_picker.js';
import {h, replace, uid} from './dom.js';
import {describeError, fieldOfValidation} from './errors.js';
import {alertBox} from './forms.js';
import {profileFields} from './profile_fields.js';

/**
 * Shows the screen in root. options: user (the new User), onDone(user)
 * with the User as saved (or unchanged after "Skip for now").
 * Returns {unmount}.
 */
export function mountFirstRunView(root, {user, onDone}) {
  let current = user;
  let finished = false;

  // The picture is uploaded at once but saved with the rest on "Continue".
  let pickedImage;
  const picker = avatarPicker({
    user: current,
    onUploaded: async (image) => { pickedImage = image; },
    onRemove: async () => { pickedImage = null; },
    doneKeys: null,
  });

  const fields = profileFields(current, {optionalStatus: true});
  const spinner = h('span', {class: 'spinner-border spinner-border-sm me-2', 'aria-hidden': 'true', hidden: true});
  const continueButton = h('button', {type: 'submit', class: 'btn btn-primary btn-lg w-100'}, spinner, h('span', {i18n: 'profile.continue'}));
  const skipButton = h('button', {type: 'button', class: 'btn btn-link setup-skip', i18n: 'profile.skip'});
  const messages = h('div', {class: 'setup-messages'});
  const fieldset = h('fieldset', {class: 'setup-fieldset'}, fields.wrap, continueButton);
  const headingId = uid('setup-heading');
  const form = h('form', {class: 'setup-form', novalidate: true, 'aria-labelledby': headingId}, messages, fieldset);

  const screen = h('main', {class: 'setup-screen'},
    h('section', {class: 'setup-card', 'aria-labelledby': headingId},
      h('h1', {id: headingId, class: 'setup-title', i18n: 'profile.setupTitle'}),
      h('p', {class: 'setup-lead', i18n: 'profile.setupLead'}),
      picker.el,
      form,
      skipButton));
  replace(root, screen);
  if (!matchMedia('(pointer: coarse)').matches) fields.status.input.focus();

  skipButton.addEventListener('click', () => finish(current));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (picker.busy()) return; // the upload finishes first; its button shows progress
    replace(messages);
    const invalid = fields.check();
    if (invalid) {
      invalid.focus();
      return;
    }
    const changes = fields.changes(current);
    if (pickedImage !== undefined) {
      const now = current.avatar ? current.avatar.id : null;
      const next = pickedImage ? pickedImage.id : null;
      if (next !== now) changes.avatarImageId = next;
    }
    if (Object.keys(changes).length === 0) {
      finish(current);
      return;
    }
    setBusy(true);
    try {
      current = await api.updateMe(changes);
      finish(current);
    } catch (err) {
      setBusy(false);
      if (err instanceof api.ApiError && err.status === 401) return; // the app shows the sign-in screen
      if (err instanceof api.ApiError && err.status === 400 && fields.showServerError(err, fieldOfValidation)) return;
      const {key, params} = describeError(err);
      replace(messages, alertBox('danger', key, params));
      continueButton.focus();
    }
  });

  function setBusy(on) {
    fieldset.disabled = on;
    skipButton.disabled = on;
    spinner.hidden = !on;
    form.setAttribute('aria-busy', String(on));
  }

  function finish(next) {
    if (finished) return;
    finished = true;
    picker.destroy();
    onDone(next);
  }

  return {
    unmount() {
      picker.destroy();
    },
  };
}
