// Group chats through the UI, seen live from four browsers: A starts a
// group with B and C from the chats screen's "New chat" (the friend picker),
// it shows up in every member's list with its name and a group avatar; C's
// message carries "2 unread", then "1 unread", then nothing as A and B open
// the room; A renames it, and B's header and list follow; A invites D (a
// centred system message for everyone, a toast and a Notifications badge for
// D, who sees only the history from the invitation on); B leaves (gone from
// B's list, a system message for the others). The chats list keeps the
// newest activity on top throughout, also when two rooms get a message
// moments apart (the server's room events of one moment may arrive in any
// order). No page is reloaded.
//
// REST is used only to set up what other tests cover through the UI: the
// accounts, A's friendships, and a direct room A-D (for the list order).

import assert from 'node:assert/strict';

import {
  DESKTOP, PHONE, browserTest, eventually, expectMessenger, roomMessagesViaApi, sendViaApi, uniqueTag, useBrowserAndServer,
} from '../support/browser.mjs';

const env = useBrowserAndServer();

// `a` adds `b` as a friend (one way: enough for a's friend picker).
async function addFriendViaApi(a, b) {
  const res = await a.api.put(`/api/v1/friends/${b.user.id}`);
  assert.ok(res.status === 201 || res.status === 200, res.text);
}

// How many member avatars the room's entry draws (a group: one per other
// member, up to four), and whether they are on screen.
async function listAvatar(link) {
  return link.evaluate((el) => {
    const box = el.querySelector('.room-avatar');
    if (!box) return { count: 0, visible: false };
    const r = box.getBoundingClientRect();
    return { count: box.querySelectorAll('.avatar').length, visible: r.width > 0 && r.height > 0 };
  });
}

// Waits for the system message containing `text` in p's message log and
// checks that it is centred (its text box's middle at the log's middle) and
// drawn as no one's bubble (no avatar, not "mine").
async function expectSystemMessage(p, text) {
  const m = await p.waitForMessage(text, { message: `${p.label}: the system message "${text}"` });
  assert.equal(m.mine, false, `${p.label}: "${text}" is not drawn as one's own message`);
  const geometry = await p.page.evaluate((text) => {
    const log = window.__chattwo.messageLog();
    const items = [...log.querySelectorAll('li')].filter((li) => (li.innerText || '').includes(text) && !li.querySelector('li'));
    const li = items[items.length - 1];
    // The innermost element that holds the whole text.
    let box = li;
    for (;;) {
      const inner = [...box.children].find((c) => (c.innerText || '').includes(text));
      if (!inner) break;
      box = inner;
    }
    const r = box.getBoundingClientRect();
    const l = log.getBoundingClientRect();
    const contentWidth = log.clientWidth; // without a scrollbar
    return {
      textMiddle: r.left + r.width / 2,
      logMiddle: l.left + log.clientLeft + contentWidth / 2,
      width: r.width,
      avatars: li.querySelectorAll('.avatar, img').length,
    };
  }, text);
  assert.equal(geometry.avatars, 0, `${p.label}: "${text}" has no sender avatar`);
  // How it is drawn is checked at the end of the test (layoutProblems), so
  // that a layout bug does not hide what the rest of the test would find.
  if (Math.abs(geometry.textMiddle - geometry.logMiddle) > 6) {
    layoutProblems.push(`${p.label}: "${text}" is not centred in the log: its middle at ${geometry.textMiddle.toFixed(1)} px, ` +
      `the log's at ${geometry.logMiddle.toFixed(1)} px (text box ${geometry.width.toFixed(1)} px wide)`);
  }
  return m;
}

// Layout problems found on the way (see expectSystemMessage).
const layoutProblems = [];

// The order of p's chats list, once it equals `expected`.
async function expectOrder(p, expected, why) {
  await eventually(async () => JSON.stringify(await p.roomOrder()) === JSON.stringify(expected), {
    message: `${p.label}: the chats list in the order ${JSON.stringify(expected)} (${why})`,
    describe: () => p.roomOrder(),
  });
}

async function expectUnreadBadge(p, link, count) {
  if (count) {
    await link.getByText(`${count} unread`, { exact: true }).waitFor({ timeout: 20_000 });
  } else {
    await eventually(async () => (await link.getByText(/^\d+ unread$/).count()) === 0, {
      message: `${p.label}: no unread badge on the room`,
      describe: () => link.innerText(),
    });
  }
}

browserTest('a group chat: start, unread counts, rename, invite, leave, live in every list', env, async (scene) => {
  const tag = uniqueTag();
  // B on a laptop (header and list side by side), C on a phone.
  const a = await scene.person('A', { viewport: DESKTOP });
  const b = await scene.person('B', { viewport: DESKTOP });
  const c = await scene.person('C', { viewport: PHONE });
  const d = await scene.person('D', { viewport: DESKTOP });
  await a.signUpByApi({ name: `Ari ${tag}` });
  await expectMessenger(a);
  await b.signUpByApi({ name: `보라 ${tag}` });
  await c.signUpByApi({ name: `Chul ${tag}` });
  await d.signUpByApi({ name: `Dae ${tag}` });
  for (const p of [b, c, d]) await addFriendViaApi(a, p);

  // An older direct room A-D with a message: the group must go above it.
  const direct = await a.api.post('/api/v1/rooms', { memberIds: [d.user.id] });
  assert.ok(direct.status === 201 || direct.status === 200, direct.text);
  const directId = direct.body.id;
  await sendViaApi(d.api, directId, `예전 메시지 ${tag}`);

  for (const p of [a, b, c, d]) await p.go('Chats');
  await expectOrder(a, [d.name], 'only the direct room so far');
  // D starts with nothing unread in Notifications (A's friend request is read).
  await d.go('Notifications');
  await eventually(async () => (await d.navDescription('Notifications')) === '', {
    message: 'D: no unread notifications once the screen was opened',
    describe: () => d.navDescription('Notifications'),
  });
  await d.go('Chats');
  for (const p of [a, b, c, d]) await p.markNoReload();

  // --- A starts the group from "New chat" ----------------------------------------
  const groupName = `여행 모임 ${tag}`;
  await a.page.getByRole('button', { name: 'New chat', exact: true }).click();
  const picker = a.page.getByRole('dialog', { name: 'New chat' });
  await picker.waitFor();
  const start = picker.getByRole('button', { name: 'Start chat', exact: true });
  assert.equal(await start.isDisabled(), true, '"Start chat" waits for a pick');
  await picker.getByRole('checkbox', { name: b.name, exact: true }).check();
  await picker.getByRole('checkbox', { name: c.name, exact: true }).check();
  assert.equal(await picker.getByRole('checkbox', { name: d.name, exact: true }).isChecked(), false);
  await picker.getByLabel('Room name').fill(groupName);
  await start.click();
  await picker.waitFor({ state: 'detached' });
  await a.page.waitForURL((u) => /^#\/chats\/[^/?]+/.test(u.hash));
  const roomId = a.roomIdFromUrl();
  assert.notEqual(roomId, directId, 'a new room, not the direct one');
  await a.page.getByRole('heading', { level: 1, name: groupName, exact: true }).waitFor();
  await a.page.getByText('3 members', { exact: true }).waitFor();

  // In all three lists at once, with the name and a group avatar (one per
  // other member); D has no such room.
  for (const p of [a, b, c]) {
    const link = p.roomLink(groupName);
    await link.waitFor({ timeout: 20_000 });
    const avatarSeen = await listAvatar(link);
    assert.deepEqual(avatarSeen, { count: 2, visible: true }, `${p.label}: the group's avatar shows its two other members`);
    assert.equal(await link.getAttribute('href'), `#/chats/${encodeURIComponent(roomId)}`);
  }
  assert.equal(await d.roomLink(groupName).count(), 0, 'D is not in the group (yet)');
  await expectOrder(a, [groupName, d.name], 'the new group is the newest activity');

  // --- C writes; "2 unread" until A and B have read it -------------------------
  await a.go('Chats'); // A leaves the room: not reading
  await a.page.waitForURL((u) => u.hash === '#/chats');
  const fromC = `다들 안녕! 👋 ${tag}`;
  await c.openRoomFromList(groupName);
  assert.equal(c.roomIdFromUrl(), roomId);
  await c.sendText(fromC);
  await c.waitForMessage(fromC, { pred: (m) => m.mine && m.unread === 2, message: `C: "2 unread" beside "${fromC}"` });
  // Live in A's and B's lists: the preview and the badge.
  for (const p of [a, b]) {
    const link = p.roomLink(groupName);
    await link.filter({ hasText: fromC }).waitFor();
    await expectUnreadBadge(p, link, 1);
  }

  // The direct room gets newer activity: it goes to the top of A's list.
  const fromD = `잠깐 물어볼게 ${tag}`;
  await sendViaApi(d.api, directId, fromD);
  await expectOrder(a, [d.name, groupName], 'a message in the direct room');

  await a.openRoomFromList(groupName);
  await a.waitForMessage(fromC, { pred: (m) => !m.mine });
  await c.waitForMessage(fromC, { pred: (m) => m.unread === 1, message: `C: "1 unread" once A has read "${fromC}"` });
  await expectUnreadBadge(a, a.roomLink(groupName), 0);
  await b.openRoomFromList(groupName);
  await b.waitForMessage(fromC, { pred: (m) => !m.mine });
  await c.waitForMessage(fromC, { pred: (m) => m.unread === null, message: `C: no unread number once A and B have read "${fromC}"` });
  await expectOrder(a, [d.name, groupName], 'opening a room is no activity');

  // --- A renames the room ----------------------------------------------------
  const newName = `제주 여행 🍊 ${tag}`;
  await a.dismissToasts();
  await a.page.getByRole('button', { name: 'Rename', exact: true }).click();
  const renameDialog = a.page.getByRole('dialog', { name: 'Rename this chat' });
  await renameDialog.waitFor();
  const nameField = renameDialog.getByLabel('Room name');
  assert.equal(await nameField.inputValue(), groupName, 'the dialog offers the current name');
  await nameField.fill(newName);
  await renameDialog.getByRole('button', { name: 'Save', exact: true }).click();
  await renameDialog.waitFor({ state: 'detached' });
  for (const p of [a, b, c]) {
    await p.page.getByRole('heading', { level: 1, name: newName, exact: true }).waitFor();
  }
  await b.roomLink(newName).waitFor();
  assert.equal(await b.roomLink(groupName).count(), 0, "B's list no longer shows the old name");
  await a.roomLink(newName).waitFor();
  await expectOrder(a, [d.name, newName], 'a rename is no new message: the room stays where it is');

  // --- A invites D -----------------------------------------------------------------
  await a.dismissToasts();
  await a.page.getByRole('button', { name: 'Invite', exact: true }).click();
  const invite = a.page.getByRole('dialog', { name: 'Invite friends' });
  await invite.waitFor();
  await invite.getByRole('checkbox', { name: d.name, exact: true }).waitFor();
  assert.equal(await invite.getByRole('checkbox').count(), 1, 'only D is offered: B and C are members already');
  await invite.getByRole('checkbox', { name: d.name, exact: true }).check();
  await invite.getByRole('button', { name: 'Invite', exact: true }).click();
  await invite.waitFor({ state: 'detached' });

  const invitedText = `${a.name} invited ${d.name}`;
  for (const p of [a, b, c]) await expectSystemMessage(p, invitedText);
  await a.page.getByText('4 members', { exact: true }).waitFor();
  await expectOrder(a, [newName, d.name], 'the invitation is the newest activity');

  // D: a toast, a badge on Notifications, the room in the list.
  await d.page.getByRole('status').filter({ hasText: `${a.name} invited you to a chat` }).first().waitFor();
  await eventually(async () => (await d.navDescription('Notifications')) === '1 unread notification', {
    message: 'D: "1 unread notification" on the Notifications link',
    describe: () => d.navDescription('Notifications'),
  });
  const dLink = d.roomLink(newName);
  await dLink.waitFor();
  assert.deepEqual(await listAvatar(dLink), { count: 3, visible: true }, "D: the group's avatar shows A, B and C");
  await expectOrder(d, [newName, a.name], "D's list: the group above the direct room");

  // D sees the history from the invitation on: the system message, not C's
  // earlier message.
  await d.openRoomFromList(newName);
  assert.equal(d.roomIdFromUrl(), roomId);
  await expectSystemMessage(d, invitedText);
  const dSees = await d.messages();
  assert.ok(!dSees.some((m) => m.text.includes(fromC)), `D does not see "${fromC}" from before the invitation: ${JSON.stringify(dSees.map((m) => m.text))}`);
  const afterInvite = `어서 와요 Dae! ${tag}`;
  await a.sendText(afterInvite);
  await d.waitForMessage(afterInvite, { pred: (m) => !m.mine });
  await b.waitForMessage(afterInvite);

  // --- B leaves ---------------------------------------------------------------------
  await b.dismissToasts();
  await b.page.getByRole('button', { name: 'Leave room', exact: true }).click();
  const confirm = b.page.getByRole('dialog', { name: 'Leave this chat?' });
  await confirm.waitFor();
  await confirm.getByRole('button', { name: 'Leave room', exact: true }).click();
  await b.page.waitForURL((u) => u.hash === '#/chats');
  await eventually(async () => (await b.roomLink(newName).count()) === 0, {
    message: "B: the room is gone from B's list",
    describe: () => b.roomOrder(),
  });
  const leftText = `${b.name} left`;
  for (const p of [a, c, d]) await expectSystemMessage(p, leftText);
  await a.page.getByText('3 members', { exact: true }).waitFor();

  // Activity after B left stays out of B's list.
  const afterLeave = `보라 없이 계속 ${tag}`;
  await c.sendText(afterLeave);
  for (const p of [a, d]) await p.waitForMessage(afterLeave);
  await a.roomLink(newName).filter({ hasText: afterLeave }).waitFor();
  await expectOrder(a, [newName, d.name], "the group's newest message");
  assert.equal(await b.roomLink(newName).count(), 0, "B's list still has no room after a message in it");
  assert.deepEqual(await b.roomOrder(), [], "B's list is empty (B was only in the group)");

  // Two rooms get a message moments apart, both ways round: the one written
  // last is on top once both previews are in (the server's room events of
  // one moment may come in any order: the list must not depend on it).
  const rounds = [
    { first: ['group', `그룹 먼저 ${tag}`], then: ['direct', `그 다음 1:1 ${tag}`], top: d.name },
    { first: ['direct', `1:1 먼저 ${tag}`], then: ['group', `그 다음 그룹 ${tag}`], top: newName },
  ];
  const stored = [];
  for (const round of rounds) {
    for (const [where, text] of [round.first, round.then]) {
      if (where === 'group') stored.push(text);
      await sendViaApi(where === 'group' ? c.api : d.api, where === 'group' ? roomId : directId, text);
    }
    const groupText = round.first[0] === 'group' ? round.first[1] : round.then[1];
    const directText = round.first[0] === 'direct' ? round.first[1] : round.then[1];
    await a.roomLink(newName).filter({ hasText: groupText }).waitFor();
    await eventually(async () => (await a.page.getByRole('list', { name: 'Chats', exact: true }).getByRole('link')
      .filter({ hasText: directText }).count()) === 1, { message: `A: "${directText}" in the direct room's entry` });
    const expected = round.top === d.name ? [d.name, newName] : [newName, d.name];
    await expectOrder(a, expected, `"${round.then[1]}" was written after "${round.first[1]}"`);
  }

  // What the server holds agrees with what the pages showed.
  const inRoom = await roomMessagesViaApi(a.api, roomId);
  assert.deepEqual(inRoom.map((m) => (m.type === 'system' ? `[${m.text}]` : m.text)),
    [fromC, `[${invitedText}]`, afterInvite, `[${leftText}]`, afterLeave, ...stored]);
  for (const p of [a, b, c, d]) await p.assertNotReloaded();
  assert.deepEqual(layoutProblems, [], 'system messages are drawn centred');
});
