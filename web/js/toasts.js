// Toasts: short pop-ups for things that happen elsewhere ("Alice added you
// as a friend"). A stack in a fixed region (top right on wide screens, the
// top edge on phones), announced politely; at most MAX_VISIBLE at once, the
// oldest leaving first. Each goes by itself after a while, but never while
// the pointer or the keyboard focus is on it.

import './i18n_people.js';
import {avatar} from './avatar.js';
import {h} from './dom.js';
import {icon} from './icons.js';

const MAX_VISIBLE = 3; // more would cover the screen on a phone
const DEFAULT_TIMEOUT_MS = 5000; // time to read two short lines
const LEAVE_MS = 200; // matches the fade-out in people.css

let stack = null;
const dismissers = new WeakMap(); // toast element -> its dismiss()

function region() {
  if (stack && stack.isConnected) return stack;
  stack = h('section', {class: 'ct-toast-stack', role: 'status', 'aria-live': 'polite', i18nAttrs: {'aria-label': 'toast.region'}});
  document.body.append(stack);
  return stack;
}

// A toast's title and text are either plain strings (names) or {key, params}
// so they follow a language switch like the rest of the page.
function textProps(value) {
  if (value && typeof value === 'object') return {i18n: value.key, i18nParams: value.params || {}};
  return {text: value ?? ''};
}

/**
 * Shows a toast. options:
 *   title      string or {key, params}; shown in bold
 *   text       string or {key, params}; one line, cut with an ellipsis
 *   user       a User whose avatar leads the toast (optional)
 *   onClick    called when the toast is clicked (then it closes)
 *   timeoutMs  how long it stays (default 5 s; 0 keeps it until closed)
 * Returns {dismiss()}.
 */
export function showToast({title, text, user = null, onClick = null, timeoutMs = DEFAULT_TIMEOUT_MS} = {}) {
  const content = [
    user ? avatar(user, {size: 'sm'}) : h('span', {class: 'ct-toast-icon', 'aria-hidden': 'true'}, icon('bell')),
    h('span', {class: 'ct-toast-words'},
      title ? h('strong', {class: 'ct-toast-title', ...textProps(title)}) : null,
      text ? h('span', {class: 'ct-toast-text', ...textProps(text)}) : null),
  ];
  const main = onClick
    ? h('button', {type: 'button', class: 'ct-toast-main', on: {click: () => { dismiss(); onClick(); }}}, content)
    : h('div', {class: 'ct-toast-main'}, content);
  const closeButton = h('button', {type: 'button', class: 'ct-toast-close', i18nAttrs: {'aria-label': 'toast.close', title: 'toast.close'},
    on: {click: () => dismiss()}}, icon('close', {size: 18}));
  const el = h('div', {class: 'ct-toast'}, main, closeButton);

  let timer = 0;
  let gone = false;
  let hovered = false;
  let focused = false;
  const arm = () => {
    clearTimeout(timer);
    if (timeoutMs > 0 && !hovered && !focused) timer = setTimeout(dismiss, timeoutMs);
  };
  el.addEventListener('pointerenter', () => { hovered = true; clearTimeout(timer); });
  el.addEventListener('pointerleave', () => { hovered = false; arm(); });
  el.addEventListener('focusin', () => { focused = true; clearTimeout(timer); });
  el.addEventListener('focusout', (event) => {
    if (el.contains(event.relatedTarget)) return;
    focused = false;
    arm();
  });
  el.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      dismiss();
    }
  });

  function dismiss() {
    if (gone) return;
    gone = true;
    clearTimeout(timer);
    const hadFocus = el.contains(document.activeElement);
    el.classList.add('is-leaving');
    setTimeout(() => el.remove(), LEAVE_MS);
    // Focus must not vanish with the toast; the page's body is the neutral place.
    if (hadFocus) document.activeElement.blur();
  }
  dismissers.set(el, dismiss);

  const parent = region();
  parent.append(el);
  const live = Array.from(parent.querySelectorAll('.ct-toast:not(.is-leaving)'));
  for (const old of live.slice(0, Math.max(0, live.length - MAX_VISIBLE))) dismissers.get(old)();
  arm();
  return {dismiss};
}

/** Dismisses every toast, e.g. on sign-out, so none outlives its session. */
export function dismissAllToasts() {
  if (!stack) return;
  for (const el of stack.querySelectorAll('.ct-toast:not(.is-leaving)')) dismissers.get(el)();
}
