// The message box of a room: Enter sends, Shift+Enter breaks the line (and
// Enter while an IME is composing Korean only ends the syllable); it grows
// with the text up to a few lines. Images come from the picker, a paste or a
// drop onto the room, wait as previews above the box, and go out with Send.

import {codePointLength, h, replace, setText, uid} from './dom.js';
import {t} from './i18n.js';
import {IMAGE_TYPES, MAX_IMAGE_BYTES} from './upload.js';

export const MAX_TEXT = 10000; // code points, as the server counts
const MAX_ATTACHMENTS = 10;

/**
 * onSend({text, files}) is called with trimmed-of-nothing text (sent exactly
 * as typed, unless only whitespace) and the picked image files.
 * dropTarget: the element that accepts dropped files (the whole room).
 */
export function createComposer({onSend, dropTarget}) {
  const fileId = uid('attach');
  const input = h('textarea', {class: 'composer-input', rows: 1, autocomplete: 'off', enterkeyhint: 'send',
    i18nAttrs: {'aria-label': 'chat.message', placeholder: 'chat.messagePlaceholder'}});
  const file = h('input', {id: fileId, type: 'file', class: 'composer-file', multiple: true,
    accept: IMAGE_TYPES.join(','), i18nAttrs: {'aria-label': 'chat.attachImage'}});
  const attach = h('label', {for: fileId, class: 'composer-attach', i18nAttrs: {title: 'chat.attachImage'}},
    h('span', {'aria-hidden': 'true', text: '＋'}));
  const send = h('button', {type: 'submit', class: 'btn composer-send', disabled: true}, h('span', {i18n: 'chat.send'}));
  const tray = h('ul', {class: 'composer-tray', hidden: true, i18nAttrs: {'aria-label': 'chat.attachments'}});
  const note = h('p', {class: 'composer-note', role: 'alert', hidden: true});
  const form = h('form', {class: 'composer', novalidate: true},
    tray, note, h('div', {class: 'composer-row'}, file, attach, input, send));
  let files = []; // {file, url}

  function canSend() {
    return files.length > 0 || /\S/.test(input.value);
  }

  function refresh() {
    const over = codePointLength(input.value) > MAX_TEXT;
    send.disabled = !canSend() || over;
    if (over) showNote('chat.tooLong', {max: MAX_TEXT});
    else if (note.dataset.i18n === 'chat.tooLong') hideNote();
    // Grow with the text, up to the CSS max-height.
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight}px`;
  }

  function showNote(key, params = {}) {
    note.dataset.i18n = key;
    note.dataset.i18nParams = JSON.stringify(params);
    setText(note, t(key, params));
    note.hidden = false;
  }

  function hideNote() {
    delete note.dataset.i18n;
    note.hidden = true;
  }

  function addFiles(list) {
    hideNote();
    for (const f of list) {
      if (!IMAGE_TYPES.includes(f.type)) {
        showNote('chat.notAnImage', {name: f.name || ''});
        continue;
      }
      if (f.size > MAX_IMAGE_BYTES) {
        showNote('chat.imageTooLarge', {name: f.name || ''});
        continue;
      }
      if (files.length >= MAX_ATTACHMENTS) break;
      files.push({file: f, url: URL.createObjectURL(f)});
    }
    renderTray();
    refresh();
  }

  function renderTray() {
    tray.hidden = files.length === 0;
    replace(tray, files.map((entry) => {
      const remove = h('button', {type: 'button', class: 'btn-close composer-tray-remove',
        i18nAttrs: {'aria-label': 'chat.removeAttachment'}});
      remove.addEventListener('click', () => {
        URL.revokeObjectURL(entry.url);
        files = files.filter((x) => x !== entry);
        renderTray();
        refresh();
        input.focus();
      });
      return h('li', {class: 'composer-tray-item'},
        h('img', {src: entry.url, alt: entry.file.name || '', class: 'composer-tray-img'}), remove);
    }));
  }

  function submit() {
    if (send.disabled) return;
    const text = /\S/.test(input.value) ? input.value : '';
    const picked = files.map((x) => x.file);
    for (const x of files) URL.revokeObjectURL(x.url);
    files = [];
    input.value = '';
    renderTray();
    refresh();
    onSend({text, files: picked});
    input.focus();
  }

  input.addEventListener('input', refresh);
  input.addEventListener('keydown', (event) => {
    // keyCode 229: Safari reports the IME's Enter this way, without isComposing.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    submit();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  file.addEventListener('change', () => {
    addFiles(Array.from(file.files || []));
    file.value = '';
    input.focus();
  });
  input.addEventListener('paste', (event) => {
    const pasted = Array.from(event.clipboardData ? event.clipboardData.files : []);
    if (!pasted.length) return;
    event.preventDefault();
    addFiles(pasted);
  });

  // Drag and drop anywhere on the room.
  let dragDepth = 0;
  const hasFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types || []).includes('Files');
  const onDragEnter = (event) => {
    if (!hasFiles(event)) return;
    dragDepth += 1;
    dropTarget.classList.add('is-dropping');
  };
  const onDragLeave = () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) dropTarget.classList.remove('is-dropping');
  };
  const onDragOver = (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth = 0;
    dropTarget.classList.remove('is-dropping');
    addFiles(Array.from(event.dataTransfer.files || []));
    input.focus();
  };
  dropTarget.addEventListener('dragenter', onDragEnter);
  dropTarget.addEventListener('dragleave', onDragLeave);
  dropTarget.addEventListener('dragover', onDragOver);
  dropTarget.addEventListener('drop', onDrop);

  return {
    el: form,
    focus: () => input.focus(),
    destroy() {
      for (const x of files) URL.revokeObjectURL(x.url);
      dropTarget.removeEventListener('dragenter', onDragEnter);
      dropTarget.removeEventListener('dragleave', onDragLeave);
      dropTarget.removeEventListener('dragover', onDragOver);
      dropTarget.removeEventListener('drop', onDrop);
    },
  };
}
