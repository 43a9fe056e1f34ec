// The words of a system message ("A invited B, C", "A left") in the page's
// language, from the event the server attaches to it (message.system). The
// server's English `text` is the fallback: for system messages stored
// before events existed, and when a name is not known here.

import {language, t} from './i18n.js';

/**
 * nameOf(userId) -> a name or null. Returns the sentence, or the message's
 * own text when the event or a name is missing.
 */
export function systemText(message, nameOf) {
  const event = message.system;
  if (!event) return message.text || '';
  const actor = nameOf(event.actorId);
  if (!actor) return message.text || '';
  if (event.action === 'left') return t('chat.sys.left', {actor});
  if (event.action === 'invited') {
    const names = (event.userIds || []).map(nameOf);
    if (!names.length || names.some((n) => !n)) return message.text || '';
    // Korean repeats the honorific after each name (A님, B님); English lists.
    const list = language() === 'ko' ? names.join('님, ') : new Intl.ListFormat('en', {type: 'conjunction'}).format(names);
    return t('chat.sys.invited', {actor, names: list});
  }
  return message.text || '';
}
