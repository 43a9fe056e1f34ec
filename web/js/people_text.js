// Small text helpers shared by the people screens: a sentence with a
// person's name in bold, and "3 min ago" times in the current language.

import {h} from './dom.js';
import {formatDate, locale, t} from './i18n.js';

// A character no name can hold once the server trimmed and checked it;
// it marks where the name goes inside the translated sentence.
const SLOT = '\u0000';

/**
 * t(key) with {name} set in <strong>, as a fragment of text nodes: the
 * name stays plain text (textContent), whatever it contains.
 */
export function sentenceWithName(key, name) {
  const fragment = document.createDocumentFragment();
  const parts = t(key, {name: SLOT}).split(SLOT);
  parts.forEach((part, i) => {
    if (i > 0) fragment.append(h('strong', {class: 'name-in-text', text: name}));
    if (part) fragment.append(document.createTextNode(part));
  });
  return fragment;
}

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "just now", "3 min ago", "yesterday", "5 days ago", then the date: the
 * way a messenger dates a notification. value is an RFC 3339 string or Date.
 */
export function timeAgo(value, now = Date.now()) {
  const date = value instanceof Date ? value : new Date(value);
  const ms = date.getTime();
  if (Number.isNaN(ms)) return '';
  const diff = Math.max(0, now - ms); // a clock a little ahead is "just now", not "in 2 s"
  if (diff < MINUTE) return t('notif.justNow');
  const rtf = new Intl.RelativeTimeFormat(locale(), {numeric: 'auto', style: 'short'});
  if (diff < HOUR) return rtf.format(-Math.floor(diff / MINUTE), 'minute');
  if (diff < DAY) return rtf.format(-Math.floor(diff / HOUR), 'hour');
  if (diff < 7 * DAY) return rtf.format(-Math.floor(diff / DAY), 'day');
  const sameYear = new Date(now).getFullYear() === date.getFullYear();
  return formatDate(date, sameYear ? {month: 'short', day: 'numeric'} : {dateStyle: 'medium'});
}

/** The full date and time, for a title tooltip beside timeAgo(). */
export function fullTime(value) {
  return formatDate(value, {dateStyle: 'long', timeStyle: 'short'});
}
