// The profile picture with "Change photo" and "Remove photo", shared by the
// profile screen and the first-run screen. A picked file shows at once as a
// preview, uploads with a visible progress bar (upload.js), and is handed to
// the caller (onUploaded) to PATCH /me now or keep for later. Errors are put
// into words here: too big, not a picture, the network.

import './i18n_people.js';
import {ApiError} from './api.js';
import {avatar, updateAvatar} from './avatar.js';
import {h, replace, uid} from './dom.js';
import {describeError} from './errors.js';
import {alertBox} from './forms.js';
import {icon} from './icons.js';
import {IMAGE_TYPES, MAX_IMAGE_BYTES, uploadImage} from './upload.js';

function uploadErrorKey(err) {
  if (err instanceof ApiError && err.status === 413) return {key: 'profile.photoTooBig', params: {}};
  if (err instanceof ApiError && err.status === 415) return {key: 'profile.photoUnsupported', params: {}};
  return describeError(err);
}

/**
 * options:
 *   user         whose picture (and initial) to show
 *   onUploaded   async (image) => void: called with the stored Image; a throw
 *                (ApiError) is shown and the picture goes back
 *   onRemove     async () => void, or null for no "Remove photo"
 *   doneKeys     {uploaded, removed}: what to say after each, or null to say
 *                nothing (the first-run screen saves only on "Continue")
 * Returns {el, setUser(user), busy() -> boolean, destroy()}.
 */
export function avatarPicker({user, onUploaded, onRemove = null, doneKeys = {uploaded: 'profile.photoUpdated', removed: 'profile.photoRemoved'}}) {
  let shown = user; // the user as pictured: their avatar, or the one just uploaded
  let busy = false;
  let controller = null;
  let previewUrl = null;

  const inputId = uid('avatar-file');
  const picture = avatar(shown, {size: 'lg'});
  picture.classList.add('avatar-xl');
  const input = h('input', {id: inputId, type: 'file', accept: IMAGE_TYPES.join(',') + ',image/*', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true'});
  const changeButton = h('button', {type: 'button', class: 'btn btn-soft btn-sm avatar-picker-change'},
    icon('camera', {size: 18}), h('span', {i18n: 'profile.changePhoto'}));
  const removeButton = onRemove
    ? h('button', {type: 'button', class: 'btn btn-link btn-sm avatar-picker-remove', i18n: 'profile.removePhoto'})
    : null;
  const bar = h('div', {class: 'progress-bar'});
  const progress = h('div', {
    class: 'progress avatar-picker-progress', role: 'progressbar', hidden: true,
    'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0',
    i18nAttrs: {'aria-label': 'profile.uploading'},
  }, bar);
  const message = h('div', {class: 'avatar-picker-message', 'aria-live': 'polite'});
  // The picture itself opens the file chooser too, for the pointer; the
  // keyboard and screen readers have the "Change photo" button.
  const frame = h('div', {class: 'avatar-picker-frame', on: {click: () => { if (!busy) input.click(); }}},
    picture, h('span', {class: 'avatar-picker-badge', 'aria-hidden': 'true'}, icon('camera', {size: 16})));
  const el = h('div', {class: 'avatar-picker'},
    frame,
    h('div', {class: 'avatar-picker-actions'}, changeButton, removeButton),
    progress, message, input);

  changeButton.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    input.value = ''; // picking the same file again must fire 'change' again
    if (file) upload(file);
  });
  if (removeButton) removeButton.addEventListener('click', remove);
  render();

  function render() {
    if (!previewUrl) updateAvatar(picture, shown);
    if (removeButton) removeButton.hidden = !(shown && shown.avatar);
    changeButton.disabled = busy;
    if (removeButton) removeButton.disabled = busy;
    el.classList.toggle('is-busy', busy);
  }

  function setProgress(fraction) {
    const percent = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    bar.style.width = `${percent}%`; // CSSOM, which the CSP allows (no style attribute)
    progress.setAttribute('aria-valuenow', String(percent));
  }

  function say(kind, key, params) {
    if (!key) replace(message);
    else if (kind === 'ok') replace(message, h('span', {class: 'avatar-picker-ok', i18n: key, i18nParams: params || {}}));
    else replace(message, alertBox(kind, key, params, {extraClass: 'avatar-picker-alert'}));
  }

  function showPreview(file) {
    previewUrl = URL.createObjectURL(file);
    picture.classList.add('avatar-has-image');
    picture.replaceChildren(h('img', {src: previewUrl, alt: ''}));
  }

  function dropPreview() {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = null;
  }

  async function upload(file) {
    if (busy) return;
    say(null);
    // Checked here only to answer at once; the server decodes and decides.
    if (file.type && !IMAGE_TYPES.includes(file.type)) {
      say('danger', 'profile.photoUnsupported');
      return;
    }
    if (file.size > MAX_IMAGE_BYTES) {
      say('danger', 'profile.photoTooBig');
      return;
    }
    busy = true;
    showPreview(file);
    picture.classList.add('is-uploading');
    setProgress(0);
    progress.hidden = false;
    render();
    controller = new AbortController();
    try {
      const image = await uploadImage(file, {onProgress: setProgress, signal: controller.signal});
      await onUploaded(image);
      shown = {...shown, avatar: image};
      if (doneKeys) say('ok', doneKeys.uploaded);
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      if (err instanceof ApiError && err.status === 401) return; // the app shows the sign-in screen
      console.warn('avatar upload failed', err);
      const {key, params} = uploadErrorKey(err);
      say('danger', key, params);
    } finally {
      controller = null;
      busy = false;
      dropPreview();
      picture.classList.remove('is-uploading');
      progress.hidden = true;
      if (el.isConnected) {
        render();
        changeButton.focus();
      }
    }
  }

  async function remove() {
    if (busy || !onRemove) return;
    say(null);
    busy = true;
    render();
    try {
      await onRemove();
      shown = {...shown, avatar: null};
      if (doneKeys) say('ok', doneKeys.removed);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      const {key, params} = describeError(err);
      say('danger', key, params);
    } finally {
      busy = false;
      render();
      // The button hid itself; keep the keyboard user nearby.
      if (el.isConnected) changeButton.focus();
    }
  }

  return {
    el,
    setUser(next) {
      shown = next;
      render();
    },
    busy: () => busy,
    destroy() {
      if (controller) controller.abort();
      dropPreview();
    },
  };
}
