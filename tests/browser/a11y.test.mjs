// Automated accessibility checks (axe-core, WCAG 2.0/2.1 A and AA) of every
// main screen at a phone's 360x740 and a laptop's 1280x800: sign-in,
// sign-up, the first-run welcome, friends (and a search with results, and a
// toast over it), chats, a room (text, an image, unread numbers),
// notifications, profile, the friend picker, the leave-room confirmation
// and the offline banner. The chats list, the room, the dialogs and the
// offline banner are checked in the dark colour scheme as well (contrast):
// the page switched with emulateMedia({colorScheme}), which app.js follows
// live, as it would a context made with colorScheme 'dark'. Contrast is
// checked for one-character text too (unread numbers, badges), which axe
// by default leaves for a person to review.
//
// A violation of impact 'serious' or 'critical' fails the test; all of them
// are gathered first and reported together (rule, help, selectors and HTML
// of each element), so one run shows everything to fix. Lesser ones are
// printed as diagnostics.
//
// axe-core comes from node_modules. The page's CSP allows scripts from
// 'self' only, so axe is served from the page's own origin by a route of
// the test's browser context (AXE_URL) rather than inlined: the CSP stays
// as in production.
//
// Each test has its own server, stopped at the end for the offline banner.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import {
  DESKTOP, PHONE, browserTest, eventually, expectMessenger, restUser, seedCompany, sendViaApi, useBrowser,
} from '../support/browser.mjs';
import { makeImage } from '../support/images.mjs';
import { startServer } from '../support/server.mjs';

const require = createRequire(import.meta.url);
const AXE_FILE = require.resolve('axe-core/axe.min.js');
const AXE_URL = '/__a11y-test/axe.min.js'; // answered by the context's route, never by the server

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);

// Rules switched off for some elements, each for a reason: {rule, selector,
// why}, and with ignoreText, only where the rule holds once the text inside
// those elements is left out. Keep this short: a real problem is fixed, not
// listed.
const EXCEPTIONS = [
  {
    rule: 'label-content-name-mismatch',
    selector: '.person-main-button, .picker-chip',
    ignoreText: '.avatar, .person-status, .person-badge',
    why: 'A person\'s row or chip is one button ("Chat with NAME", "Remove NAME") holding their avatar, whose '
      + 'initial letter is part of a picture (aria-hidden), and in a row their status message (the button\'s '
      + 'description) and the "Friend" mark. None of these is the label, which is the name, and the name is '
      + 'in the accessible name (WCAG 2.5.3); axe counts all visible text.',
  },
];

const chrome = useBrowser();

// Uploads a PNG as `client` and sends it into `roomId`.
async function sendImageViaApi(client, roomId, png, name) {
  const form = new FormData();
  form.append('file', new Blob([png], { type: 'image/png' }), name);
  const up = await client.request('POST', '/api/v1/images', { body: form });
  assert.equal(up.status, 201, up.text);
  const sent = await client.post(`/api/v1/rooms/${roomId}/messages`, { clientMsgId: `a11y-${Date.now()}-${name}`, type: 'image', imageId: up.body.id });
  assert.ok(sent.status === 201 || sent.status === 200, sent.text);
}

// Runs axe on the page as it is; resolves to its violations, each with the
// elements, minus the EXCEPTIONS.
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ url: AXE_URL });
    await page.waitForFunction(() => typeof window.axe === 'object');
  }
  return page.evaluate(async ({ tags, exceptions }) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
      // One character is text too: unread numbers ("1"), badges ("3").
      // (axe otherwise leaves it for a person to review.)
      checks: { 'color-contrast': { options: { ignoreLength: true } } },
    });
    const norm = (s) => (s || '').replace(/\s+/g, ' ').trim().toLocaleLowerCase();
    const nameOf = (el) => norm(el.getAttribute('aria-label')
      || (el.getAttribute('aria-labelledby') || '').split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' '));
    const textWithout = (el, sel) => {
      const copy = el.cloneNode(true);
      for (const e of copy.querySelectorAll(sel)) e.remove();
      return norm(copy.textContent);
    };
    const excepted = (rule, target) => {
      const sel = target[target.length - 1];
      const el = typeof sel === 'string' ? document.querySelector(sel) : null;
      return el && exceptions.some((e) => e.rule === rule && el.matches(e.selector)
        && (!e.ignoreText || nameOf(el).includes(textWithout(el, e.ignoreText))));
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.filter((n) => !excepted(v.id, n.target)).map((n) => ({
        impact: n.impact || v.impact,
        target: n.target.join(' '),
        html: n.html.length > 300 ? `${n.html.slice(0, 300)}…` : n.html,
        summary: (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
      })),
    })).filter((v) => v.nodes.length > 0);
  }, { tags: WCAG_TAGS, exceptions: EXCEPTIONS });
}

// One entry per rule and element (the same element on several screens is
// listed once, with the screens), rule by rule.
function formatViolations(list) {
  const rules = new Map(); // id -> {v, elements: Map(key -> {n, screens})}
  for (const { screen, v } of list) {
    if (!rules.has(v.id)) rules.set(v.id, { v, elements: new Map() });
    const { elements } = rules.get(v.id);
    for (const n of v.nodes) {
      // Times, counts and generated ids differ from screen to screen.
      const html = n.html.replace(/\b(datetime|id|for|aria-[\w-]+|data-user-id)="[^"]*"/g, '').replace(/\d+/g, '#');
      const key = `${html}|${n.summary}`;
      if (!elements.has(key)) elements.set(key, { n, screens: new Map() });
      const { screens } = elements.get(key);
      screens.set(screen, (screens.get(screen) || 0) + 1);
    }
  }
  const out = [];
  for (const { v, elements } of rules.values()) {
    out.push(`${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}`);
    for (const { n, screens } of elements.values()) {
      const on = [...screens].map(([screen, count]) => (count > 1 ? `${screen} (${count} elements)` : screen)).join('; ');
      out.push(`  - ${n.target}\n      ${n.html}\n      ${n.summary}\n      on: ${on}`);
    }
  }
  return out.join('\n');
}

// The page in the given colour scheme, once app.js has followed it.
async function setScheme(page, scheme) {
  await page.emulateMedia({ colorScheme: scheme });
  await page.waitForFunction((s) => document.documentElement.getAttribute('data-bs-theme') === s, scheme);
}

for (const viewport of [PHONE, DESKTOP]) {
  const size = `${viewport.width}x${viewport.height}`;

  browserTest(`every main screen at ${size} has no serious or critical axe violations (WCAG 2.1 AA)`, () => ({ browser: chrome.browser, url: null }), async (scene, t) => {
    const server = await startServer({ args: ['--max-send-rate', '0'], label: `a11y-${size}` });
    const serious = []; // {screen, v}
    const minor = [];
    try {
      scene.setUrl(server.url);
      const a = await scene.person('A', { viewport });
      await a.context.route((u) => u.pathname === AXE_URL, (route) => route.fulfill({ path: AXE_FILE, contentType: 'text/javascript; charset=utf-8' }));
      const { page } = a;

      // Checks the screen as it is now, in light and (dark: true) dark.
      const check = async (screen, { dark = false, keepToasts = false } = {}) => {
        if (!keepToasts) await a.dismissToasts();
        for (const scheme of dark ? ['light', 'dark'] : ['light']) {
          if (scheme === 'dark') await setScheme(page, 'dark');
          const name = `${screen}${dark ? ` (${scheme})` : ''} ${size}`;
          for (const v of await axeViolations(page)) {
            const bad = v.nodes.filter((n) => FAILING_IMPACTS.has(n.impact));
            const rest = v.nodes.filter((n) => !FAILING_IMPACTS.has(n.impact));
            if (bad.length) serious.push({ screen: name, v: { ...v, nodes: bad } });
            if (rest.length) minor.push({ screen: name, v: { ...v, nodes: rest } });
          }
          if (scheme === 'dark') await setScheme(page, 'light');
        }
      };
      scene.screens = async (p, name) => { if (name === 'welcome') await check('first run'); };

      // ---- Signed out: sign-in, sign-up; then the first-run welcome.
      await page.goto('/');
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      await check('sign-in');
      await page.getByRole('tab', { name: 'Sign up' }).click();
      await page.getByRole('button', { name: 'Sign up', exact: true }).waitFor();
      await check('sign-up');
      await a.signUpInUi({ name: 'Alice Kim' }); // checks 'first run' on the way
      await expectMessenger(a);

      // ---- Company: two friends, a 1:1 room with text and images, a group
      // with unread messages, someone to find, notifications (friend_added).
      const { b, c, direct, group } = await seedCompany(server.url, a);
      await restUser(server.url, '김지훈', 'a11y'); // someone to find
      const status = await c.patch('/api/v1/me', { statusMessage: '산이 좋아요 ⛰️' });
      assert.equal(status.status, 200, status.text);
      await sendImageViaApi(b, direct, makeImage('png', 240, 160), 'menu.png');
      await sendViaApi(a.api, direct, '네, 좋아요! 7시에 그 라멘집 어때요? 😋');
      await sendImageViaApi(a.api, direct, makeImage('png', 320, 200), 'ramen.png');

      // ---- Chats, with unread counts.
      await a.go('Chats');
      await a.roomLink('주말 등산').filter({ hasText: '김밥' }).waitFor();
      await a.roomLink('김민준').waitFor();
      await eventually(async () => /\d/.test(await a.navDescription('Chats')), { message: 'an unread count on the Chats link' });
      await check('chats', { dark: true });

      // ---- The friend picker (New chat: a room name, the list, a chip).
      await page.getByRole('button', { name: 'New chat' }).click();
      const picker = page.getByRole('dialog', { name: 'New chat' });
      await picker.getByRole('checkbox').first().waitFor();
      await picker.getByRole('checkbox').first().check();
      await picker.getByRole('button', { name: 'Start chat' }).and(page.locator(':enabled')).waitFor();
      await check('friend picker', { dark: true });
      await page.keyboard.press('Escape');
      await picker.waitFor({ state: 'detached' });

      // ---- A room: texts and images both ways, "1 unread" by mine.
      await a.openRoomFromList('김민준');
      await eventually(async () => {
        const msgs = await a.messages();
        const images = msgs.filter((m) => m.images.length > 0);
        return images.length === 2 && images.every((m) => m.images.every((i) => i.loaded))
          && msgs.some((m) => m.mine && m.text.includes('라멘집') && m.unread === 1);
      }, { message: 'the room with its images loaded and an unread number', describe: async () => (await a.messages()).slice(-5) });
      await check('room', { dark: true });

      // ---- Leave room? (confirmation)
      await page.getByRole('button', { name: 'Leave room' }).click();
      const confirm = page.getByRole('dialog', { name: 'Leave this chat?' });
      await confirm.getByRole('button', { name: 'Cancel' }).waitFor();
      await check('leave-room confirm', { dark: true });
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'detached' });

      // ---- Friends; a search with results; a toast over it.
      await a.go('Friends');
      await a.chatWithButton(b.user).waitFor();
      await a.chatWithButton(c.user).waitFor();
      await check('friends');
      await page.getByLabel('Search users').fill('김');
      await page.getByRole('button', { name: 'Add friend' }).waitFor(); // 김지훈, not a friend
      await page.getByRole('list').getByRole('button', { name: 'Chat with 김민준', exact: true }).waitFor();
      await check('friends search');
      await page.getByLabel('Search users').fill('');
      await a.dismissToasts();
      await sendViaApi(c, group, '등산화 꼭 신고 오세요 🥾');
      const toast = page.locator('.ct-toast').filter({ hasText: '등산화' });
      await toast.hover(); // a hovered toast stays until the check is done
      await check('toast', { keepToasts: true });

      // ---- Notifications.
      await a.go('Notifications');
      await page.getByText('김민준').first().waitFor();
      await check('notifications');

      // ---- Profile.
      await a.go('Profile');
      await page.getByLabel('Name', { exact: true }).waitFor();
      await check('profile');

      // ---- Offline: the server goes away; the banner over the room.
      await a.openRoomFromList('김민준');
      await a.waitForMessage('라멘집', { pred: (m) => m.mine });
      await server.stop();
      await a.offlineBanner().first().waitFor({ state: 'visible' });
      await check('offline', { dark: true });
    } finally {
      await server.stop().catch(() => server.kill());
    }

    if (minor.length) t.diagnostic(`axe, minor/moderate (not failing):\n${formatViolations(minor)}`);
    assert.equal(serious.length, 0, `axe found serious/critical WCAG violations:\n${formatViolations(serious)}`);
  });
}
