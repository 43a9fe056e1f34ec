// Times as a messenger shows them, in the page's language: the clock time
// beside a message, "Yesterday" or a date in the chats list, and the day
// headers of a room ("Wednesday, November 25, 2026" / "2026년 11월 25일 수요일").

import {locale, t} from './i18n.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function toDate(value) {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** "3:04 PM" / "오후 3:04". */
export function clockTime(value) {
  const date = toDate(value);
  return date ? new Intl.DateTimeFormat(locale(), {hour: 'numeric', minute: '2-digit'}).format(date) : '';
}

/** A key for grouping messages by local day. */
export function dayKey(value) {
  const date = toDate(value);
  return date ? `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}` : '';
}

/** The day header of a room. */
export function dayLabel(value) {
  const date = toDate(value);
  return date ? new Intl.DateTimeFormat(locale(), {dateStyle: 'full'}).format(date) : '';
}

/** The time of a chats-list row: clock time today, "Yesterday", a short date. */
export function listTime(value, now = new Date()) {
  const date = toDate(value);
  if (!date) return '';
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
  if (days <= 0) return clockTime(date);
  if (days === 1) return t('time.yesterday');
  const sameYear = date.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(locale(), sameYear ? {month: 'short', day: 'numeric'} : {dateStyle: 'medium'}).format(date);
}
