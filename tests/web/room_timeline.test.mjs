// The room screen's model (web/js/room_timeline.js) without a browser: it
// has no DOM, so node runs it as it is served.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RoomTimeline } from '../../web/js/room_timeline.js';

const ME = 'me';
const YOU = 'you';
const THEM = 'them';

function msg(seq, senderId = YOU, extra = {}) {
  return { id: `m${seq}`, seq, senderId, type: 'text', text: `#${seq}`, createdAt: '2026-11-26T01:00:00.000Z', ...extra };
}

function members(marks) {
  return Object.entries(marks).map(([id, lastReadSeq]) => ({ user: { id, name: id }, lastReadSeq, joinedSeq: 1 }));
}

test('messages are kept once, in seq order, however they arrive', () => {
  const t = new RoomTimeline(ME);
  assert.equal(t.add([msg(3), msg(1)]), 2);
  assert.equal(t.add([msg(2), msg(3)]), 1, 'a repeat is not added again');
  assert.deepEqual(t.messages().map((m) => m.seq), [1, 2, 3]);
  assert.equal(t.oldestSeq, 1);
  assert.equal(t.newestSeq, 3);
});

test('contiguousSeq stops at the first hole: where a catch-up starts', () => {
  const t = new RoomTimeline(ME);
  assert.equal(t.contiguousSeq, 0);
  t.add([msg(10), msg(11), msg(13)]);
  assert.equal(t.contiguousSeq, 11, 'seq 12 is missing (stored while offline, say)');
  t.add([msg(12)]);
  assert.equal(t.contiguousSeq, 13);
});

test('the unread number counts members whose mark is before the message; system messages show none', () => {
  const t = new RoomTimeline(ME);
  t.setMembers(members({ [ME]: 5, [YOU]: 3, [THEM]: 4 }));
  t.add([msg(5, ME), msg(6, ME, { type: 'system', senderId: null })]);
  assert.equal(t.unreadOf(t.messages()[0]), 2, 'YOU (3) and THEM (4) have not read seq 5');
  assert.equal(t.unreadOf(t.messages()[1]), 0);
  assert.equal(t.applyRead({ userId: YOU, lastReadSeq: 5 }), true);
  assert.equal(t.unreadOf(t.messages()[0]), 1);
  assert.equal(t.applyRead({ userId: YOU, lastReadSeq: 4 }), false, 'a mark never goes back');
  assert.equal(t.applyRead({ userId: 'stranger', lastReadSeq: 9 }), false, 'not a member we know');
});

test("a sender has read their own message: its arrival raises the sender's mark", () => {
  const t = new RoomTimeline(ME);
  t.setMembers(members({ [ME]: 0, [YOU]: 0 }));
  t.add([msg(1, YOU)]);
  assert.equal(t.unreadOf(t.messages()[0]), 1, 'only ME has not read it');
});

test('a fresher room answer never moves a mark back (a read event may have come first)', () => {
  const t = new RoomTimeline(ME);
  t.setMembers(members({ [ME]: 2, [YOU]: 2 }));
  t.applyRead({ userId: YOU, lastReadSeq: 7 });
  t.setMembers(members({ [ME]: 2, [YOU]: 5, [THEM]: 0 }));
  t.add([msg(6, ME)]);
  assert.equal(t.unreadOf(t.messages()[0]), 1, 'YOU stays at 7; THEM (new) has not read 6');
  t.setMembers(members({ [ME]: 6, [THEM]: 0 }));
  assert.equal(t.unreadOf(t.messages()[0]), 1, 'YOU left: no longer counted');
});

test("one's own stored message replaces its pending bubble, keeping a local image preview", () => {
  const t = new RoomTimeline(ME);
  t.addPending({ clientMsgId: 'c1', type: 'image', previewUrl: 'blob:one', state: 'sending' });
  t.addPending({ clientMsgId: 'c2', type: 'text', text: 'hi', state: 'sending' });
  assert.deepEqual(t.pendingList().map((p) => p.clientMsgId), ['c1', 'c2']);
  t.add([msg(4, ME, { type: 'image', clientMsgId: 'c1' })]);
  assert.deepEqual(t.pendingList().map((p) => p.clientMsgId), ['c2']);
  assert.equal(t.localPreviews.get(4), 'blob:one');
  assert.equal(t.hasClientMsgId('c1'), true);
  assert.equal(t.hasClientMsgId('c2'), false);
  t.add([msg(5, YOU, { clientMsgId: 'c2' })]);
  assert.deepEqual(t.pendingList().map((p) => p.clientMsgId), ['c2'], "someone else's clientMsgId is not ours");
});

test('a message that arrived before its sender was a known member still counts as read by them', () => {
  const t = new RoomTimeline(ME);
  t.setMembers(members({ [ME]: 3, [YOU]: 3 }));
  t.add([msg(4, THEM)]); // THEM was just invited; the room is read again after
  t.setMembers(members({ [ME]: 3, [YOU]: 3, [THEM]: 2 }));
  assert.equal(t.unreadOf(t.messages()[0]), 2, 'ME and YOU have not read it; THEM sent it');
});
