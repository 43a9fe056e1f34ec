// The pieces of a person row, shared by the friends list, the search
// results, the notifications and the friend picker: avatar, name (one line)
// and status message (one line, muted), so every list of people looks the same.

import './i18n_people.js';
import {avatar} from './avatar.js';
import {h, uid} from './dom.js';
import {icon} from './icons.js';

/**
 * [avatar, text block] for a User. options:
 *   size      avatar size ('sm' | 'md' | 'lg')
 *   badge     show the "Friend" badge after the name
 *   nameId    an id for the name element (for aria-labelledby), made if absent
 * Returns {nodes, nameId, statusId} (statusId is null without a status).
 */
export function personBody(user, {size = 'md', badge = false, nameId = uid('person-name')} = {}) {
  const statusId = user.statusMessage ? uid('person-status') : null;
  const nodes = [
    avatar(user, {size}),
    h('span', {class: 'person-text'},
      h('span', {class: 'person-name-line'},
        h('span', {id: nameId, class: 'person-name', text: user.name}),
        badge ? friendBadge() : null),
      statusId ? h('span', {id: statusId, class: 'person-status', text: user.statusMessage}) : null),
  ];
  return {nodes, nameId, statusId};
}

/** The small "✓ Friend" mark beside a name. */
export function friendBadge() {
  return h('span', {class: 'person-badge'}, icon('check', {size: 14}), h('span', {i18n: 'people.isFriend'}));
}

/** A centred spinner with a translated label, for lists that are loading. */
export function listSpinner(labelKey) {
  return h('div', {class: 'people-loading'},
    h('div', {class: 'spinner-border spinner-border-sm', role: 'status'},
      h('span', {class: 'visually-hidden', i18n: labelKey})));
}

/** A list's empty state: a soft icon, a line and an optional hint. */
export function emptyState(iconName, key, hintKey = null) {
  return h('div', {class: 'people-empty'},
    h('span', {class: 'people-empty-icon', 'aria-hidden': 'true'}, icon(iconName, {size: 32})),
    h('p', {class: 'people-empty-text', i18n: key}),
    hintKey ? h('p', {class: 'people-empty-hint', i18n: hintKey}) : null);
}

/** A sorter for names in the page's language (Korean and Latin side by side). */
export function byName(localeTag) {
  const collator = new Intl.Collator(localeTag, {sensitivity: 'base', numeric: true});
  return (a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
