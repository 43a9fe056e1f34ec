// The "Friends" screen: my profile on top, then my friends (one-way, as in
// KakaoTalk), and one search box that does two things as you type: it
// filters my friends at once, and after a pause asks the server for anyone
// else by name or email, each result with "Add friend" or a "Friend" mark.
// A friend's row opens the 1:1 chat; a small button removes them (after a
// confirmation).

import './i18n_people.js';
import {ApiError} from './api.js';
import {avatar} from './avatar.js';
import {h, replace, setText, uid} from './dom.js';
import {describeError} from './errors.js';
import {alertBox} from './forms.js';
import {confirmDialog} from './dialog.js';
import {locale, onLanguageChange, t} from './i18n.js';
import {icon} from './icons.js';
import {addFriend, listFriends, removeFriend, searchUsers} from './people_api.js';
import {byName, emptyState, listSpinner, personBody} from './person_row.js';

const SEARCH_DELAY_MS = 250; // one request per pause in typing, not per key
const SEARCH_LIMIT = 20;

/** Mounts the screen into container; ctx is the shell's (see messenger_view.js). Returns {unmount}. */
export function mountFriendsView(container, ctx) {
  let friends = null; // [User] sorted by name; null until loaded
  let friendIds = new Set();
  let loadError = null;
  let query = '';
  let results = null; // {q, users} from the server for the current query
  let searchError = null;
  let searching = false;
  let searchTimer = 0;
  let searchController = null;
  let listController = null;
  let unmounted = false;

  const searchId = uid('people-search');
  const input = h('input', {
    id: searchId, type: 'search', class: 'form-control people-search-input', autocomplete: 'off',
    spellcheck: false, enterkeyhint: 'search', i18nAttrs: {placeholder: 'people.searchPlaceholder'},
  });
  const clearButton = h('button', {type: 'button', class: 'people-search-clear', hidden: true,
    i18nAttrs: {'aria-label': 'people.clearSearch', title: 'people.clearSearch'}}, icon('close', {size: 18}));
  const searchForm = h('form', {class: 'people-search', role: 'search', novalidate: true},
    h('label', {for: searchId, class: 'visually-hidden', i18n: 'people.searchLabel'}),
    h('span', {class: 'people-search-icon', 'aria-hidden': 'true'}, icon('search', {size: 18})),
    input, clearButton);
  const announcer = h('div', {class: 'visually-hidden', role: 'status', 'aria-live': 'polite'});
  const alerts = h('div', {class: 'people-alerts'});
  const me = h('a', {href: '#/profile', class: 'people-me'});
  const friendsHeadingId = uid('friends-heading');
  const countEl = h('span', {class: 'people-count'});
  const friendsBody = h('div', {class: 'people-list-wrap'});
  const friendsSection = h('section', {class: 'people-section', 'aria-labelledby': friendsHeadingId},
    h('h2', {id: friendsHeadingId, class: 'people-section-title'},
      h('span', {i18n: 'people.friendsHeading'}), countEl),
    friendsBody);
  const resultsHeadingId = uid('results-heading');
  const resultsBody = h('div', {class: 'people-list-wrap'});
  const resultsSection = h('section', {class: 'people-section', 'aria-labelledby': resultsHeadingId, hidden: true},
    h('h2', {id: resultsHeadingId, class: 'people-section-title', i18n: 'people.resultsHeading'}),
    resultsBody);

  const screen = h('div', {class: 'people-screen'},
    h('header', {class: 'people-header'}, h('h1', {class: 'people-title', i18n: 'people.title'})),
    searchForm, announcer, alerts, me, resultsSection, friendsSection);
  replace(container, screen);

  input.addEventListener('input', onQueryChange);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && input.value) {
      event.preventDefault();
      clearSearch();
    }
  });
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault(); // Enter searches now instead of waiting for the pause
    clearTimeout(searchTimer);
    if (query) runSearch(query);
  });
  clearButton.addEventListener('click', clearSearch);

  renderMe();
  render();
  loadFriends();
  const offLanguage = onLanguageChange(() => render());

  function renderMe() {
    const user = ctx.user;
    const status = user.statusMessage
      ? h('span', {class: 'people-me-status', text: user.statusMessage})
      : h('span', {class: 'people-me-status is-empty', i18n: 'people.noStatus'});
    replace(me,
      avatar(user, {size: 'lg'}),
      h('span', {class: 'people-me-text'},
        h('span', {class: 'visually-hidden', i18n: 'people.myProfile'}),
        h('span', {class: 'people-me-name', text: user.name}),
        status),
      h('span', {class: 'people-me-chevron', 'aria-hidden': 'true'}, icon('chevron', {size: 18})));
  }

  async function loadFriends() {
    if (listController) listController.abort();
    listController = new AbortController();
    loadError = null;
    friends = null;
    render();
    try {
      const list = await listFriends({signal: listController.signal});
      setFriends(Array.isArray(list) ? list : []);
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      loadError = err;
    }
    if (!unmounted) render();
  }

  function setFriends(list) {
    friends = list.slice().sort(byName(locale()));
    friendIds = new Set(friends.map((f) => f.id));
  }

  function matchesQuery(user, q) {
    return user.name.toLocaleLowerCase().includes(q.toLocaleLowerCase());
  }

  function onQueryChange() {
    const next = input.value.trim();
    clearButton.hidden = input.value === '';
    if (next === query) return;
    query = next;
    clearTimeout(searchTimer);
    if (searchController) searchController.abort();
    searchController = null;
    results = null;
    searchError = null;
    searching = query !== '';
    if (query) searchTimer = setTimeout(() => runSearch(query), SEARCH_DELAY_MS);
    render();
  }

  function clearSearch() {
    input.value = '';
    onQueryChange();
    input.focus();
  }

  async function runSearch(q) {
    if (searchController) searchController.abort();
    const controller = new AbortController();
    searchController = controller;
    searching = true;
    searchError = null;
    try {
      const users = await searchUsers(q, {limit: SEARCH_LIMIT, signal: controller.signal});
      if (controller.signal.aborted || q !== query) return; // a newer query owns the screen
      results = {q, users: Array.isArray(users) ? users : []};
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      if (q !== query) return;
      searchError = err;
    }
    searching = false;
    if (searchController === controller) searchController = null;
    if (!unmounted) render();
  }

  // --- rendering -----------------------------------------------------------

  function render() {
    const searchingNow = query !== '';
    me.hidden = searchingNow;
    friendsSection.hidden = searchingNow;
    resultsSection.hidden = !searchingNow;
    if (searchingNow) renderResults();
    else renderFriends();
  }

  function renderFriends() {
    if (loadError) {
      setText(countEl, '');
      replace(friendsBody, errorWithRetry(loadError, loadFriends));
      return;
    }
    if (!friends) {
      setText(countEl, '');
      replace(friendsBody, listSpinner('people.loading'));
      return;
    }
    setCount(friends.length);
    if (friends.length === 0) {
      replace(friendsBody, emptyState('personAdd', 'people.empty', 'people.emptyHint'));
      return;
    }
    replace(friendsBody, h('ul', {class: 'people-list'}, friends.map((f) => friendRow(f))));
  }

  function setCount(n) {
    countEl.dataset.i18n = 'people.friendsCount';
    countEl.dataset.i18nParams = JSON.stringify({count: n});
    setText(countEl, t('people.friendsCount', {count: n}));
  }

  // While typing: my friends who match, at once; then the server's answer
  // merged in (friends first, by name; then everyone else in its order).
  function renderResults() {
    const local = (friends || []).filter((f) => matchesQuery(f, query));
    const seen = new Set(local.map((u) => u.id));
    const found = results && results.q === query ? results.users : [];
    const friendsFound = local.concat(found.filter((u) => friendIds.has(u.id) && !seen.has(u.id)))
      .sort(byName(locale()));
    for (const u of friendsFound) seen.add(u.id);
    const others = found.filter((u) => !seen.has(u.id));
    const rows = friendsFound.map((u) => friendRow(u, {badge: true})).concat(others.map((u) => strangerRow(u)));

    const parts = [];
    if (rows.length) parts.push(h('ul', {class: 'people-list'}, rows));
    if (searching) parts.push(listSpinner('people.searching'));
    else if (searchError) parts.push(errorWithRetry(searchError, () => runSearch(query)));
    else if (!rows.length) parts.push(emptyState('search', 'people.noResults'));
    replace(resultsBody, parts);
  }

  function friendRow(user, {badge = false} = {}) {
    const body = personBody(user, {badge});
    const chat = h('button', {type: 'button', class: 'person-main person-main-button'}, body.nodes, h('span', {class: 'person-chat-hint', 'aria-hidden': 'true'}, icon('chat', {size: 18})));
    labelWith(chat, 'aria-label', 'people.chatWith', {name: user.name});
    if (body.statusId) chat.setAttribute('aria-describedby', body.statusId);
    chat.addEventListener('click', () => openChat(user, chat));

    const remove = h('button', {type: 'button', class: 'person-action person-remove'}, icon('personRemove', {size: 20}));
    labelWith(remove, 'aria-label', 'people.remove', {name: user.name});
    labelWith(remove, 'title', 'people.remove', {name: user.name});
    remove.addEventListener('click', () => confirmRemove(user));
    return h('li', {class: 'person', dataset: {userId: user.id}}, chat, remove);
  }

  function strangerRow(user) {
    const body = personBody(user);
    const spinner = h('span', {class: 'spinner-border spinner-border-sm me-1', 'aria-hidden': 'true', hidden: true});
    const add = h('button', {type: 'button', class: 'btn btn-primary btn-sm person-add'},
      spinner, h('span', {i18n: 'people.addFriend'}));
    const row = h('li', {class: 'person', dataset: {userId: user.id}},
      h('div', {class: 'person-main'}, body.nodes), add);
    add.addEventListener('click', async () => {
      if (add.disabled) return;
      add.disabled = true;
      spinner.hidden = false;
      replace(alerts);
      try {
        const added = await addFriend(user.id);
        const friend = added && added.id ? added : user;
        if (!friendIds.has(friend.id)) setFriends((friends || []).concat([friend]));
        announce('people.added', {name: friend.name});
        if (unmounted) return;
        // The row becomes a friend's row in place, and keeps the focus.
        const next = friendRow(friend, {badge: true});
        row.replaceWith(next);
        next.querySelector('.person-main-button').focus();
      } catch (err) {
        add.disabled = false;
        spinner.hidden = true;
        showError(err);
      }
    });
    return row;
  }

  // --- actions ---------------------------------------------------------------

  async function openChat(user, button) {
    if (button.getAttribute('aria-busy') === 'true') return;
    button.setAttribute('aria-busy', 'true');
    replace(alerts);
    try {
      await ctx.openDirectChat(user.id);
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      console.warn('openDirectChat failed', err);
      showError(err, 'people.chatFailed');
    } finally {
      button.removeAttribute('aria-busy');
    }
  }

  async function confirmRemove(user) {
    const yes = await confirmDialog({
      titleKey: 'people.removeTitle', bodyKey: 'people.removeBody', params: {name: user.name},
      confirmKey: 'people.removeConfirm', danger: true,
    });
    if (!yes || unmounted) return;
    replace(alerts);
    try {
      await removeFriend(user.id);
    } catch (err) {
      showError(err);
      return;
    }
    // Keep the keyboard near where it was: the next row, else the previous, else the search box.
    const row = screen.querySelector(`li.person[data-user-id="${CSS.escape(user.id)}"]`);
    const neighbour = row && (row.nextElementSibling || row.previousElementSibling);
    const neighbourId = neighbour && neighbour.dataset.userId;
    setFriends((friends || []).filter((f) => f.id !== user.id));
    announce('people.removed', {name: user.name});
    if (unmounted) return;
    render();
    const target = neighbourId && screen.querySelector(`li.person[data-user-id="${CSS.escape(neighbourId)}"] button`);
    (target || input).focus();
  }

  // --- messages ------------------------------------------------------------

  function announce(key, params) {
    setText(announcer, t(key, params));
  }

  function showError(err, fallbackKey = null) {
    if (err instanceof ApiError && err.status === 401) return; // the app shows the sign-in screen
    const described = err instanceof ApiError ? describeError(err) : {key: fallbackKey || 'error.unexpected', params: {status: '?'}};
    replace(alerts, alertBox(described.key === 'error.rateLimited' ? 'warning' : 'danger', described.key, described.params));
  }

  function errorWithRetry(err, retry) {
    const {key, params} = describeError(err);
    return h('div', {class: 'people-error'},
      alertBox('danger', key, params),
      h('button', {type: 'button', class: 'btn btn-soft btn-sm', on: {click: retry}}, h('span', {i18n: 'app.retry'})));
  }

  return {
    unmount() {
      unmounted = true;
      offLanguage();
      clearTimeout(searchTimer);
      if (searchController) searchController.abort();
      if (listController) listController.abort();
    },
  };
}

// An attribute whose words carry a parameter (a name). dom.h's i18nAttrs
// takes none, so it is set here, and the screen re-renders its rows when
// the language changes.
function labelWith(el, attr, key, params) {
  el.setAttribute(attr, t(key, params));
}
