// Pick friends in a dialog: for a new group chat ("New chat") and for
// inviting people into a chat ("Invite"). My friends with checkboxes, a
// filter box, the picked ones as removable chips, and (for a new chat) an
// optional room name. The confirm button waits for at least one pick.

import './i18n_people.js';
import {ApiError} from './api.js';
import {codePointLength, h, replace, setText, uid} from './dom.js';
import {openDialog} from './dialog.js';
import {describeError} from './errors.js';
import {alertBox, textField} from './forms.js';
import {locale, t} from './i18n.js';
import {icon} from './icons.js';
import {listFriends} from './people_api.js';
import {avatar} from './avatar.js';
import {byName, emptyState, listSpinner, personBody} from './person_row.js';

const ROOM_NAME_MAX = 80; // API.md Conventions: room name 0-80 code points

/**
 * Opens the picker. options:
 *   titleKey     i18n key of the title ('picker.newChat.title', 'picker.invite.title')
 *   confirmKey   i18n key of the confirm button ('picker.newChat.confirm', 'picker.invite.confirm')
 *   excludeIds   user ids not to offer (already in the room)
 *   askName      also ask for a room name (optional, at most 80 characters)
 * Resolves with {userIds, name} (name '' when not asked or left empty),
 * or null when closed without confirming.
 */
export function pickFriends(ctx, {titleKey, confirmKey, excludeIds = [], askName = false} = {}) {
  const excluded = new Set(excludeIds);
  const picked = new Map(); // id -> User, in the order picked
  let friends = null;

  const filterId = uid('picker-filter');
  const filter = h('input', {
    id: filterId, type: 'search', class: 'form-control picker-filter', autocomplete: 'off', spellcheck: false,
    i18nAttrs: {placeholder: 'picker.filterPlaceholder'},
  });
  const chips = h('ul', {class: 'picker-chips'});
  const countEl = h('p', {class: 'picker-count', 'aria-live': 'polite'});
  const listWrap = h('div', {class: 'picker-list-wrap'});
  const name = askName ? textField({name: 'roomName', labelKey: 'picker.roomName', autocomplete: 'off', hintKey: 'picker.roomNameHint'}) : null;
  const errors = h('div', {class: 'picker-errors'});

  const cancel = h('button', {type: 'button', class: 'btn btn-soft', i18n: 'picker.cancel'});
  const confirm = h('button', {type: 'submit', class: 'btn btn-primary', disabled: true, i18n: confirmKey});
  const formId = uid('picker-form');
  confirm.setAttribute('form', formId);

  const form = h('form', {id: formId, class: 'picker-form', novalidate: true},
    name ? name.wrap : null,
    h('div', {class: 'picker-search'},
      h('label', {for: filterId, class: 'visually-hidden', i18n: 'picker.filter'}),
      h('span', {class: 'people-search-icon', 'aria-hidden': 'true'}, icon('search', {size: 18})),
      filter),
    chips, countEl, errors, listWrap);

  const dialog = openDialog({
    titleKey,
    body: form,
    footer: [cancel, confirm],
    extraClass: 'ct-dialog-picker',
    initialFocus: matchMedia('(pointer: coarse)').matches ? null : (name ? name.input : filter),
  });
  cancel.addEventListener('click', () => dialog.close(null));

  const controller = new AbortController();
  dialog.closed.then(() => controller.abort());
  load();

  filter.addEventListener('input', renderList);
  // Enter in the filter must not confirm a half-made choice.
  filter.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') event.preventDefault();
  });
  if (name) {
    name.input.addEventListener('input', () => {
      if (name.input.classList.contains('is-invalid')) name.setError(checkRoomName());
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (picked.size === 0) return;
    if (name) {
      const problem = checkRoomName();
      name.setError(problem);
      if (problem) {
        name.input.focus();
        return;
      }
    }
    dialog.close({userIds: Array.from(picked.keys()), name: name ? name.input.value.trim() : ''});
  });

  function checkRoomName() {
    return codePointLength(name.input.value.trim()) > ROOM_NAME_MAX ? 'picker.roomNameTooLong' : null;
  }

  async function load() {
    replace(errors);
    replace(listWrap, listSpinner('people.loading'));
    try {
      const list = await listFriends({signal: controller.signal});
      friends = (Array.isArray(list) ? list : []).filter((f) => !excluded.has(f.id)).sort(byName(locale()));
      renderList();
      renderPicked();
      if (friends.length === 0) {
        replace(listWrap, emptyState('personAdd', excluded.size && list.length ? 'picker.allExcluded' : 'picker.noFriends'));
      }
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      if (err instanceof ApiError && err.status === 401) {
        dialog.close(null); // the app shows the sign-in screen
        return;
      }
      const {key, params} = describeError(err);
      replace(listWrap, h('div', {class: 'people-error'}, alertBox('danger', key, params),
        h('button', {type: 'button', class: 'btn btn-soft btn-sm', on: {click: load}}, h('span', {i18n: 'app.retry'}))));
    }
  }

  function renderList() {
    if (!friends || friends.length === 0) return;
    const q = filter.value.trim().toLocaleLowerCase();
    const shown = q ? friends.filter((f) => f.name.toLocaleLowerCase().includes(q)) : friends;
    if (shown.length === 0) {
      replace(listWrap, emptyState('search', 'picker.noMatch'));
      return;
    }
    replace(listWrap, h('ul', {class: 'picker-list'}, shown.map(row)));
  }

  function row(friend) {
    const body = personBody(friend, {size: 'sm'});
    // Named by the friend's name alone; the label around makes the whole row a target.
    const box = h('input', {type: 'checkbox', class: 'form-check-input picker-check', checked: picked.has(friend.id),
      'aria-labelledby': body.nameId, dataset: {userId: friend.id}});
    if (body.statusId) box.setAttribute('aria-describedby', body.statusId);
    box.addEventListener('change', () => {
      if (box.checked) picked.set(friend.id, friend);
      else picked.delete(friend.id);
      renderPicked();
    });
    return h('li', {}, h('label', {class: 'picker-row'}, box, body.nodes));
  }

  function renderPicked() {
    replace(chips, Array.from(picked.values()).map((friend) => {
      const chip = h('button', {type: 'button', class: 'picker-chip'},
        avatar(friend, {size: 'sm'}),
        h('span', {class: 'picker-chip-name', text: friend.name}),
        icon('close', {size: 14}));
      chip.setAttribute('aria-label', t('picker.unselect', {name: friend.name}));
      chip.addEventListener('click', () => {
        picked.delete(friend.id);
        const box = listWrap.querySelector(`input[data-user-id="${CSS.escape(friend.id)}"]`);
        if (box) box.checked = false;
        renderPicked();
        // The chip is gone; the filter box is the nearest sensible place.
        filter.focus();
      });
      return h('li', {}, chip);
    }));
    chips.hidden = picked.size === 0;
    confirm.disabled = picked.size === 0;
    if (picked.size) {
      countEl.dataset.i18n = 'picker.selectedCount';
      countEl.dataset.i18nParams = JSON.stringify({count: picked.size});
      setText(countEl, t('picker.selectedCount', {count: picked.size}));
    } else {
      delete countEl.dataset.i18n;
      setText(countEl, '');
    }
  }

  return dialog.closed;
}
