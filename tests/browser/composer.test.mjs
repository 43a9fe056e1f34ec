// The message box and what comes with it, in a real browser: Enter sends and
// Shift+Enter breaks the line; a blank message cannot be sent; images come
// into the tray by a paste and by a drop on the room, go out with Send (a
// progress bar while they upload) and arrive in both pages; a file that is
// not an image is refused in words; a thumbnail opens the full image in a
// viewer that Escape closes; a toast tells of a message in a room not on
// screen and opens it; and the language switch on the Profile screen turns
// the navigation and Send into Korean, which a reload keeps.
//
// Headless Chromium gives pages no clipboard and no real drag and drop from
// the desktop, so a paste is a ClipboardEvent and a drop the drag events,
// each with a DataTransfer of Files made in the page (browser.mjs
// pasteFiles / dropFiles).

import assert from 'node:assert/strict';

import {
  DESKTOP, PHONE, befriendViaApi, browserTest, eventually, expectMessenger, roomMessagesViaApi, sendViaApi,
  uniqueTag, useBrowserAndServer,
} from '../support/browser.mjs';
import { makeImage } from '../support/images.mjs';

const env = useBrowserAndServer();

// Two friends, each with their room open.
async function twoInARoom(scene, tag, { viewportA = DESKTOP, viewportB = PHONE } = {}) {
  const a = await scene.person('A', { viewport: viewportA });
  const b = await scene.person('B', { viewport: viewportB });
  await a.signUpByApi({ name: `Composer A ${tag}` });
  await expectMessenger(a);
  await b.signUpByApi({ name: `작성자 B ${tag}` });
  const roomId = await befriendViaApi(a, b);
  await a.openRoomByUrl(roomId);
  await b.openRoomByUrl(roomId);
  return { a, b, roomId };
}

// The text of the message containing `text` as the page renders it
// (innerText: a line break shows as "\n" only where it is drawn as one).
async function renderedText(p, text) {
  return p.page.evaluate((text) => {
    const log = window.__chattwo.messageLog();
    const hit = [...log.querySelectorAll('li')].filter((li) => (li.textContent || '').includes(text) && !li.querySelector('li'));
    return hit.length ? hit[hit.length - 1].innerText : null;
  }, text);
}

const loadedImage = (m) => m.images.length > 0 && m.images.every((i) => i.loaded);

browserTest('Enter sends, Shift+Enter breaks the line, a blank message cannot be sent', env, async (scene) => {
  const tag = uniqueTag();
  const { a, b, roomId } = await twoInARoom(scene, tag);
  const box = a.page.getByRole('textbox', { name: 'Message' });
  const send = a.page.getByRole('button', { name: 'Send', exact: true });

  // Nothing, or only whitespace: Send stays disabled, Enter does nothing.
  assert.equal(await send.isDisabled(), true, 'Send is disabled while the box is empty');
  for (const blank of ['   ', ' \n\t\n ', '\u3000']) {
    await box.fill(blank);
    assert.equal(await send.isDisabled(), true, `Send is disabled for the blank ${JSON.stringify(blank)}`);
  }
  await box.fill('    ');
  await box.press('Enter');
  await box.fill('');

  // Shift+Enter breaks the line and sends nothing; Enter sends.
  const line1 = `첫 줄 ${tag}`;
  const line2 = `second line ✨ ${tag}`;
  await box.click();
  await a.page.keyboard.type(line1);
  await a.page.keyboard.press('Shift+Enter');
  await a.page.keyboard.type(line2);
  assert.equal(await box.inputValue(), `${line1}\n${line2}`, 'Shift+Enter put a line break in the box');
  assert.ok(!(await a.messages()).some((m) => m.text.includes(line1)), 'Shift+Enter sent nothing');
  assert.equal(await send.isDisabled(), false, 'Send is enabled for a real message');
  await a.page.keyboard.press('Enter');
  await eventually(async () => (await box.inputValue()) === '', { message: 'the box is emptied by Enter' });

  // It arrives with its line break, drawn as two lines, on both sides.
  await a.waitForMessage(line2, { pred: (m) => m.mine && m.text.includes(line1) });
  await b.waitForMessage(line2, { pred: (m) => !m.mine && m.text.includes(line1) });
  for (const p of [a, b]) {
    const shown = await renderedText(p, line1);
    assert.ok(shown && shown.includes(`${line1}\n${line2}`), `${p.label}: the message shows its two lines: ${JSON.stringify(shown)}`);
  }

  // A blank Enter again, then a real message: only the real ones are stored.
  await box.fill(' \n ');
  await box.press('Enter');
  const after = `빈 메시지 다음 ${tag}`;
  await box.fill(after);
  await box.press('Enter');
  await b.waitForMessage(after);
  const stored = (await roomMessagesViaApi(a.api, roomId)).map((m) => m.text);
  assert.deepEqual(stored, [`${line1}\n${line2}`, after], 'nothing blank was stored; the line break was');
});

browserTest('images by paste and by drop: previews, Send with a progress bar, in both pages; a non-image refused; the full image opens and Escape closes it', env, async (scene) => {
  const tag = uniqueTag();
  const { a, b, roomId } = await twoInARoom(scene, tag);
  const tray = a.page.getByRole('list', { name: 'Images to send' });
  const send = a.page.getByRole('button', { name: 'Send', exact: true });

  // Not an image: dropped on the room, or picked with "Attach image".
  const notes = { name: `notes-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from('just words, not a picture\n') };
  const drag = await a.dropFiles([notes]);
  assert.equal(drag.overAccepted, true, 'the room accepts files dragged over it (dragover cancelled)');
  await a.page.getByRole('alert').filter({ hasText: `${notes.name} is not a JPEG, PNG, WebP or GIF image.` }).waitFor();
  assert.equal(await tray.getByRole('img').count(), 0, 'nothing waits in the tray');
  assert.equal(await send.isDisabled(), true, 'nothing to send');
  const pdf = { name: `report-${tag}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') };
  await a.page.getByLabel('Attach image').setInputFiles(pdf);
  await a.page.getByRole('alert').filter({ hasText: `${pdf.name} is not a JPEG, PNG, WebP or GIF image.` }).waitFor();
  assert.equal(await tray.getByRole('img').count(), 0, 'still nothing in the tray');

  // A pasted PNG and a dropped JPEG wait side by side in the tray.
  const pasted = { name: `pasted-${tag}.png`, mimeType: 'image/png', buffer: makeImage('png', 120, 80) };
  const dropped = { name: `dropped-${tag}.jpg`, mimeType: 'image/jpeg', buffer: makeImage('jpg', 64, 96) };
  assert.equal(await a.pasteFiles([pasted]), true, 'the message box takes the pasted image');
  await tray.getByRole('img', { name: pasted.name }).waitFor();
  const drop = await a.dropFiles([dropped]);
  assert.deepEqual(drop, { enterAccepted: false, overAccepted: true, dropAccepted: true }, 'the room takes the drop');
  await tray.getByRole('img', { name: dropped.name }).waitFor();
  assert.equal(await tray.getByRole('img').count(), 2, 'two previews in the tray');
  await eventually(() => tray.getByRole('img').evaluateAll((imgs) => imgs.every((i) => i.complete && i.naturalWidth > 0)), {
    message: 'the previews show the pictures',
  });
  assert.equal(await a.page.getByRole('alert').filter({ hasText: 'is not a JPEG' }).count(), 0, 'the refusal is gone once images came in');

  // Send: while the uploads are held back, each shows a progress bar.
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  let held = 0;
  const hold = async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    held += 1;
    await gate;
    return route.continue();
  };
  await a.page.route('**/api/v1/images', hold);
  try {
    await send.click();
    await eventually(async () => (await tray.count()) === 0 || !(await tray.isVisible()), { message: 'the tray empties on Send' });
    const bars = a.log().getByRole('progressbar');
    await eventually(async () => (await bars.count()) === 2, {
      message: 'a progress bar for each image while it uploads',
      describe: async () => ({ bars: await bars.count(), held }),
    });
    for (const value of await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('aria-valuenow'))))) {
      assert.ok(value >= 0 && value <= 100, `aria-valuenow ${value} is in 0..100`);
    }
  } finally {
    release();
  }
  await eventually(async () => (await a.messages()).filter((m) => m.mine && loadedImage(m)).length === 2
    && (await a.log().getByRole('progressbar').count()) === 0, {
    message: "A: both images sent and shown, no progress bar left",
    describe: async () => (await a.messages()).slice(-3),
  });
  await a.page.unroute('**/api/v1/images', hold);
  await eventually(async () => (await b.messages()).filter((m) => !m.mine && loadedImage(m)).length === 2, {
    message: "B: both of A's images shown",
    describe: async () => (await b.messages()).slice(-3),
  });
  const stored = (await roomMessagesViaApi(a.api, roomId)).filter((m) => m.type === 'image');
  assert.deepEqual(stored.map((m) => [m.image.width, m.image.height]), [[120, 80], [64, 96]], 'stored in the order they were put in the tray');

  // The full image in a viewer; Escape closes it.
  await b.page.getByRole('button', { name: /Open the full image/ }).first().click();
  const viewer = b.page.getByRole('dialog', { name: 'Image' });
  await viewer.waitFor();
  const full = await eventually(() => viewer.getByRole('img').evaluate((i) => (i.complete && i.naturalWidth > 0
    ? { src: i.currentSrc || i.src, width: i.naturalWidth, height: i.naturalHeight } : null)), {
    message: 'the viewer shows the image',
  });
  assert.equal(new URL(full.src).pathname, stored[0].image.url, 'the viewer shows the full image, not the thumbnail');
  assert.deepEqual([full.width, full.height], [120, 80]);
  await b.page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
  assert.equal(await b.page.getByRole('dialog').count(), 0, 'no dialog left after Escape');
});

browserTest('a toast tells of a message in a room not on screen, and opens that room', env, async (scene) => {
  const tag = uniqueTag();
  const { a, b, roomId } = await twoInARoom(scene, tag, { viewportA: DESKTOP });
  const c = await scene.person('C', { viewport: PHONE });
  await c.signUpByApi({ name: `Toaster C ${tag}` });
  const otherRoom = await befriendViaApi(a, c);
  await a.dismissToasts(); // friend requests

  // A message in the room on screen: no toast (checked below).
  const here = `여기 있는 방 ${tag}`;
  await sendViaApi(b.api, roomId, here);
  await a.waitForMessage(here);
  await a.roomLink(b.name).filter({ hasText: here }).waitFor(); // its room event has come

  // A message in another room: a toast with who and what.
  const there = `다른 방에서 왔어요 📬 ${tag}`;
  await sendViaApi(c.api, otherRoom, there);
  const toast = a.page.getByRole('status').getByRole('button', { name: there });
  await toast.waitFor();
  const words = await toast.innerText();
  assert.ok(words.includes(c.name), `the toast names the sender: ${JSON.stringify(words)}`);
  assert.equal(await a.page.getByRole('status').getByRole('button', { name: here }).count(), 0,
    'no toast for a message in the room on screen');

  await toast.click();
  await a.page.waitForURL((u) => u.hash === `#/chats/${encodeURIComponent(otherRoom)}`);
  await a.page.getByRole('heading', { level: 1, name: c.name, exact: true }).waitFor();
  await a.waitForMessage(there, { pred: (m) => !m.mine });
  await toast.waitFor({ state: 'detached' });
});

browserTest('한국어: the Profile screen\'s Language turns the navigation and Send into Korean; a reload keeps it', env, async (scene) => {
  const tag = uniqueTag();
  const { a, b, roomId } = await twoInARoom(scene, tag);
  await a.go('Profile');
  await a.page.getByLabel('Language', { exact: true }).selectOption({ label: '한국어' });

  const nav = a.page.getByRole('navigation');
  const expectKorean = async (when) => {
    for (const name of ['친구', '채팅', '알림', '프로필']) {
      await nav.getByRole('link', { name, exact: true }).waitFor({ timeout: 20_000 });
    }
    for (const name of ['Friends', 'Chats', 'Notifications', 'Profile']) {
      assert.equal(await nav.getByRole('link', { name, exact: true }).count(), 0, `${when}: no "${name}" left in the navigation`);
    }
    assert.equal(await a.page.evaluate(() => document.documentElement.lang), 'ko', `${when}: <html lang="ko">`);
  };
  await expectKorean('after the switch');
  assert.equal(await a.page.getByLabel('언어', { exact: true }).inputValue(), 'ko', 'the select shows 한국어, now labelled 언어');

  // The room's composer: 전송, and it sends.
  await a.page.evaluate((id) => { window.location.hash = `#/chats/${encodeURIComponent(id)}`; }, roomId);
  const send = a.page.getByRole('button', { name: '전송', exact: true });
  await send.waitFor();
  assert.equal(await a.page.getByRole('button', { name: 'Send', exact: true }).count(), 0, 'no English "Send" left');
  const text = `한국어로 보냄 ${tag}`;
  await a.page.getByRole('textbox', { name: '메시지' }).fill(text);
  await send.click();
  await b.waitForMessage(text);
  // B's page is untouched: still English.
  await b.page.getByRole('button', { name: 'Send', exact: true }).waitFor();

  await a.page.reload();
  await expectKorean('after a reload');
  await a.page.getByRole('button', { name: '전송', exact: true }).waitFor();
  await a.waitForMessage(text, { pred: (m) => m.mine });
});
