// Browser end-to-end test support: Debian's Chromium driven by playwright-core
// against the real chattwo binary (started by server.mjs), the web UI's steps
// by their accessible names (getByRole / getByLabel), and the evidence a
// failing test leaves behind.
//
// - One Chromium per test file (useBrowser), one browser context per person,
//   so two people in one test are two independent sessions (cookies,
//   localStorage, WebSocket) as on two phones.
// - No fixed sleeps: every wait is on a condition (Playwright's auto-waiting
//   locators, or eventually() polling) with a generous deadline, since the
//   test machine may be a loaded 2-core box.
// - A test wrapped in browserTest() that fails leaves, per page, a screenshot
//   and the page's console log (and page errors) in test-artifacts/browser/.
// - shot() writes the README screenshots: test-artifacts/browser/screens/, or
//   $CHATTWO_SCREENSHOTS_DIR (relative to the repo) when set
//   (scripts/screenshots sets docs/screenshots).
// - Files reach the page as a paste (pasteFiles) or a drop (dropFiles):
//   events carrying a DataTransfer of Files made in the page, since headless
//   Chromium has no clipboard or desktop drag and drop for pages.
// - The messenger screens (friends, chats, rooms) came after the sign-in
//   screen. expectMessenger() waits for the signed-in navigation ("Chats").

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { Client, PASSWORD, uniqueEmail } from './http.mjs';
import { REPO_ROOT, startServer, waitUntil } from './server.mjs';

export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts', 'browser');
export const SCREENSHOTS_DIR = process.env.CHATTWO_SCREENSHOTS_DIR
  ? path.resolve(REPO_ROOT, process.env.CHATTWO_SCREENSHOTS_DIR)
  : path.join(ARTIFACTS_DIR, 'screens');

// The two layouts every screen must work in: a small phone and a laptop.
export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };

// Deadline of one wait for something the UI should show (ms). Generous: a
// loaded 2-core machine runs the server, Node and two Chromium renderers.
export const UI_TIMEOUT_MS = 20_000;
// Deadline of one browser test (ms): sign-ups, several screens, restarts.
export const TEST_TIMEOUT_MS = 240_000;

const CHROMIUM = process.env.CHATTWO_CHROMIUM || '/usr/bin/chromium';
// As /work/shared/SERVICES.md says: no sandbox (containers), no GPU, and
// nothing that reaches out to the network on its own.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Message elements inside the message log: the outermost of these.
const MESSAGE_SELECTOR = 'li, article, [role="listitem"], [role="article"]';

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// One Chromium for the test file, launched before its tests and closed after.
// Returns {browser} (set once launched).
export function useBrowser() {
  const holder = { browser: null };
  before(async () => { holder.browser = await launchBrowser(); });
  after(async () => { if (holder.browser) await holder.browser.close(); });
  return holder;
}

/**
 * One Chromium and one server (no send-rate limit: tests seed messages
 * quickly) shared by the tests of a file. Returns env() for browserTest().
 */
export function useBrowserAndServer({ args = ['--max-send-rate', '0'] } = {}) {
  const chrome = useBrowser();
  let server;
  before(async () => { server = await startServer({ args }); });
  after(async () => { if (server) await server.stop(); });
  return () => ({ browser: chrome.browser, url: server.url });
}

function slug(s) {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'test';
}

// Names that no other test on the same server uses (user search matches
// substrings), still readable: "Alice k3x9".
let tagSerial = 0;
export function uniqueTag() {
  tagSerial += 1;
  return `${(Date.now() % 46656).toString(36)}${tagSerial}`;
}

// Page helpers installed before the app's own scripts (they only read the
// DOM): window.__chattwo.scan() lists the messages in the log, and
// window.__chattwo.firstMessage records when the first message became
// visible, as performance.now() (ms since navigation start).
function pageProbe(selector) {
  const SEL = selector;
  const UNREAD = /^\s*(\d+)\s+unread\s*$/i;
  const visible = (el) => {
    if (!el.isConnected) return false;
    if (typeof el.checkVisibility === 'function' && !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const messageLog = () => {
    const logs = [...document.querySelectorAll('[role="log"]')];
    const named = logs.find((l) => {
      if ((l.getAttribute('aria-label') || '').trim() === 'Messages') return true;
      const by = l.getAttribute('aria-labelledby');
      return by && by.split(/\s+/).some((id) => (document.getElementById(id)?.textContent || '').trim() === 'Messages');
    });
    return named || logs[0] || null;
  };
  // Text as assistive technology reads it: aria-label, else the text
  // without aria-hidden parts.
  const accText = (e) => {
    const label = e.getAttribute('aria-label');
    if (label) return label;
    let out = '';
    for (const n of e.childNodes) {
      if (n.nodeType === Node.TEXT_NODE) out += n.textContent;
      else if (n.nodeType === Node.ELEMENT_NODE && n.getAttribute('aria-hidden') !== 'true') out += accText(n);
    }
    return out;
  };
  // The "N unread" beside a message: an aria-label, or a short text such
  // as "<span aria-hidden=true>1</span><span class=visually-hidden>1 unread</span>".
  const unreadOf = (el) => {
    for (const e of el.querySelectorAll('*')) {
      if (e.closest('[aria-hidden="true"]')) continue;
      const text = accText(e).trim();
      const m = text.length < 24 ? UNREAD.exec(text) : null;
      if (m && visible(e)) return Number(m[1]);
    }
    return null;
  };
  const scan = () => {
    const log = messageLog();
    if (!log) return null;
    const all = [...log.querySelectorAll(SEL)];
    const outer = all.filter((el) => {
      for (let a = el.parentElement; a && a !== log; a = a.parentElement) if (a.matches(SEL)) return false;
      return true;
    });
    const logRect = log.getBoundingClientRect();
    const viewTop = Math.max(logRect.top, 0);
    const viewBottom = Math.min(logRect.bottom, window.innerHeight);
    return outer.map((el) => {
      const r = el.getBoundingClientRect();
      const imgs = [...el.querySelectorAll('img')].filter((i) => /\/api\/v1\/images\//.test(i.currentSrc || i.src || '')
        || /image|photo|사진|이미지/i.test(i.alt || ''));
      return {
        text: (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim(),
        mine: el.matches('.mine') || !!el.querySelector('.mine'),
        unread: unreadOf(el),
        images: imgs.map((i) => ({ alt: i.alt, loaded: i.complete && i.naturalWidth > 0, src: i.currentSrc || i.src })),
        top: r.top,
        bottom: r.bottom,
        inView: r.bottom > viewTop && r.top < viewBottom && r.height > 0, // in the log's visible part
      };
    });
  };
  // The element that scrolls the log: the log itself or an ancestor.
  const scroller = () => {
    const log = messageLog();
    for (let e = log; e; e = e.parentElement) {
      const oy = getComputedStyle(e).overflowY;
      if ((oy === 'auto' || oy === 'scroll') && e.scrollHeight > e.clientHeight) return e;
    }
    return document.scrollingElement;
  };
  const state = { firstMessage: null, scan, messageLog, scroller, selector: SEL };
  window.__chattwo = state;
  const check = () => {
    const log = messageLog();
    if (!log) return false;
    const el = [...log.querySelectorAll(SEL)].find((e) => visible(e) && (e.innerText || '').trim() !== '');
    if (!el) return false;
    const seenMs = performance.now();
    // The frame that paints it.
    requestAnimationFrame(() => { state.firstMessage = { seenMs, frameMs: performance.now() }; });
    return true;
  };
  const start = () => {
    const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
    obs.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'hidden', 'style'] });
  };
  start();
}

// Polls `cond` (sync or async) until it returns a truthy value; that value
// is returned. `message` says what was awaited, and `describe` (optional,
// async) what was seen instead, for the error.
export async function eventually(cond, { timeoutMs = UI_TIMEOUT_MS, intervalMs = 100, message = 'condition', describe } = {}) {
  try {
    return await waitUntil(cond, { timeoutMs, intervalMs, message });
  } catch (err) {
    if (describe) {
      let seen;
      try { seen = await describe(); } catch (e) { seen = `(could not describe: ${e.message})`; }
      err.message += `\nseen: ${typeof seen === 'string' ? seen : JSON.stringify(seen, null, 1)}`;
    }
    throw err;
  }
}

// A person using the app in their own browser context.
export class Person {
  constructor({ scene, context, page, label, viewport }) {
    this.scene = scene;
    this.context = context;
    this.page = page;
    this.label = label;
    this.viewport = viewport;
    this.logs = [];
    this.name = null;
    this.email = null;
    this.password = PASSWORD;
    this.user = null;
    this.api = null; // an http.mjs Client signed in as this person (own session)
    this.watch(page);
  }

  watch(page) {
    const tag = page === this.page ? '' : ` (page ${this.scene.pageSerial += 1})`;
    page.on('console', (m) => this.logs.push(`${new Date().toISOString()} [${m.type()}]${tag} ${m.text()}`));
    page.on('pageerror', (e) => this.logs.push(`${new Date().toISOString()} [pageerror]${tag} ${e.stack || e.message}`));
    page.on('requestfailed', (r) => this.logs.push(`${new Date().toISOString()} [requestfailed]${tag} ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
    page.on('crash', () => this.logs.push(`${new Date().toISOString()} [crash]${tag}`));
  }

  // Another tab of the same person (same cookies), e.g. a fresh page load.
  async newPage() {
    const page = await this.context.newPage();
    this.watch(page);
    this.extraPages = [...(this.extraPages || []), page];
    return page;
  }

  // ---------------------------------------------------------------- auth

  // Signs up through the sign-up form, then leaves the first-run profile
  // screen with "Continue" (checking that it offers the name just given).
  async signUpInUi({ name, email = uniqueEmail('browser'), password = PASSWORD } = {}) {
    const { page } = this;
    await page.goto('/');
    await page.getByRole('tab', { name: 'Sign up' }).click();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    Object.assign(this, { name, email, password });
    await this.enterApp({ expectedName: name });
    await this.connectApi();
  }

  async signInInUi({ email = this.email, password = this.password } = {}) {
    const { page } = this;
    await page.goto('/');
    await page.getByRole('tab', { name: 'Sign in' }).click();
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await this.enterApp();
  }

  // Signs up over the REST API from inside the browser context (so the
  // session cookie is the page's), then opens the app. Quicker than the
  // form, for tests about something else.
  async signUpByApi({ name, email = uniqueEmail('browser'), password = PASSWORD } = {}) {
    const res = await this.context.request.post('/api/v1/auth/signup', { data: { email, password, name } });
    assert.equal(res.status(), 201, `signup ${email}: ${await res.text()}`);
    this.user = (await res.json()).user;
    Object.assign(this, { name, email, password });
    await this.page.goto('/');
    await this.enterApp({ expectedName: name });
    await this.connectApi();
  }

  // Its own REST session (cookie + CSRF), for seeding and checking.
  async connectApi() {
    const c = new Client(this.scene.url);
    await c.login({ email: this.email, password: this.password });
    this.api = c;
    this.user = c.user;
    return c;
  }

  // The signed-in app: waits for what follows a sign-in. The first-run
  // profile screen (input "Name", button "Continue") is left with
  // "Continue"; then the messenger's navigation, or (before the messenger
  // UI) the signed-in home with its "Sign out" button.
  async enterApp({ expectedName } = {}) {
    const { page } = this;
    const cont = page.getByRole('button', { name: 'Continue', exact: true });
    const nav = page.getByRole('navigation').getByRole('link', { name: 'Chats' });
    const home = page.getByRole('button', { name: 'Sign out' });
    await cont.or(nav).or(home).first().waitFor({ timeout: UI_TIMEOUT_MS });
    if (await cont.isVisible()) {
      if (expectedName) {
        const value = await page.getByLabel('Name', { exact: true }).inputValue();
        assert.equal(value, expectedName, 'the first-run profile screen offers the name given at sign-up');
      }
      if (this.scene.screens) await this.scene.screens(this, 'welcome');
      await cont.click();
      await nav.or(home).first().waitFor({ timeout: UI_TIMEOUT_MS });
    }
  }

  async hasMessenger() {
    const nav = this.page.getByRole('navigation');
    return (await nav.getByRole('link', { name: 'Friends' }).count()) > 0
      && (await nav.getByRole('link', { name: 'Chats' }).count()) > 0;
  }

  // ---------------------------------------------------------------- navigation

  navLink(name) {
    return this.page.getByRole('navigation').getByRole('link', { name });
  }

  // Opens a screen by its navigation link: 'Friends', 'Chats',
  // 'Notifications', 'Profile'. Where the screen hides the navigation (a
  // room on a phone), the hash route is followed instead, as the room's
  // back button would.
  async go(name) {
    const route = { Friends: '#/friends', Chats: '#/chats', Notifications: '#/notifications', Profile: '#/profile' }[name];
    const link = this.navLink(name).first();
    if (await link.isVisible() || !route) await link.click();
    else await this.page.evaluate((h) => { window.location.hash = h; }, route);
    if (route) await this.page.waitForURL((u) => u.hash === route || u.hash.startsWith(`${route}?`), { timeout: UI_TIMEOUT_MS });
  }

  // ---------------------------------------------------------------- friends

  // Finds `other` with "Search users" and presses "Add friend"; waits for
  // the "Chat with NAME" button of the new friend.
  async addFriend(other) {
    const { page } = this;
    await this.go('Friends');
    await page.getByLabel('Search users').fill(other.name);
    const add = page.getByRole('button', { name: 'Add friend' });
    await eventually(async () => (await add.count()) === 1, {
      message: `one "Add friend" result for ${other.name}`,
      describe: async () => `${await add.count()} "Add friend" buttons`,
    });
    await add.click();
    await this.chatWithButton(other).waitFor({ timeout: UI_TIMEOUT_MS });
  }

  chatWithButton(other) {
    return this.page.getByRole('button', { name: `Chat with ${other.name}`, exact: true });
  }

  // Opens the 1:1 room from the friends list; resolves to the room id.
  async openChatWith(other) {
    const { page } = this;
    if (await this.chatWithButton(other).count() === 0) {
      await this.go('Friends');
      const search = page.getByLabel('Search users');
      if (await search.count()) await search.fill('');
    }
    await this.chatWithButton(other).click();
    await page.waitForURL((u) => /^#\/chats\/[^/?]+/.test(u.hash), { timeout: UI_TIMEOUT_MS });
    await this.log().waitFor({ timeout: UI_TIMEOUT_MS });
    return this.roomIdFromUrl();
  }

  roomIdFromUrl() {
    const m = /^#\/chats\/([^/?]+)/.exec(new URL(this.page.url()).hash);
    return m ? decodeURIComponent(m[1]) : null;
  }

  // ---------------------------------------------------------------- chats

  // The room's entry in the chats list (a link naming the room).
  roomLink(displayName) {
    return this.page.getByRole('list').getByRole('link', { name: displayName });
  }

  async openRoomFromList(displayName) {
    if (!/^#\/chats\/?$/.test(new URL(this.page.url()).hash)) await this.go('Chats');
    await this.roomLink(displayName).click();
    await this.page.waitForURL((u) => /^#\/chats\/[^/?]+/.test(u.hash), { timeout: UI_TIMEOUT_MS });
    await this.log().waitFor({ timeout: UI_TIMEOUT_MS });
    return this.roomIdFromUrl();
  }

  // Opens #/chats/<id> by its URL, in this page or in `page`.
  async openRoomByUrl(roomId, page = this.page) {
    await page.goto(`/#/chats/${encodeURIComponent(roomId)}`);
    await this.log(page).waitFor({ timeout: UI_TIMEOUT_MS });
  }

  // ---------------------------------------------------------------- room

  log(page = this.page) {
    return page.getByRole('log', { name: 'Messages' });
  }

  async sendText(text) {
    const box = this.page.getByRole('textbox', { name: 'Message' });
    await box.fill(text);
    await this.page.getByRole('button', { name: 'Send', exact: true }).click();
  }

  // Picks `file` ({name, mimeType, buffer}) in the "Attach image" input;
  // it waits as a preview until "Send" (which waits to be enabled).
  async sendImage(file) {
    await this.page.getByLabel('Attach image').setInputFiles(file);
    await this.page.getByRole('button', { name: 'Send', exact: true }).click();
  }

  // The messages in the log, oldest first: [{text, mine, unread, images,
  // top, bottom, inView}] ([] when there is no log).
  async messages(page = this.page) {
    return (await page.evaluate(() => window.__chattwo && window.__chattwo.scan())) || [];
  }

  // Waits until the message whose text contains `text` is in the log and
  // `pred(message)` holds; resolves to it.
  async waitForMessage(text, { pred = () => true, page = this.page, message, timeoutMs } = {}) {
    return eventually(async () => (await this.messages(page)).find((m) => m.text.includes(text) && pred(m)), {
      timeoutMs,
      message: message || `${this.label}: a message "${text}"`,
      describe: async () => (await this.messages(page)).slice(-8).map((m) => ({ text: m.text.slice(0, 80), mine: m.mine, unread: m.unread, images: m.images.length })),
    });
  }

  // Scrolls the message log to the top (as a user's scroll: the browser
  // fires 'scroll') and waits until more messages are in it. Resolves to
  // {topAtZero, topAfter, replaced, before, after}: where the message whose
  // text contains `anchorText` was on the screen (px from the viewport top)
  // right after the scroll, and in the first frame after the older
  // messages came in (replaced: the page re-rendered it as a new element,
  // which is measured then; topAfter null: it is gone).
  async scrollLogToTop(anchorText, page = this.page, { timeoutMs = UI_TIMEOUT_MS } = {}) {
    return page.evaluate(({ anchorText, timeoutMs }) => new Promise((resolve, reject) => {
      const probe = window.__chattwo;
      const log = probe.messageLog();
      const find = () => [...log.querySelectorAll(probe.selector)].find((el) => (el.innerText || '').includes(anchorText));
      const anchor = find();
      if (!anchor) { reject(new Error(`no message "${anchorText}" in the log`)); return; }
      const count = () => probe.scan().length;
      const n0 = count();
      const scroller = probe.scroller();
      // 'instant' even where the page's CSS asks for smooth scrolling.
      scroller.scrollTo({ top: 0, behavior: 'instant' });
      const topAtZero = anchor.getBoundingClientRect().top;
      const timer = setTimeout(() => {
        obs.disconnect();
        reject(new Error(`no older messages loaded within ${timeoutMs} ms (still ${count()})`));
      }, timeoutMs);
      const obs = new MutationObserver(() => {
        if (count() <= n0) return;
        obs.disconnect();
        clearTimeout(timer);
        // The frame that paints the older messages.
        requestAnimationFrame(() => {
          const now = anchor.isConnected ? anchor : find();
          resolve({
            topAtZero,
            topAfter: now ? now.getBoundingClientRect().top : null,
            replaced: !anchor.isConnected,
            before: n0,
            after: count(),
          });
        });
      });
      obs.observe(log, { childList: true, subtree: true });
    }), { anchorText, timeoutMs });
  }

  // Pastes `files` ([{name, mimeType, buffer}]) into `target` (the message
  // box) as a paste from the clipboard would: headless Chromium keeps the
  // real clipboard from pages, so the page gets a ClipboardEvent 'paste'
  // whose DataTransfer holds Files made in the page from the bytes.
  // Resolves to true when the page took the paste (preventDefault).
  async pasteFiles(files, target = this.page.getByRole('textbox', { name: 'Message' })) {
    return target.evaluate((el, list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      el.focus();
      return !el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, filesForPage(files));
  }

  // Drags `files` over `target` and drops them there, as a drop from the
  // desktop would: dragenter, dragover, drop with one DataTransfer of Files
  // made in the page. Resolves to {enterAccepted, overAccepted, dropAccepted}
  // (whether the page cancelled each event; a browser only drops where
  // dragover was cancelled).
  async dropFiles(files, target = this.log()) {
    return target.evaluate((el, list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      const r = el.getBoundingClientRect();
      const at = { clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 };
      const fire = (type) => !el.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true, composed: true, ...at }));
      const enterAccepted = fire('dragenter');
      const overAccepted = fire('dragover');
      const dropAccepted = fire('drop');
      return { enterAccepted, overAccepted, dropAccepted };
    }, filesForPage(files));
  }

  // The chats list's rooms as shown, top first: their titles (the list is
  // named by the screen's heading, "Chats").
  async roomOrder({ page = this.page, listName = 'Chats' } = {}) {
    return page.getByRole('list', { name: listName, exact: true })
      .getByRole('link').evaluateAll((links) => links
        .map((l) => l.querySelector('.room-title'))
        .filter(Boolean)
        .map((t) => t.textContent.trim()));
  }

  // The description of a navigation link ("2 unread messages"), '' when none.
  async navDescription(name, page = this.page) {
    return page.getByRole('navigation').getByRole('link', { name }).first().evaluate((el) => (el.getAttribute('aria-describedby') || '')
      .split(/\s+/).filter(Boolean).map((id) => (document.getElementById(id)?.textContent || '').trim()).join(' ').trim());
  }

  // Marks the page so that assertNotReloaded() can tell it was never reloaded.
  async markNoReload(page = this.page) {
    this.noReloadMark = await page.evaluate(() => { window.__noReload = Math.random(); return window.__noReload; });
  }

  async assertNotReloaded(page = this.page) {
    assert.equal(await page.evaluate(() => window.__noReload), this.noReloadMark, `${this.label}'s page was never reloaded`);
  }

  // An offline indicator: role status/alert with "Offline" in it.
  offlineBanner(page = this.page) {
    return page.getByRole('status').or(page.getByRole('alert')).filter({ hasText: 'Offline' });
  }

  // ---------------------------------------------------------------- checks

  // Asserts that the page does not scroll sideways; names the widest
  // elements when it does.
  async assertNoHorizontalScroll(screen) {
    const r = await this.page.evaluate(() => {
      const se = document.scrollingElement;
      const inner = window.innerWidth;
      const wide = [];
      if (se.scrollWidth > inner) {
        for (const el of document.body.querySelectorAll('*')) {
          const b = el.getBoundingClientRect();
          if (b.right > inner + 0.5) {
            wide.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} right=${Math.round(b.right)}`);
          }
          if (wide.length >= 8) break;
        }
      }
      return { scrollWidth: se.scrollWidth, innerWidth: inner, wide };
    });
    assert.ok(r.scrollWidth <= r.innerWidth,
      `${screen} at ${this.viewport.width}x${this.viewport.height}: scrollWidth ${r.scrollWidth} > innerWidth ${r.innerWidth}; ` +
      `too wide: ${r.wide.join(', ')}`);
  }

  // Closes the pop-up notifications (toasts) that are up, so that a
  // screenshot shows the screen itself.
  async dismissToasts() {
    const close = this.page.getByRole('status').getByRole('button', { name: 'Close', exact: true });
    await eventually(async () => {
      const n = await close.count();
      if (n === 0) return true;
      await close.first().click({ timeout: 5_000 }).catch(() => {}); // it may have gone by itself
      return false;
    }, { message: 'the toasts closed' });
  }

  // A screenshot for the README: SCREENSHOTS_DIR/<screen>-<w>x<h>.png.
  async shot(screen, page = this.page) {
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const { width, height } = page.viewportSize();
    const file = path.join(SCREENSHOTS_DIR, `${screen}-${width}x${height}.png`);
    await page.mouse.move(0, 0); // no hover look left over from the last click
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    return file;
  }
}

// Files for page.evaluate: {name, type, b64}.
function filesForPage(files) {
  return files.map((f) => ({ name: f.name, type: f.mimeType, b64: Buffer.from(f.buffer).toString('base64') }));
}

// What one test sets up in the browser: people (contexts), and the evidence
// when it fails.
export class Scene {
  constructor({ browser, url, title }) {
    this.browser = browser;
    this.url = url;
    this.title = title;
    this.people = [];
    this.pageSerial = 0;
    this.screens = null; // optional hook(person, screen) for extra screenshots
  }

  // A new person in a fresh browser context at `viewport`, English UI.
  async person(label, { viewport = DESKTOP } = {}) {
    const context = await this.browser.newContext({
      baseURL: this.url,
      viewport,
      locale: 'en-US',
      colorScheme: 'light',
      deviceScaleFactor: 1,
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(30_000);
    await context.addInitScript(pageProbe, MESSAGE_SELECTOR);
    const page = await context.newPage();
    const p = new Person({ scene: this, context, page, label, viewport });
    this.people.push(p);
    return p;
  }

  // The server moved (restarted on the same URL): nothing to do for the
  // pages; REST clients keep their sessions (they live in the data dir).
  setUrl(url) { this.url = url; }

  // Per page: a screenshot and its console log, in ARTIFACTS_DIR.
  async saveArtifacts(err) {
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const base = slug(this.title);
    const saved = [];
    for (const p of this.people) {
      const pages = [p.page, ...(p.extraPages || [])];
      for (const [i, page] of pages.entries()) {
        const name = `${base}--${slug(p.label)}${i ? `-page${i}` : ''}`;
        try {
          if (!page.isClosed()) {
            const file = path.join(ARTIFACTS_DIR, `${name}.png`);
            await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
            saved.push(file);
            const html = await page.content();
            fs.writeFileSync(path.join(ARTIFACTS_DIR, `${name}.html`), html);
          }
        } catch (e) {
          p.logs.push(`(screenshot failed: ${e.message})`);
        }
      }
      const logFile = path.join(ARTIFACTS_DIR, `${base}--${slug(p.label)}.console.log`);
      fs.writeFileSync(logFile, `url: ${p.page.isClosed() ? '(closed)' : p.page.url()}\n${p.logs.join('\n')}\n`);
      saved.push(logFile);
    }
    fs.writeFileSync(path.join(ARTIFACTS_DIR, `${base}--error.txt`), `${err && err.stack ? err.stack : err}\n`);
    return saved;
  }

  async close() {
    for (const p of this.people) await p.context.close().catch(() => {});
  }
}

// A node:test test that gets a Scene; on failure the scene's screenshots
// and console logs are saved before the error is reported.
//   getEnv() -> {browser, url}, read when the test starts
export function browserTest(name, getEnv, fn, { timeout = TEST_TIMEOUT_MS } = {}) {
  test(name, { timeout }, async (t) => {
    const { browser, url } = getEnv();
    const scene = new Scene({ browser, url, title: name });
    try {
      await fn(scene, t);
    } catch (err) {
      const saved = await scene.saveArtifacts(err).catch((e) => [`(saving artifacts failed: ${e.message})`]);
      t.diagnostic(`artifacts: ${saved.join(', ')}`);
      throw err;
    } finally {
      await scene.close();
    }
  });
}

// Skips the test (returns false) while the page has no messenger
// navigation; with CHATTWO_BROWSER_REQUIRE_UI=1 that is a failure instead.
export async function expectMessenger(person) {
  await person.navLink('Chats').first().waitFor({ timeout: UI_TIMEOUT_MS });
}

// The room's messages over REST, oldest first (all of them, paging back).
export async function roomMessagesViaApi(client, roomId) {
  const out = [];
  let before;
  for (;;) {
    const q = before ? `?before=${before}&limit=100` : '?limit=100';
    const res = await client.get(`/api/v1/rooms/${roomId}/messages${q}`);
    assert.equal(res.status, 200, res.text);
    out.unshift(...res.body.messages);
    if (!res.body.hasMore || res.body.messages.length === 0) return out;
    before = res.body.messages[0].seq;
  }
}

let clientMsgSerial = 0;
export function clientMsgId() {
  clientMsgSerial += 1;
  return `e2e-${process.pid}-${Date.now().toString(36)}-${clientMsgSerial}`;
}

// Sends a text over REST as `client`; the Message.
export async function sendViaApi(client, roomId, text) {
  const res = await client.post(`/api/v1/rooms/${roomId}/messages`, { clientMsgId: clientMsgId(), type: 'text', text });
  assert.ok(res.status === 201 || res.status === 200, `send: ${res.status} ${res.text}`);
  return res.body;
}

// Makes `a` and `b` friends both ways over REST and opens their direct
// room; resolves to its id.
export async function befriendViaApi(a, b) {
  for (const [x, y] of [[a, b], [b, a]]) {
    const res = await x.api.put(`/api/v1/friends/${y.user.id}`);
    assert.ok(res.status === 201 || res.status === 200, res.text);
  }
  const room = await a.api.post('/api/v1/rooms', { memberIds: [b.user.id] });
  assert.ok(room.status === 201 || room.status === 200, room.text);
  return room.body.id;
}

// Asserts that each text appears exactly once in `msgs` (scan() output) and
// in the given order.
export function assertOnceInOrder(msgs, texts, what) {
  const at = texts.map((t) => {
    const hits = msgs.map((m, i) => (m.text.includes(t) ? i : -1)).filter((i) => i >= 0);
    assert.equal(hits.length, 1, `${what}: "${t}" shown exactly once (shown ${hits.length} times)`);
    return hits[0];
  });
  for (let i = 1; i < at.length; i += 1) {
    assert.ok(at[i - 1] < at[i], `${what}: "${texts[i - 1]}" is above "${texts[i]}" (seq order)`);
  }
}

// A person who only exists for the others (REST only).
export async function restUser(url, name, prefix = 'company') {
  const c = new Client(url);
  await c.signup({ email: uniqueEmail(prefix), name });
  return c;
}

/**
 * The company of the screenshot and accessibility tests, around `me` (a
 * Person signed up in the UI): two friends (김민준, 이서연, friends both
 * ways), a 1:1 room with 김민준 and the group "주말 등산 ⛰️" with a little
 * Korean history, all unread for `me`. Returns {b, c, direct, group} (room ids).
 */
export async function seedCompany(url, me) {
  const b = await restUser(url, '김민준');
  const c = await restUser(url, '이서연');
  for (const [x, y] of [[me.api, b], [me.api, c], [b, me.api], [c, me.api]]) {
    const res = await x.put(`/api/v1/friends/${y.user.id}`);
    assert.ok(res.status === 201 || res.status === 200, res.text);
  }
  const direct = (await b.post('/api/v1/rooms', { memberIds: [me.user.id] })).body.id;
  const group = await b.post('/api/v1/rooms', { memberIds: [me.user.id, c.user.id], name: '주말 등산 ⛰️' });
  assert.equal(group.status, 201, group.text);
  await sendViaApi(c, group.body.id, '토요일 아침 8시에 만나요!');
  await sendViaApi(b, group.body.id, '좋아요 👍 김밥 챙길게요');
  await sendViaApi(b, direct, '안녕하세요! 오늘 저녁에 시간 있어요? 🍜');
  return { b, c, direct, group: group.body.id };
}

