// Messages in English and Korean, and the language the page speaks.
//
// The language is, in order: the one the user picked with the switcher
// (remembered in localStorage), else the first of navigator.languages that
// is Korean ('ko', 'ko-KR', ...) or English, else English.
//
// Text that must follow a language switch is built with dom.h's `i18n` /
// `i18nAttrs` props; setLanguage() re-translates those in place, so a switch
// never loses what the user has typed.

const STORAGE_KEY = 'chattwo.lang';

export const LANGUAGES = [
  {code: 'en', label: 'English'},
  {code: 'ko', label: '한국어'},
];

// A value is a string with {param} placeholders, or {one, other} chosen by
// params.count with the language's plural rules.
const MESSAGES = {
  en: {
    'app.name': 'ChatTwo',
    'app.loading': 'Loading…',
    'app.retry': 'Try again',
    'app.language': 'Language',
    'app.cannotStart': 'ChatTwo could not start.',

    'auth.tagline': 'Talk with the people who matter to you.',
    'auth.welcome': 'Welcome back',
    'auth.create': 'Create your account',
    'auth.modes': 'Sign in or sign up',
    'auth.tab.signIn': 'Sign in',
    'auth.tab.signUp': 'Sign up',
    'auth.email': 'Email',
    'auth.password': 'Password',
    'auth.name': 'Name',
    'auth.emailPlaceholder': 'name@example.com',
    'auth.passwordHint': 'At least 8 characters.',
    'auth.nameHint': 'Your friends see this name. Up to 40 characters.',
    'auth.submit.signIn': 'Sign in',
    'auth.submit.signUp': 'Sign up',
    'auth.working': 'Please wait…',
    'auth.signedOut': 'You have signed out.',
    'auth.sessionEnded': 'Your session has ended. Please sign in again.',
    'auth.terms': 'By signing up you agree to keep it friendly.',

    'valid.email.required': 'Enter your email.',
    'valid.email.invalid': 'Enter an email like name@example.com.',
    'valid.email.tooLong': 'That email is too long.',
    'valid.password.required': 'Enter your password.',
    'valid.password.tooShort': 'Use at least 8 characters.',
    'valid.password.tooLong': 'That password is too long.',
    'valid.name.required': 'Enter your name.',
    'valid.name.tooLong': 'A name can be at most 40 characters.',
    'valid.status.tooLong': 'A status message can be at most 60 characters.',

    'error.emailTaken': 'That email is already registered.',
    'error.badCredentials': 'Wrong email or password.',
    'error.rateLimitedMinutes': {
      one: 'Too many attempts, try again in {count} minute.',
      other: 'Too many attempts, try again in {count} minutes.',
    },
    'error.rateLimitedSeconds': {
      one: 'Too many attempts, try again in {count} second.',
      other: 'Too many attempts, try again in {count} seconds.',
    },
    'error.rateLimited': 'Too many attempts, try again later.',
    'error.network': 'Can’t reach ChatTwo. Check your connection and try again.',
    'error.server': 'Something went wrong on our side. Please try again.',
    'error.validation': 'Please check what you entered.',
    'error.unexpected': 'Something went wrong ({status}). Please try again.',

  },
  ko: {
    'app.name': 'ChatTwo',
    'app.loading': '불러오는 중…',
    'app.retry': '다시 시도',
    'app.language': '언어',
    'app.cannotStart': 'ChatTwo를 시작하지 못했어요.',

    'auth.tagline': '소중한 사람들과 편하게 대화하세요.',
    'auth.welcome': '다시 만나서 반가워요',
    'auth.create': '새 계정 만들기',
    'auth.modes': '로그인 또는 회원가입',
    'auth.tab.signIn': '로그인',
    'auth.tab.signUp': '회원가입',
    'auth.email': '이메일',
    'auth.password': '비밀번호',
    'auth.name': '이름',
    'auth.emailPlaceholder': 'name@example.com',
    'auth.passwordHint': '8자 이상 입력하세요.',
    'auth.nameHint': '친구들에게 보이는 이름이에요. 최대 40자.',
    'auth.submit.signIn': '로그인',
    'auth.submit.signUp': '회원가입',
    'auth.working': '잠시만 기다려 주세요…',
    'auth.signedOut': '로그아웃했어요.',
    'auth.sessionEnded': '세션이 끝났어요. 다시 로그인해 주세요.',
    'auth.terms': '가입하면 서로 배려하며 대화하는 데 동의하는 거예요.',

    'valid.email.required': '이메일을 입력하세요.',
    'valid.email.invalid': 'name@example.com 형식으로 입력하세요.',
    'valid.email.tooLong': '이메일이 너무 길어요.',
    'valid.password.required': '비밀번호를 입력하세요.',
    'valid.password.tooShort': '비밀번호는 8자 이상이어야 해요.',
    'valid.password.tooLong': '비밀번호가 너무 길어요.',
    'valid.name.required': '이름을 입력하세요.',
    'valid.name.tooLong': '이름은 40자까지 입력할 수 있어요.',
    'valid.status.tooLong': '상태메시지는 60자까지 입력할 수 있어요.',

    'error.emailTaken': '이미 가입된 이메일이에요.',
    'error.badCredentials': '이메일 또는 비밀번호가 올바르지 않아요.',
    'error.rateLimitedMinutes': '시도 횟수가 너무 많아요. {count}분 후에 다시 시도하세요.',
    'error.rateLimitedSeconds': '시도 횟수가 너무 많아요. {count}초 후에 다시 시도하세요.',
    'error.rateLimited': '시도 횟수가 너무 많아요. 잠시 후 다시 시도하세요.',
    'error.network': 'ChatTwo에 연결할 수 없어요. 인터넷 연결을 확인하고 다시 시도하세요.',
    'error.server': '서버에 문제가 생겼어요. 잠시 후 다시 시도하세요.',
    'error.validation': '입력한 내용을 확인해 주세요.',
    'error.unexpected': '문제가 생겼어요({status}). 다시 시도해 주세요.',

  },
};

/**
 * Adds a screen's own messages: {en: {key: text}, ko: {key: text}}. Each
 * part of the UI keeps its words beside its code (i18n_*.js) and registers
 * them here when first imported; keys must not collide.
 */
export function addMessages(table) {
  for (const [code, entries] of Object.entries(table)) {
    if (!isSupported(code)) throw new Error(`unknown language ${code}`);
    Object.assign(MESSAGES[code], entries);
  }
}

const listeners = new Set();
let current = detectLanguage();

function isSupported(code) {
  return Object.prototype.hasOwnProperty.call(MESSAGES, code);
}

function readStored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked (private mode, policy): fall back to the browser
  }
}

/** The browser's choice: 'ko*' means Korean, any other language English. */
export function browserLanguage(languages = navigator.languages) {
  const list = languages && languages.length ? languages : [navigator.language || 'en'];
  for (const tag of list) {
    const primary = String(tag).toLowerCase().split('-')[0];
    if (primary === 'ko') return 'ko';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

export function detectLanguage() {
  const stored = readStored();
  return stored && isSupported(stored) ? stored : browserLanguage();
}

/** The current language code, 'en' or 'ko'. */
export function language() {
  return current;
}

/** BCP 47 tag for Intl formatting. */
export function locale() {
  return current === 'ko' ? 'ko-KR' : 'en';
}

/** The message for key in the current language, with {param}s filled in. */
export function t(key, params = {}) {
  let message = MESSAGES[current][key] ?? MESSAGES.en[key];
  if (message === undefined) return key;
  if (typeof message === 'object') {
    const category = new Intl.PluralRules(locale()).select(Number(params.count));
    message = message[category] ?? message.other;
  }
  return message.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole);
}

/** Fills in an element's data-i18n text and data-i18n-attrs attributes. */
export function translateElement(el) {
  const key = el.dataset.i18n;
  if (key) {
    const params = el.dataset.i18nParams ? JSON.parse(el.dataset.i18nParams) : {};
    el.textContent = t(key, params);
  }
  if (el.dataset.i18nAttrs) {
    for (const [attr, attrKey] of Object.entries(JSON.parse(el.dataset.i18nAttrs))) {
      el.setAttribute(attr, t(attrKey));
    }
  }
}

/** Re-translates root and everything under it. */
export function translateTree(root = document.documentElement) {
  if (root.dataset) translateElement(root);
  for (const el of root.querySelectorAll('[data-i18n], [data-i18n-attrs]')) translateElement(el);
}

/** Switches the language, remembers it, and re-translates the page. */
export function setLanguage(code) {
  if (!isSupported(code) || code === current) return;
  current = code;
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // Not remembered, but the switch still applies to this page.
  }
  applyLanguage();
  for (const fn of listeners) fn(code);
}

/** Calls fn(code) after every language switch; returns an unsubscribe function. */
export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Sets <html lang> and translates the whole document. */
export function applyLanguage() {
  document.documentElement.lang = current;
  translateTree(document.documentElement);
  document.title = t('app.name');
}

/** Formats a date (an RFC 3339 string or Date) for people, in the current language. */
export function formatDate(value, options = {dateStyle: 'long'}) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale(), options).format(date);
}
