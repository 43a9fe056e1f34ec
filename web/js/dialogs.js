// Small modal questions ("Leave this chat?", "Room name") on the native
// <dialog>: showModal() gives focus containment, Escape and the backdrop
// for free, and the page behind is inert while it is open.

import {h, uid} from './dom.js';

function open(dialog, onClose) {
  document.body.append(dialog);
  dialog.addEventListener('close', () => {
    dialog.remove();
    onClose(dialog.returnValue);
  }, {once: true});
  dialog.showModal();
}

/** Resolves true when confirmed. */
export function confirmDialog({titleKey, bodyKey, bodyParams = {}, confirmKey, danger = false}) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const form = h('form', {method: 'dialog', class: 'dialog-body'},
      h('h2', {id: titleId, class: 'dialog-title', i18n: titleKey}),
      bodyKey ? h('p', {class: 'dialog-text', i18n: bodyKey, i18nParams: bodyParams}) : null,
      h('div', {class: 'dialog-actions'},
        h('button', {type: 'submit', value: 'cancel', class: 'btn btn-soft'}, h('span', {i18n: 'chat.cancel'})),
        h('button', {type: 'submit', value: 'ok', class: ['btn', danger ? 'btn-danger' : 'btn-primary']},
          h('span', {i18n: confirmKey}))));
    const dialog = h('dialog', {class: 'chat-dialog', 'aria-labelledby': titleId}, form);
    open(dialog, (value) => resolve(value === 'ok'));
  });
}

/** Resolves with the entered text (trimmed), or null when cancelled. */
export function promptDialog({titleKey, labelKey, value = '', maxLength = 80, confirmKey}) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const inputId = uid('dialog-input');
    const input = h('input', {id: inputId, class: 'form-control', value, maxlength: maxLength, autocomplete: 'off'});
    const form = h('form', {method: 'dialog', class: 'dialog-body'},
      h('h2', {id: titleId, class: 'dialog-title', i18n: titleKey}),
      h('label', {for: inputId, class: 'form-label', i18n: labelKey}), input,
      h('div', {class: 'dialog-actions'},
        h('button', {type: 'submit', value: 'cancel', class: 'btn btn-soft', formnovalidate: true}, h('span', {i18n: 'chat.cancel'})),
        h('button', {type: 'submit', value: 'ok', class: 'btn btn-primary'}, h('span', {i18n: confirmKey}))));
    const dialog = h('dialog', {class: 'chat-dialog', 'aria-labelledby': titleId}, form);
    open(dialog, (result) => resolve(result === 'ok' ? input.value.trim() : null));
    input.select();
  });
}
