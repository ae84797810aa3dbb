// Auto-Assign live console: the queue, the agents' load and the latest events of one company,
// live over the WebSocket (STOMP, the user's own /user/queue/auto-assign).
(function () {
  'use strict';

  const FEED_SIZE = 50;
  const state = {
    company: null, credential: null, capacity: null, queue: [], agents: new Map(), chats: new Map(),
    assignTimes: [], client: null,
  };
  const $ = (id) => document.getElementById(id);

  function isToken(credential) { return credential.startsWith('aa1.'); }

  async function api(path, options = {}) {
    const response = await fetch('/api/v1/companies/' + encodeURIComponent(state.company) + path, {
      ...options,
      headers: { Authorization: 'Bearer ' + state.credential, 'Content-Type': 'application/json' },
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || response.statusText || ('HTTP ' + response.status));
    }
    return response.json();
  }

  // ---- rendering

  function waiting(since) {
    const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 1000));
    const minutes = Math.floor(seconds / 60);
    return minutes >= 60 ? Math.floor(minutes / 60) + 'h ' + (minutes % 60) + 'm'
      : minutes + 'm ' + (seconds % 60) + 's';
  }

  // What is left of a queued chat's estimated wait ('—' when the service had no estimate).
  function estimateLeft(entry) {
    if (entry.estimatedWaitSeconds == null) return '—';
    const since = entry.estimatedAt ? Date.parse(entry.estimatedAt) : Date.now();
    const left = Math.round(entry.estimatedWaitSeconds - (Date.now() - since) / 1000);
    if (left <= 0) return 'soon';
    return '~' + (left >= 60 ? Math.floor(left / 60) + 'm ' : '') + (left % 60) + 's';
  }

  function preferred(chat) {
    if (!chat.preferredAgentId) return '—';
    return chat.preferredAgentId + (chat.preference === 'RETURNING_MEMBER' ? ' (returning)' : ' (requested)');
  }

  function renderQueue() {
    const body = $('queue');
    body.replaceChildren(...state.queue.map((entry, index) => {
      const row = document.createElement('tr');
      row.dataset.chatId = entry.chatId;
      for (const text of [String(index + 1), entry.chatId, entry.priority || 'NORMAL', entry.groupId || '—',
        waiting(entry.queuedAt), estimateLeft(entry)]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      row.children[4].className = 'waiting';
      row.lastChild.className = 'estimate';
      return row;
    }));
    $('queue-count').textContent = String(state.queue.length);
  }

  // The no-reply countdown of an ASSIGNED chat whose member waits: how long its agent has left
  // before the chat goes to another agent ('overdue' once it ran out and the check is due).
  function noReplyLeft(chat) {
    if (!state.noReplyMinutes || chat.state !== 'ASSIGNED' || !chat.waitingSince) return '—';
    const left = Date.parse(chat.waitingSince) + state.noReplyMinutes * 60000 - Date.now();
    if (left <= 0) return 'overdue';
    const seconds = Math.ceil(left / 1000);
    return Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0');
  }

  // Open chats and who holds them: { state: ASSIGNED | QUEUED | PENDING | TAKEN_OVER, holder, waitingSince }.
  function renderChats() {
    const body = $('chats');
    const chats = [...state.chats.entries()].sort((a, b) => a[0].localeCompare(b[0]));
    body.replaceChildren(...chats.map(([chatId, chat]) => {
      const row = document.createElement('tr');
      row.dataset.chatId = chatId;
      for (const [text, name] of [[chatId, 'chat'], [chat.state, 'state'], [chat.holder || '—', 'holder'],
        [preferred(chat), 'preferred'], [noReplyLeft(chat), 'no-reply']]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        cell.className = name;
        row.append(cell);
      }
      return row;
    }));
    $('chats-count').textContent = String(state.chats.size);
  }

  function renderHeadline() {
    $('figure-queue').textContent = String(state.queue.length);
    const oldest = state.queue.reduce((min, entry) => (!min || entry.queuedAt < min ? entry.queuedAt : min), null);
    $('figure-oldest').textContent = oldest ? waiting(oldest) : '—';
    const times = [...state.assignTimes].sort((a, b) => a - b);
    $('figure-assign').textContent = times.length === 0 ? '—'
      : (times[Math.floor(times.length / 2)] / 1000).toFixed(times[Math.floor(times.length / 2)] < 10000 ? 2 : 0) + ' s';
  }

  function renderAgents() {
    const body = $('agents');
    const agents = [...state.agents.values()].sort((a, b) => a.agentId.localeCompare(b.agentId));
    body.replaceChildren(...agents.map((agent) => {
      const row = document.createElement('tr');
      row.dataset.agentId = agent.agentId;
      const name = document.createElement('td');
      name.textContent = agent.name + ' (' + agent.agentId + ')';
      const role = document.createElement('td');
      role.textContent = agent.role;
      const status = document.createElement('td');
      status.textContent = agent.status;
      status.className = 'status status-' + agent.status;
      const load = document.createElement('td');
      load.className = 'load';
      const capacity = agent.role === 'AGENT' ? state.capacity : null;
      if (capacity) {
        const bar = document.createElement('span');
        bar.className = 'load-bar' + (agent.activeChats >= capacity ? ' full' : '');
        const fill = document.createElement('span');
        fill.style.width = Math.min(100, (100 * agent.activeChats) / capacity) + '%';
        bar.append(fill);
        load.append(bar);
      }
      load.append(document.createTextNode(agent.activeChats + (capacity ? ' / ' + capacity : '')));
      row.append(name, role, status, load);
      return row;
    }));
  }

  function addToFeed(event) {
    const item = document.createElement('li');
    const time = document.createElement('time');
    time.textContent = new Date(event.occurredAt).toLocaleTimeString();
    const type = document.createElement('span');
    type.className = 'type';
    type.textContent = event.type;
    item.append(time, type, document.createTextNode(' ' + describe(event)));
    $('feed').prepend(item);
    while ($('feed').children.length > FEED_SIZE) {
      $('feed').lastChild.remove();
    }
  }

  function describe(event) {
    switch (event.type) {
      case 'CHAT_ASSIGNED': return event.chatId + ' → ' + event.agentId;
      case 'CHAT_UNASSIGNED': return event.chatId + ' left ' + event.agentId + ' (' + event.reason + ')';
      case 'CHAT_QUEUED': return event.chatId + ' queued at #' + event.queuePosition
        + (event.priority && event.priority !== 'NORMAL' ? ' (' + event.priority + ')' : '');
      case 'CHAT_PRIORITY_CHANGED': return event.chatId + ' priority ' + event.previousPriority + ' → ' + event.priority;
      case 'CHAT_TAKEN_OVER': return event.chatId + ' taken over by ' + event.adminId;
      case 'CHAT_CLOSED': return event.chatId + ' closed (' + event.closeReason + ')'
        + (event.previousAgentId ? ', held by ' + event.previousAgentId : '');
      case 'AGENT_CHATS_REASSIGNED': return event.agentId + ': ' + event.reassigned.length + ' reassigned, '
        + event.queued.length + ' queued';
      case 'AGENT_UPDATED': return event.agent.agentId + ' is ' + event.agent.status;
      case 'CHAT_ASSIGNMENT_SYNC': return event.queuedChats.length + ' queued';
      default: return '';
    }
  }

  // ---- live state

  let refreshing = null;
  function refreshAgents() {
    if (refreshing) return;
    refreshing = setTimeout(async () => {
      refreshing = null;
      try {
        await loadCapacity();
        const agents = new Map(); // built afresh: a deleted agent disappears
        for (const agent of await api('/agents')) agents.set(agent.agentId, agent);
        state.agents = agents;
        renderAgents();
        // messages have no event: with the no-reply clock on, who waits is read again
        if (state.noReplyMinutes) await loadChats();
      } catch (error) { console.warn('agents', error); }
    }, 250);
  }

  // The configuration has no event: its capacity and the business hours are read again with the
  // agents and every 5 s.
  async function loadCapacity() {
    const config = await api('/auto-assign');
    state.capacity = config.unlimitedChatsPerAgent ? null : config.maxChatsPerAgent;
    $('capacity').textContent = state.capacity ? 'capacity ' + state.capacity + ' per agent' : 'unlimited capacity';
    state.noReplyMinutes = config.noReplyReassignEnabled ? config.noReplyMinutes : null;
    const hours = await api('/business-hours');
    $('figure-hours').textContent = hours.open ? 'open' : 'closed';
    $('figure-hours').classList.toggle('closed', !hours.open);
    const when = (at) => new Date(at).toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short',
      hour: '2-digit', minute: '2-digit' });
    $('hours-detail').textContent = !hours.businessHoursEnabled ? 'no business hours'
      : hours.open ? (hours.closesAt ? 'until ' + when(hours.closesAt) : 'business hours')
        : (hours.opensAt ? 'opens ' + when(hours.opensAt) : 'no opening within a year');
  }

  // Every open chat, page by page (the listing for reconciliation), when the console opens and
  // after each (re)subscription: the events then keep it up to date.
  async function loadChats() {
    const chats = new Map();
    let cursor = null;
    do {
      const page = await api('/chats?status=OPEN&limit=1000' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      for (const chat of page.chats) {
        chats.set(chat.chatId, { state: chat.assignmentStatus, holder: chat.assignedAgentId,
          waitingSince: chat.awaitingReplySince });
        versions.set(chat.chatId, Math.max(versions.get(chat.chatId) || 0, chat.version || 0));
      }
      cursor = page.next;
    } while (cursor);
    state.chats = chats;
    renderChats();
  }

  function noteTimeToAssign(event) {
    const before = state.chats.get(event.chatId);
    if (before && before.state !== 'QUEUED' && before.state !== 'PENDING') return; // moved, not a first agent
    if (!event.chat || !event.chat.createdAt) return;
    state.assignTimes.push(Date.parse(event.occurredAt) - Date.parse(event.chat.createdAt));
    if (state.assignTimes.length > 50) state.assignTimes.shift();
  }

  // The client rule (README, Delivery guarantees): keep the highest version seen per chat and
  // ignore an event whose version is lower (the sync already showed something newer).
  const versions = new Map();
  function isStale(event) {
    if (!event.chatId || typeof event.version !== 'number') return false;
    if ((versions.get(event.chatId) || 0) > event.version) return true;
    versions.set(event.chatId, event.version);
    return false;
  }

  function onEvent(event) {
    addToFeed(event);
    if (isStale(event)) return;
    switch (event.type) {
      case 'CHAT_ASSIGNMENT_SYNC':
        for (const chat of event.assignedChats) {
          versions.set(chat.chatId, Math.max(versions.get(chat.chatId) || 0, chat.version || 0));
        }
        state.queue = event.queuedChats.map((entry) => ({ ...entry, estimatedAt: event.occurredAt }));
        break;
      case 'CHAT_QUEUED':
        if (!state.queue.some((entry) => entry.chatId === event.chatId)) {
          state.queue.splice(Math.min(event.queuePosition - 1, state.queue.length), 0,
            { chatId: event.chatId, groupId: event.groupId, queuedAt: event.occurredAt, priority: event.priority,
              estimatedWaitSeconds: event.estimatedWaitSeconds, estimatedAt: event.occurredAt });
        }
        state.chats.set(event.chatId, { state: 'QUEUED', holder: null });
        break;
      case 'CHAT_PRIORITY_CHANGED': {
        // the chat moved from previousQueuePosition to queuePosition; those between moved by one
        const index = state.queue.findIndex((entry) => entry.chatId === event.chatId);
        if (index >= 0) {
          const [moved] = state.queue.splice(index, 1);
          const to = event.queuePosition ? event.queuePosition - 1 : index;
          state.queue.splice(Math.min(to, state.queue.length), 0, { ...moved, priority: event.priority });
        }
        break;
      }
      case 'CHAT_ASSIGNED':
        noteTimeToAssign(event);
        state.chats.set(event.chatId, { state: 'ASSIGNED', holder: event.agentId,
          waitingSince: event.chat ? event.chat.awaitingReplySince : null,
          preferredAgentId: event.chat ? event.chat.preferredAgentId : null,
          preference: event.chat ? event.chat.preference : null });
        state.queue = state.queue.filter((entry) => entry.chatId !== event.chatId);
        refreshAgents();
        break;
      case 'CHAT_TAKEN_OVER':
        state.chats.set(event.chatId, { state: 'TAKEN_OVER', holder: event.adminId });
        state.queue = state.queue.filter((entry) => entry.chatId !== event.chatId);
        refreshAgents();
        break;
      case 'CHAT_CLOSED':
        state.chats.delete(event.chatId);
        state.queue = state.queue.filter((entry) => entry.chatId !== event.chatId);
        refreshAgents();
        break;
      case 'AGENT_CHATS_REASSIGNED':
        for (const moved of event.reassigned) state.chats.set(moved.chatId, { state: 'ASSIGNED', holder: moved.agentId });
        for (const queued of event.queued) state.chats.set(queued.chatId, { state: 'QUEUED', holder: null });
        refreshAgents();
        break;
      case 'CHAT_UNASSIGNED':
        refreshAgents();
        break;
      case 'AGENT_UPDATED':
        state.agents.set(event.agent.agentId, event.agent);
        renderAgents();
        break;
      default:
        break;
    }
    renderQueue();
    renderChats();
    renderHeadline();
  }

  function connect() {
    const headers = { Authorization: 'Bearer ' + state.credential };
    const client = new StompJs.Client({
      brokerURL: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws',
      connectHeaders: headers,
      heartbeatIncoming: 10000,
      heartbeatOutgoing: 10000,
      reconnectDelay: 2000,
      onConnect: () => {
        setConnection('live');
        client.subscribe('/user/queue/auto-assign', (frame) => onEvent(JSON.parse(frame.body)));
        refreshAgents();
        loadChats().catch((error) => console.warn('chats', error));
      },
      onWebSocketClose: () => setConnection('down'),
      onStompError: (frame) => { setConnection('down'); console.warn(frame.headers.message); },
    });
    state.client = client;
    client.activate();
  }

  function setConnection(status) {
    $('connection').textContent = status === 'live' ? 'live' : 'reconnecting';
    $('connection').className = 'badge ' + status;
  }

  async function open(company, credential) {
    if (!isToken(credential)) {
      throw new Error('enter an admin token of the company (the platform API key is not accepted here)');
    }
    state.company = company;
    state.credential = credential;
    await loadCapacity(); // an agent's token is refused here (403)
    for (const agent of await api('/agents')) state.agents.set(agent.agentId, agent);
    state.queue = (await api('/queue')).map((entry) => ({ ...entry }));
    await loadChats();
    renderAgents();
    renderQueue();
    renderHeadline();
    sessionStorage.setItem('autoAssignConsole', JSON.stringify({ company, credential }));
    $('login').hidden = true;
    $('console').hidden = false;
    $('headline').hidden = false;
    $('session').hidden = false;
    $('company-label').textContent = company;
    connect();
  }

  $('login-form').addEventListener('submit', async (submit) => {
    submit.preventDefault();
    $('login-error').hidden = true;
    try {
      await open($('company').value.trim(), $('credential').value.trim());
    } catch (error) {
      $('login-error').textContent = 'Could not open the console: ' + error.message;
      $('login-error').hidden = false;
    }
  });

  $('logout').addEventListener('click', () => {
    sessionStorage.removeItem('autoAssignConsole');
    if (state.client) state.client.deactivate();
    location.reload();
  });

  setInterval(() => {
    document.querySelectorAll('#queue tr').forEach((row, index) => {
      const entry = state.queue[index];
      if (entry) row.querySelector('.waiting').textContent = waiting(entry.queuedAt);
    });
    if (state.company) renderHeadline();
    document.querySelectorAll('#chats tr').forEach((row) => {
      const chat = state.chats.get(row.dataset.chatId);
      if (chat) row.querySelector('.no-reply').textContent = noReplyLeft(chat);
    });
  }, 1000);

  setInterval(() => {
    if (state.company) refreshAgents();
  }, 5000);

  const saved = sessionStorage.getItem('autoAssignConsole');
  if (saved) {
    const { company, credential } = JSON.parse(saved);
    open(company, credential).catch(() => sessionStorage.removeItem('autoAssignConsole'));
  }
})();
