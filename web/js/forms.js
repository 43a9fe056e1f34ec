// Form building blocks shared by the views: labelled text fields with their
// hint and error message, and the client-side checks that mirror the
// server's limits (API.md). The server stays the authority; these checks
// only spare a round trip and say what is wrong in the user's language.

import {h, uid, codePointLength} from './dom.js';
import {t} from './i18n.js';

// Lengths are Unicode code points, as the server counts them, unless named bytes.
export const LIMITS = Object.freeze({
  emailMaxBytes: 254, // API.md Conventions (RFC 5321 path limit): longer emails are a 400
  passwordMin: 8, // API.md Authentication: "Password at least 8 characters"
  passwordMaxBytes: 1024, // the server refuses longer ones (hashing cost)
  nameMax: 40, // API.md Conventions: user name 1-40 characters, trimmed
  statusMax: 60, // User.statusMessage: at most 60 characters
});

// local@domain with exactly one '@' and no spaces or control characters,
// as chat/validation.cpp's normalize_email; the server decides the rest.
// eslint-disable-next-line no-control-regex
const EMAIL_SHAPE = /^[^\s@\u0000-\u001f\u007f]+@[^\s@\u0000-\u001f\u007f]+$/u;
const utf8 = new TextEncoder();

/** Checks an email as typed; returns an i18n key or null. */
export function checkEmail(raw) {
  const email = raw.trim();
  if (!email) return 'valid.email.required';
  if (utf8.encode(email).length > LIMITS.emailMaxBytes) return 'valid.email.tooLong';
  if (!EMAIL_SHAPE.test(email)) return 'valid.email.invalid';
  return null;
}

export function checkPassword(raw, {forSignUp}) {
  if (!raw) return 'valid.password.required';
  if (forSignUp && codePointLength(raw) < LIMITS.passwordMin) return 'valid.password.tooShort';
  if (forSignUp && utf8.encode(raw).length > LIMITS.passwordMaxBytes) return 'valid.password.tooLong';
  return null;
}

/** Names are stored trimmed, so they are checked trimmed. */
export function checkName(raw) {
  const name = raw.trim();
  if (!name) return 'valid.name.required';
  if (codePointLength(name) > LIMITS.nameMax) return 'valid.name.tooLong';
  return null;
}

/** Status messages are stored trimmed too; empty is fine. */
export function checkStatus(raw) {
  return codePointLength(raw.trim()) > LIMITS.statusMax ? 'valid.status.tooLong' : null;
}

/** A labelled input with its hint and its error message, wired for screen readers. */
export function textField({name, labelKey, type = 'text', autocomplete, hintKey, placeholderKey, inputmode, value = ''}) {
  const id = uid(name);
  const feedbackId = `${id}-error`;
  const hintId = hintKey ? `${id}-hint` : null;
  const input = h('input', {
    id, name, type, value, class: 'form-control',
    autocomplete, inputmode,
    autocapitalize: type === 'email' || type === 'password' ? 'none' : null,
    spellcheck: type === 'email' || type === 'password' ? false : null,
    'aria-describedby': [hintId, feedbackId].filter(Boolean).join(' '),
    i18nAttrs: placeholderKey ? {placeholder: placeholderKey} : null,
  });
  const feedback = h('div', {id: feedbackId, class: 'invalid-feedback'});
  const wrap = h('div', {class: 'mb-3'},
    h('label', {for: id, class: 'form-label', i18n: labelKey}),
    input,
    hintKey ? h('div', {id: hintId, class: 'form-text', i18n: hintKey}) : null,
    feedback);

  function setError(key, params) {
    if (key) {
      input.classList.add('is-invalid');
      input.setAttribute('aria-invalid', 'true');
      feedback.dataset.i18n = key;
      feedback.dataset.i18nParams = JSON.stringify(params || {});
      feedback.textContent = t(key, params);
    } else {
      input.classList.remove('is-invalid');
      input.removeAttribute('aria-invalid');
      delete feedback.dataset.i18n;
      feedback.textContent = '';
    }
  }
  return {wrap, input, setError};
}

/**
 * A Bootstrap alert whose text is an i18n key, so it follows a language
 * switch. role 'alert' interrupts a screen reader; 'status' waits its turn.
 */
export function alertBox(kind, key, params = null, {role = 'alert', extraClass = ''} = {}) {
  return h('div', {class: ['alert', `alert-${kind}`, extraClass], role},
    h('span', {i18n: key, i18nParams: params || {}}));
}
