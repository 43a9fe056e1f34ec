// Turns an ApiError into words for people: an i18n key and its parameters,
// so the message follows a later language switch. Views add the cases that
// only they can name (a taken email, wrong credentials) before falling back
// on describeError().

/**
 * {key, params} for the error alert. Rate limits say how long to wait,
 * in minutes (or seconds when under a minute), from Retry-After.
 */
export function describeError(err) {
  const status = err && typeof err.status === 'number' ? err.status : -1;
  if (status === 0) return {key: 'error.network', params: {}};
  if (status === 429) return rateLimitMessage(err.retryAfter);
  if (status === 400) return {key: 'error.validation', params: {}};
  if (status >= 500) return {key: 'error.server', params: {}};
  return {key: 'error.unexpected', params: {status: status > 0 ? status : '?'}};
}

export function rateLimitMessage(retryAfter) {
  if (typeof retryAfter !== 'number' || !Number.isFinite(retryAfter) || retryAfter <= 0) {
    return {key: 'error.rateLimited', params: {}};
  }
  if (retryAfter < 60) return {key: 'error.rateLimitedSeconds', params: {count: Math.ceil(retryAfter)}};
  return {key: 'error.rateLimitedMinutes', params: {count: Math.ceil(retryAfter / 60)}};
}

/**
 * Which form field a 400's detail is about ('email', 'password', 'name',
 * 'statusMessage'), or null: from a `field` member of the problem when the
 * server sends one, else from its detail. The detail is developer English,
 * so it only picks the field; the words shown come from i18n.
 */
export function fieldOfValidation(err, fields) {
  const named = err && err.problem && (err.problem.field || err.problem.pointer);
  if (typeof named === 'string') {
    const bare = named.replace(/^\/+/, '');
    if (fields.includes(bare)) return bare;
  }
  const detail = `${err && err.detail ? err.detail : ''}`.toLowerCase();
  for (const field of fields) {
    const needle = field === 'statusMessage' ? /status/ : new RegExp(`\\b${field}\\b`);
    if (needle.test(detail)) return field;
  }
  return null;
}
