// The language switcher: a small labelled <select> (English / 한국어).
// Each language is named in itself, so anyone can find theirs.

import {h, svg, uid} from './dom.js';
import {LANGUAGES, language, onLanguageChange, setLanguage} from './i18n.js';

function globeIcon() {
  return svg('svg', {class: 'lang-icon', viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true', focusable: 'false'},
    svg('circle', {cx: 8, cy: 8, r: 6.5, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.3}),
    svg('ellipse', {cx: 8, cy: 8, rx: 2.8, ry: 6.5, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.3}),
    svg('path', {d: 'M1.8 5.8h12.4M1.8 10.2h12.4', fill: 'none', stroke: 'currentColor', 'stroke-width': 1.3}));
}

/** Returns {el, destroy}. The label is visually hidden; the globe shows what it is. */
export function languageSelect() {
  const id = uid('language');
  const select = h('select', {id, class: 'form-select form-select-sm lang-select', autocomplete: 'off'},
    LANGUAGES.map(({code, label}) => h('option', {value: code, lang: code, text: label})));
  select.value = language();
  select.addEventListener('change', () => setLanguage(select.value));
  // Another switcher (or a future settings page) may change the language too.
  const off = onLanguageChange((code) => { select.value = code; });

  const el = h('div', {class: 'lang-switcher'},
    h('label', {for: id, class: 'lang-label'}, globeIcon(), h('span', {class: 'visually-hidden', i18n: 'app.language'})),
    select);
  return {el, destroy: off};
}
