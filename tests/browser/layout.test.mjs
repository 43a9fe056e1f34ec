// Every main screen at a phone's 360x740 and a laptop's 1280x800: nothing
// scrolls sideways (document.scrollingElement.scrollWidth <= innerWidth),
// and a screenshot of each for the README: sign-in, sign-up, the first-run
// welcome, chats, a room with text and an image, friends, notifications,
// profile, and the offline banner.
//
// Screenshots go to test-artifacts/browser/screens/, or to
// $CHATTWO_SCREENSHOTS_DIR (scripts/screenshots: docs/screenshots/).
// Each test has its own server, stopped at the end for the offline banner.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  DESKTOP, PHONE, browserTest, eventually, expectMessenger, seedCompany, useBrowser,
} from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';

const chrome = useBrowser();

// A colourful PNG for the room screenshot (red across, green down, blue
// fixed), made with the libvips command line as images.mjs does.
function colourfulPng(width, height) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chattwo-layout-'));
  try {
    const f = (n) => path.join(dir, n);
    execFileSync('vips', ['xyz', f('xy.v'), String(width), String(height)]);
    execFileSync('vips', ['linear', f('xy.v'), f('rg.v'), `${255 / width} ${255 / height}`, '40 60']);
    execFileSync('vips', ['bandjoin_const', f('rg.v'), f('rgb.v'), '210']);
    execFileSync('vips', ['cast', f('rgb.v'), f('out.png'), 'uchar']);
    return fs.readFileSync(f('out.png'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const viewport of [PHONE, DESKTOP]) {
  const size = `${viewport.width}x${viewport.height}`;

  browserTest(`every main screen fits ${size} without sideways scrolling (screenshots)`, () => ({ browser: chrome.browser, url: null }), async (scene, t) => {
    const server = await startServer({ args: ['--max-send-rate', '0'], label: `layout-${size}` });
    try {
      scene.setUrl(server.url);
      const a = await scene.person('A', { viewport });
      const screen = async (name) => {
        await a.assertNoHorizontalScroll(name);
        await a.dismissToasts();
        await a.shot(name);
      };
      scene.screens = async (p, name) => screen(name); // the first-run screen, during sign-up

      await a.page.goto('/');
      await a.page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      await screen('sign-in');
      await a.page.getByRole('tab', { name: 'Sign up' }).click();
      await a.page.getByRole('button', { name: 'Sign up', exact: true }).waitFor();
      await screen('sign-up');

      await a.signUpInUi({ name: 'Alice Kim' });
      await expectMessenger(a);

      // Company: two friends, a 1:1 room and a group, a little history.
      const { direct } = await seedCompany(server.url, a);

      // The screens the chats list and room make first, then friends,
      // notifications and profile.
      await a.go('Chats');
      await a.roomLink('주말 등산').waitFor();
      await a.roomLink('김민준').filter({ hasText: '오늘 저녁에' }).waitFor();
      await screen('chats');

      await a.openRoomFromList('김민준');
      await a.sendText('네, 좋아요! 7시에 그 라멘집 어때요? 😋');
      await a.sendImage({ name: 'ramen.png', mimeType: 'image/png', buffer: colourfulPng(480, 320) });
      await eventually(async () => (await a.messages()).some((m) => m.mine && m.images.length > 0 && m.images.every((i) => i.loaded)), {
        message: 'the image, loaded, in the room',
        describe: async () => (await a.messages()).slice(-3),
      });
      await a.waitForMessage('라멘집', { pred: (m) => m.mine });
      await screen('room');

      await a.go('Friends');
      await a.page.getByRole('button', { name: 'Chat with 김민준', exact: true }).waitFor();
      await a.page.getByRole('button', { name: 'Chat with 이서연', exact: true }).waitFor();
      await screen('friends');

      // The Notifications link counts what is new (two friend_added).
      await eventually(async () => /\d/.test(await a.navLink('Notifications').first().innerText()), {
        message: 'an unread count on the Notifications link',
      });
      await a.go('Notifications');
      await a.page.getByText('김민준').first().waitFor();
      await screen('notifications');

      await a.go('Profile');
      await a.page.getByLabel('Name', { exact: true }).waitFor();
      await screen('profile');

      // The same room and list in Korean, switched on the profile screen.
      await a.page.getByLabel('Language', { exact: true }).selectOption('ko');
      await a.page.getByLabel('언어', { exact: true }).waitFor();
      await a.page.evaluate((id) => { location.hash = `#/chats/${encodeURIComponent(id)}`; }, direct);
      await a.page.getByRole('log', { name: '메시지' }).waitFor();
      await a.waitForMessage('라멘집', { pred: (m) => m.mine });
      await screen('room-ko');
      await a.page.evaluate(() => { location.hash = '#/chats'; });
      await a.page.getByRole('heading', { name: '채팅' }).waitFor();
      await screen('chats-ko');
      await a.page.evaluate(() => { location.hash = '#/profile'; });
      await a.page.getByLabel('언어', { exact: true }).selectOption('en');
      await a.page.getByLabel('Language', { exact: true }).waitFor();

      // The server goes away: the banner, over the room.
      await a.openRoomFromList('김민준');
      await eventually(async () => (await a.messages()).some((m) => m.images.length > 0 && m.images.every((i) => i.loaded)), {
        message: 'the image loaded before the server goes',
      });
      await server.stop();
      await a.offlineBanner().first().waitFor({ state: 'visible' });
      await screen('offline');
    } finally {
      await server.stop().catch(() => server.kill());
    }
  });
}
