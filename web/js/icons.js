// The few line icons of the people screens, drawn inline as SVG so they
// take the text colour and need no extra request. All are decorative
// (aria-hidden): the button or link around them carries the name.

import {svg} from './dom.js';

const PATHS = {
  search: ['M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13Z', 'm15.5 15.5 4.5 4.5'],
  close: ['M6 6l12 12', 'M18 6 6 18'],
  chat: ['M12 4.5c-4.7 0-8.5 3-8.5 6.7 0 2.4 1.6 4.5 4 5.7l-.9 3.3 3.8-2.4c.5.1 1 .1 1.6.1 4.7 0 8.5-3 8.5-6.7S16.7 4.5 12 4.5Z'],
  personRemove: ['M9.5 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7Z', 'M3 20c.6-3.6 3.2-6 6.5-6s5.9 2.4 6.5 6', 'M16 9.5h5'],
  personAdd: ['M9.5 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7Z', 'M3 20c.6-3.6 3.2-6 6.5-6s5.9 2.4 6.5 6', 'M18.5 7v5', 'M16 9.5h5'],
  check: ['m5 12.5 4.5 4.5L19 7.5'],
  camera: ['M4 8.5A1.5 1.5 0 0 1 5.5 7h2l1.5-2h6l1.5 2h2A1.5 1.5 0 0 1 20 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 17.5v-9Z', 'M12 16a3.2 3.2 0 1 0 0-6.4 3.2 3.2 0 0 0 0 6.4Z'],
  bell: ['M6 16.5V11a6 6 0 1 1 12 0v5.5l1.5 1.5h-15L6 16.5Z', 'M10 20.5a2 2 0 0 0 4 0'],
  chevron: ['m9 6 6 6-6 6'],
  signOut: ['M14 4h4.5A1.5 1.5 0 0 1 20 5.5v13a1.5 1.5 0 0 1-1.5 1.5H14', 'M10 8l-4 4 4 4', 'M6 12h10'],
};

/** icon('search') -> <svg class="ct-icon">; size in px (20 by default). */
export function icon(name, {size = 20, extraClass = ''} = {}) {
  return svg('svg', {
    class: ['ct-icon', extraClass].filter(Boolean).join(' '),
    viewBox: '0 0 24 24', width: size, height: size, 'aria-hidden': 'true', focusable: 'false',
  }, (PATHS[name] || []).map((d) => svg('path', {
    d, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.8, 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
  })));
}
