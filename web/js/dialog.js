// A small accessible modal dialog, for the friend picker and for "Remove
// friend?": role="dialog" with aria-modal, labelled by its title; the rest
// of the page is made inert while it is open (so Tab, a screen reader's
// virtual cursor and clicks stay inside); Escape and the backdrop close it;
// focus goes back where it was. Our own rather than Bootstrap's Modal, so
// its result can be a Promise and it needs no deferred global.

import './i18n_people.js';
import {h, uid} from './dom.js';
import {icon} from './icons.js';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
// Elements that stay live under a dialog: the toast stack (toasts.js) keeps
// announcing and can still be dismissed.
const KEEP_LIVE = '.ct-toast-stack';
// Every open dialog's close(), so that the end of a session closes them all.
const openDialogs = new Set();

/** Closes every open dialog unanswered (sign-out, session change). */
export function closeAllDialogs() {
  for (const close of Array.from(openDialogs)) close(null);
}

/**
 * Opens a dialog. options:
 *   titleKey, titleParams  the heading (and the dialog's name)
 *   body                   nodes for the body
 *   footer                 nodes for the footer (buttons), or null
 *   extraClass             a class on the dialog box ('ct-dialog-picker')
 *   initialFocus           the element to focus first (else the first focusable)
 * Returns {el, close(value), closed: Promise<value>}. Escape, the
 * backdrop and a navigation (hashchange, popstate) close with null.
 */
export function openDialog({titleKey, titleParams = {}, body = [], footer = null, extraClass = '', initialFocus = null}) {
  const titleId = uid('dialog-title');
  const opener = document.activeElement;
  let resolveClosed;
  const closed = new Promise((resolve) => { resolveClosed = resolve; });

  const closeButton = h('button', {type: 'button', class: 'ct-dialog-x', i18nAttrs: {'aria-label': 'picker.close', title: 'picker.close'},
    on: {click: () => close(null)}}, icon('close'));
  const box = h('div', {class: ['ct-dialog', extraClass], role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId},
    h('header', {class: 'ct-dialog-header'},
      h('h2', {id: titleId, class: 'ct-dialog-title', i18n: titleKey, i18nParams: titleParams}),
      closeButton),
    h('div', {class: 'ct-dialog-body'}, body),
    footer ? h('footer', {class: 'ct-dialog-footer'}, footer) : null);
  const backdrop = h('div', {class: 'ct-dialog-backdrop'}, box);

  // Only a press that starts and ends on the backdrop closes: a text
  // selection dragged out of an input must not.
  let downOnBackdrop = false;
  backdrop.addEventListener('pointerdown', (event) => { downOnBackdrop = event.target === backdrop; });
  backdrop.addEventListener('click', (event) => {
    if (downOnBackdrop && event.target === backdrop) close(null);
  });
  backdrop.addEventListener('keydown', onKeydown);
  // A dialog belongs to the screen under it: going elsewhere (the Back
  // button, a link from a toast) closes it unanswered.
  const onNavigate = () => close(null);
  window.addEventListener('hashchange', onNavigate);
  window.addEventListener('popstate', onNavigate);

  const madeInert = [];
  for (const el of document.body.children) {
    if (el.matches(KEEP_LIVE) || el.inert || el.tagName === 'SCRIPT') continue;
    el.inert = true;
    madeInert.push(el);
  }
  document.body.append(backdrop);
  document.documentElement.classList.add('ct-dialog-open');
  (initialFocus || box.querySelector(FOCUSABLE) || closeButton).focus();

  function onKeydown(event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(null);
      return;
    }
    if (event.key !== 'Tab') return;
    // inert keeps focus out of the page; this wraps it around inside.
    const items = Array.from(box.querySelectorAll(FOCUSABLE)).filter((el) => el.offsetParent !== null);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  let open = true;
  openDialogs.add(close);
  function close(value) {
    if (!open) return;
    open = false;
    openDialogs.delete(close);
    window.removeEventListener('hashchange', onNavigate);
    window.removeEventListener('popstate', onNavigate);
    backdrop.remove();
    for (const el of madeInert) el.inert = false;
    if (!document.querySelector('.ct-dialog-backdrop')) document.documentElement.classList.remove('ct-dialog-open');
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
    resolveClosed(value);
  }

  return {el: box, close, closed};
}

/**
 * A yes/no question: resolves true when confirmed, false otherwise.
 * danger styles the confirm button as destructive.
 */
export function confirmDialog({titleKey, bodyKey, params = {}, confirmKey, cancelKey = 'people.cancel', danger = false}) {
  const cancel = h('button', {type: 'button', class: 'btn btn-soft', i18n: cancelKey});
  const confirm = h('button', {type: 'button', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], i18n: confirmKey});
  const dialog = openDialog({
    titleKey,
    body: h('p', {class: 'ct-dialog-text', i18n: bodyKey, i18nParams: params}),
    footer: [cancel, confirm],
    extraClass: 'ct-dialog-confirm',
    initialFocus: cancel, // the safe answer is the default
  });
  cancel.addEventListener('click', () => dialog.close(false));
  confirm.addEventListener('click', () => dialog.close(true));
  return dialog.closed.then((value) => value === true);
}

/**
 * Asks for one line of text (a room name): resolves with it trimmed, or
 * null when cancelled. Enter in the field confirms.
 */
export function promptDialog({titleKey, labelKey, value = '', maxLength = 80, confirmKey, cancelKey = 'people.cancel'}) {
  const inputId = uid('dialog-input');
  const input = h('input', {id: inputId, class: 'form-control', value, maxlength: maxLength, autocomplete: 'off'});
  const cancel = h('button', {type: 'button', class: 'btn btn-soft', i18n: cancelKey});
  const confirm = h('button', {type: 'submit', class: 'btn btn-primary', i18n: confirmKey});
  const form = h('form', {class: 'ct-dialog-form', novalidate: true},
    h('label', {for: inputId, class: 'form-label', i18n: labelKey}), input);
  const dialog = openDialog({titleKey, body: form, footer: [cancel, confirm], initialFocus: input});
  const submit = (event) => {
    event.preventDefault();
    dialog.close(input.value.trim());
  };
  form.addEventListener('submit', submit);
  confirm.addEventListener('click', submit);
  cancel.addEventListener('click', () => dialog.close(null));
  input.select();
  return dialog.closed.then((result) => (typeof result === 'string' ? result : null));
}
