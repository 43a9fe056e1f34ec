// Tiny DOM helpers. Every piece of text reaches the page through textContent
// or a text node, never through innerHTML: names, status messages and server
// details are user-controlled, and the page's CSP forbids inline script anyway.

import {translateElement} from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Builds an element.
 *   h('button', {class: 'btn', type: 'button', on: {click: fn}}, 'Save')
 * props:
 *   class        string or array (falsy entries skipped)
 *   text         textContent
 *   i18n         a message key: the text is t(key, i18nParams), re-translated
 *                when the language changes (see i18n.translateTree)
 *   i18nParams   parameters for that key
 *   i18nAttrs    {attribute: key}: attributes re-translated the same way
 *   dataset      {key: value} for data-* attributes
 *   on           {event: handler}
 *   hidden, disabled, checked, value, ...: set as properties when the
 *                element has such a property, as attributes otherwise
 *   anything else with a dash or aria-/role/for: set as an attribute
 * children: nodes, strings (as text nodes), arrays, null/undefined/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  applyProps(el, props);
  append(el, ...children);
  return el;
}

/** Builds an SVG element (attributes only, no properties). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) el.setAttribute(name, String(value));
  }
  append(el, ...children);
  return el;
}

/** Appends children, flattening arrays; strings become text nodes. */
export function append(parent, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces all children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, ...children);
}

/** Sets the text of el safely (the one way user text reaches the page). */
export function setText(el, text) {
  el.textContent = text === null || text === undefined ? '' : String(text);
  return el;
}

/**
 * Text with line-break opportunities (<wbr>) after '@', '.', '-' and '_',
 * so an email or URL wraps at a sensible place on a narrow screen.
 * Returns a fragment to append; the text itself is still plain text nodes.
 */
export function breakable(text) {
  const fragment = document.createDocumentFragment();
  for (const part of String(text ?? '').split(/(?<=[@._-])/)) {
    if (fragment.childNodes.length) fragment.append(document.createElement('wbr'));
    fragment.append(document.createTextNode(part));
  }
  return fragment;
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function $$(selector, root = document) {
  return Array.from(root.querySelectorAll(selector));
}

let idCounter = 0;
/** A document-unique id for label/aria wiring: uid('email') -> 'email-3'. */
export function uid(prefix = 'el') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** Length in Unicode code points, the unit of every server-side limit. */
export function codePointLength(text) {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i += 1;
    }
    n += 1;
  }
  return n;
}

/**
 * The first user-perceived character of a name, for avatar initials:
 * a whole Hangul syllable, a whole emoji, or an upper-cased Latin letter.
 */
export function initialOf(name) {
  const text = (name || '').trim();
  if (!text) return '?';
  let first;
  if (typeof Intl !== 'undefined' && Intl.Segmenter) {
    const it = new Intl.Segmenter(undefined, {granularity: 'grapheme'}).segment(text)[Symbol.iterator]();
    first = it.next().value.segment;
  } else {
    first = String.fromCodePoint(text.codePointAt(0));
  }
  return first.toLocaleUpperCase();
}

function applyProps(el, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined) continue;
    switch (key) {
      case 'class':
        el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
        break;
      case 'text':
        el.textContent = String(value);
        break;
      case 'i18n':
        el.dataset.i18n = value;
        break;
      case 'i18nParams':
        el.dataset.i18nParams = JSON.stringify(value);
        break;
      case 'i18nAttrs':
        el.dataset.i18nAttrs = JSON.stringify(value);
        break;
      case 'dataset':
        Object.assign(el.dataset, value);
        break;
      case 'on':
        for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
        break;
      case 'style':
        // Never an attribute (the CSP blocks style="..."); CSSOM is allowed.
        Object.assign(el.style, value);
        break;
      default:
        if (key.includes('-') || key === 'role' || key === 'for' || !(key in el)) {
          if (value === false) continue;
          el.setAttribute(key, value === true ? '' : String(value));
        } else {
          el[key] = value;
        }
    }
  }
  // Translatable text and attributes are filled in now; translateTree
  // refreshes them when the language changes.
  if (el.dataset.i18n || el.dataset.i18nAttrs) translateElement(el);
}
