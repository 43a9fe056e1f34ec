// The name and status-message fields with their live "12 / 40" counters,
// shared by the profile screen and the first-run screen. The checks are
// forms.js's, which mirror the server's limits.

import './i18n_people.js';
import {codePointLength, h, setText} from './dom.js';
import {checkName, checkStatus, LIMITS, textField} from './forms.js';
import {t} from './i18n.js';

function counter(input, max) {
  const out = h('span', {class: 'field-counter', 'aria-hidden': 'true'});
  const update = () => {
    const n = codePointLength(input.value.trim());
    setText(out, t('profile.counter', {count: n, max}));
    out.classList.toggle('is-over', n > max);
  };
  input.addEventListener('input', update);
  update();
  return out;
}

/**
 * Returns {name, status, wrap: [nodes], check() -> first invalid input or null,
 * changes(user) -> {name?, statusMessage?} that differ from user}.
 * optionalStatus marks the status message "optional" beside its label.
 */
export function profileFields(user, {optionalStatus = false} = {}) {
  const name = textField({name: 'name', labelKey: 'profile.name', autocomplete: 'nickname', hintKey: 'profile.nameHint', value: user.name});
  const status = textField({
    name: 'statusMessage', labelKey: 'profile.status', autocomplete: 'off',
    placeholderKey: 'profile.statusPlaceholder', value: user.statusMessage || '',
  });
  name.input.required = true;
  name.wrap.querySelector('label').after(counter(name.input, LIMITS.nameMax));
  status.wrap.querySelector('label').after(counter(status.input, LIMITS.statusMax));
  if (optionalStatus) {
    status.wrap.querySelector('label').after(h('span', {class: 'field-optional', i18n: 'profile.optional'}));
  }
  for (const f of [name, status]) f.wrap.classList.add('field-with-counter');

  const checks = [[name, () => checkName(name.input.value)], [status, () => checkStatus(status.input.value)]];
  for (const [field, check] of checks) {
    field.input.addEventListener('input', () => {
      if (field.input.classList.contains('is-invalid')) field.setError(check());
    });
    field.input.addEventListener('blur', () => field.setError(check()));
  }

  return {
    name,
    status,
    wrap: [name.wrap, status.wrap],
    check() {
      let firstInvalid = null;
      for (const [field, check] of checks) {
        const problem = check();
        field.setError(problem);
        if (problem && !firstInvalid) firstInvalid = field.input;
      }
      return firstInvalid;
    },
    changes(current) {
      const out = {};
      const newName = name.input.value.trim();
      const newStatus = status.input.value.trim();
      if (newName !== current.name) out.name = newName;
      if (newStatus !== (current.statusMessage || '')) out.statusMessage = newStatus;
      return out;
    },
    /** Puts a 400 on the field it is about; true when it found one. */
    showServerError(err, fieldOfValidation) {
      const field = fieldOfValidation(err, ['name', 'statusMessage']);
      if (field === 'name') {
        name.setError(name.input.value.trim() === '' ? 'valid.name.required' : 'valid.name.tooLong');
        name.input.focus();
        return true;
      }
      if (field === 'statusMessage') {
        status.setError('valid.status.tooLong');
        status.input.focus();
        return true;
      }
      return false;
    },
  };
}
