// A user's avatar: their picture when they have one, else a coloured circle
// with the first character of their name. The colour comes from the user id,
// so a person keeps theirs across screens and reloads.

import {h, initialOf} from './dom.js';

const PALETTE_SIZE = 8; // .avatar-c0 ... .avatar-c7 in app.css

function colourIndex(id) {
  let hash = 0;
  for (const ch of String(id || '')) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return hash % PALETTE_SIZE;
}

/**
 * size: 'sm' (32 px), 'md' (44 px) or 'lg' (88 px).
 * The avatar is decorative (aria-hidden): the name is always written beside it.
 */
export function avatar(user, {size = 'md'} = {}) {
  const el = h('span', {class: ['avatar', `avatar-${size}`], 'aria-hidden': 'true'});
  updateAvatar(el, user);
  return el;
}

/** Refreshes an avatar element after the user changed (name, picture). */
export function updateAvatar(el, user) {
  for (const cls of Array.from(el.classList)) if (/^avatar-c\d$/.test(cls)) el.classList.remove(cls);
  const image = user && user.avatar;
  const url = image && (image.thumbUrl || image.url);
  if (url) {
    el.classList.add('avatar-has-image');
    el.replaceChildren(h('img', {src: url, alt: '', loading: 'lazy', decoding: 'async'}));
  } else {
    el.classList.remove('avatar-has-image');
    el.classList.add(`avatar-c${colourIndex(user && user.id)}`);
    el.replaceChildren(h('span', {class: 'avatar-initial', text: initialOf(user && user.name)}));
  }
}
