// The one way the page talks to the REST API (/api/v1, same origin).
//
// - JSON in and out; cookies go along (credentials: 'same-origin').
// - Keeps the session's csrfToken (from signup, login and /auth/session) and
//   sends it as X-CSRF-Token on every unsafe method, as the server demands.
// - A non-2xx answer becomes an ApiError carrying status, the problem+json
//   type slug and detail, and Retry-After in seconds for 429s.
// - A 401 on anything but the auth endpoints means the session ended (signed
//   out elsewhere, expired): listeners of onUnauthenticated() hear about it.

const BASE = '/api/v1';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken = null;
const unauthenticatedListeners = new Set();

export class ApiError extends Error {
  constructor({status, type, title, detail, retryAfter = null, problem = null, cause} = {}) {
    super(detail || title || `HTTP ${status}`, cause ? {cause} : undefined);
    this.name = 'ApiError';
    this.status = status; // 0 when the server could not be reached
    this.type = type; // problem+json slug: 'validation', 'conflict', ..., or 'network'
    this.title = title || '';
    this.detail = detail || '';
    this.retryAfter = retryAfter; // seconds, for 429; null when not given
    this.problem = problem; // the whole problem+json body, for extension members
  }
}

export function setCsrfToken(token) {
  csrfToken = token || null;
}

export function getCsrfToken() {
  return csrfToken;
}

/** Calls fn(error) when a request finds the session gone; returns an unsubscribe function. */
export function onUnauthenticated(fn) {
  unauthenticatedListeners.add(fn);
  return () => unauthenticatedListeners.delete(fn);
}

/**
 * Sends one request. path is relative to /api/v1 ('/me').
 * options: body (JSON-serialised unless FormData/Blob), query ({k: v}), signal, headers.
 * Resolves with the parsed JSON body (null for 204); rejects with ApiError.
 */
export async function request(method, path, {body, query, signal, headers = {}} = {}) {
  method = method.toUpperCase();
  const url = new URL(BASE + path, location.origin);
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    }
  }

  const init = {method, credentials: 'same-origin', signal, headers: {Accept: 'application/json', ...headers}};
  if (body !== undefined) {
    if (body instanceof FormData || body instanceof Blob) {
      init.body = body; // the browser sets the multipart boundary / type
    } else {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
  }
  if (UNSAFE.has(method) && csrfToken) init.headers['X-CSRF-Token'] = csrfToken;

  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError({status: 0, type: 'network', detail: String(err && err.message), cause: err});
  }

  const data = await readBody(response);
  if (!response.ok) {
    const error = toApiError(response, data);
    if (error.status === 401 && !path.startsWith('/auth/')) {
      csrfToken = null;
      for (const fn of unauthenticatedListeners) fn(error);
    }
    throw error;
  }
  if (data && typeof data === 'object' && typeof data.csrfToken === 'string') csrfToken = data.csrfToken;
  return data;
}

async function readBody(response) {
  if (response.status === 204 || response.status === 205) return null;
  const type = response.headers.get('Content-Type') || '';
  if (/[/+]json\b/i.test(type)) {
    try {
      return await response.json();
    } catch {
      return null;
    }
  }
  try {
    const text = await response.text();
    return text === '' ? null : text;
  } catch {
    return null;
  }
}

function toApiError(response, data) {
  const problem = data && typeof data === 'object' ? data : {};
  let retryAfter = null;
  const header = response.headers.get('Retry-After');
  if (header !== null) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) {
      retryAfter = Math.max(0, seconds);
    } else {
      const when = Date.parse(header); // the HTTP-date form
      if (!Number.isNaN(when)) retryAfter = Math.max(0, Math.round((when - Date.now()) / 1000));
    }
  }
  return new ApiError({
    status: response.status,
    type: typeof problem.type === 'string' ? problem.type : fallbackType(response.status),
    title: typeof problem.title === 'string' ? problem.title : response.statusText,
    detail: typeof problem.detail === 'string' ? problem.detail : '', // never a proxy's HTML page
    retryAfter,
    problem: data && typeof data === 'object' ? data : null,
  });
}

function fallbackType(status) {
  return {
    400: 'validation', 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found',
    405: 'method-not-allowed', 409: 'conflict', 413: 'payload-too-large',
    415: 'unsupported-media-type', 429: 'rate-limited', 500: 'internal', 503: 'unavailable',
  }[status] || 'unknown';
}

export const get = (path, options) => request('GET', path, options);
export const post = (path, body, options = {}) => request('POST', path, {...options, body});
export const put = (path, body, options = {}) => request('PUT', path, {...options, body});
export const patch = (path, body, options = {}) => request('PATCH', path, {...options, body});
export const del = (path, options) => request('DELETE', path, options);

// --- Authentication and the signed-in user ---------------------------------

/** The current session as {user, csrfToken}, or null when signed out. */
export async function getSession() {
  try {
    return await get('/auth/session');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      csrfToken = null;
      return null;
    }
    throw err;
  }
}

/** Creates an account and signs in: {user, csrfToken}. 409 'conflict' if the email exists. */
export function signUp({email, password, name}) {
  return post('/auth/signup', {email, password, name});
}

/** Signs in: {user, csrfToken}. 401 on bad credentials, 429 when rate limited. */
export function signIn({email, password}) {
  return post('/auth/login', {email, password});
}

/** Signs out everywhere this session is used. An already-ended session counts as success. */
export async function signOut() {
  try {
    await post('/auth/logout');
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  csrfToken = null;
}

export function getMe() {
  return get('/me');
}

/** Updates the caller's profile: any of {name, statusMessage, avatarImageId}. Resolves with the User. */
export function updateMe(changes) {
  return patch('/me', changes);
}
