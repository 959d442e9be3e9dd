// The playground page: renders the sandbox's state (pushed as server-sent events) and turns each click into one
// POST to /sandbox/api/…, which acts through the local Discord's gateway or the local Flex. Plain JavaScript, no build.
'use strict';

const $ = (id) => document.getElementById(id);
const ui = {
  state: undefined,
  person: undefined,
  channelByPerson: {},
  agent: undefined,
  chat: undefined,
  /** A chat the agent just accepted: opened as soon as the state lists it as theirs. */
  acceptedChat: undefined,
  dismissedModals: new Set(),
  memberFiles: [],
  agentFiles: [],
  /** The member's message being edited in the composer: { channelId, messageId }. */
  memberEditing: undefined,
  /** The agent's message being edited in the agent composer: { conversationSid, messageSid }. */
  agentEditing: undefined,
  /** The case whose notes the staff view shows. */
  caseNumber: undefined,
  statsAt: 0,
};

// ---- talking to the sandbox ----

async function post(path, body) {
  const res = await fetch(`/sandbox/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) {
    toast(answer.error || `${path} failed (${res.status})`);
    throw new Error(answer.error || res.statusText);
  }
  return answer;
}

function connect() {
  const events = new EventSource('/sandbox/api/events');
  events.addEventListener('state', (e) => {
    ui.state = JSON.parse(e.data);
    $('connection').textContent = 'live';
    $('connection').className = 'pill live';
    render();
  });
  events.onerror = () => {
    $('connection').textContent = 'reconnecting…';
    $('connection').className = 'pill';
  };
}

function toast(text) {
  const el = $('toast');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (el.hidden = true), 5000);
}

function readFiles(input) {
  return Promise.all(
    [...input.files].map(
      (file) =>
        new Promise((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () =>
            resolve({
              filename: file.name,
              contentType: file.type || 'application/octet-stream',
              data: String(reader.result).split(',')[1] || '',
            });
          reader.onerror = () => reject(reader.error);
          reader.readAsDataURL(file);
        }),
    ),
  );
}

// ---- small rendering helpers ----

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === 'onclick') node.addEventListener('click', value);
    else if (key === 'html') node.innerHTML = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false)
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const escapeHtml = (s) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

/** The bits of Discord markdown flexcord writes: links, bold, channel mentions, bare URLs. */
function markdown(text) {
  let html = escapeHtml(text);
  html = html.replace(
    /\[([^\]]+)\]\((https?:[^)\s]+)\)/g,
    '<a href="$2" target="_blank" rel="noopener">$1</a>',
  );
  html = html.replace(
    /(^|[\s(])(https?:\/\/[^\s<)]+)/g,
    '$1<a href="$2" target="_blank" rel="noopener">$2</a>',
  );
  html = html.replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>');
  html = html.replace(/&lt;#(\d+)&gt;/g, (_m, id) => `<b>#${escapeHtml(channelName(id))}</b>`);
  return html;
}

function channelName(id) {
  for (const p of ui.state?.people ?? []) {
    const found = p.channels.find((c) => c.id === id);
    if (found) return found.name;
  }
  return id;
}

const time = (iso) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

// ---- Discord ----

function currentPerson() {
  const people = ui.state.people;
  return people.find((p) => p.id === ui.person) ?? people[0];
}

function currentChannel(person) {
  const chosen = person.channels.find((c) => c.id === ui.channelByPerson[person.id]);
  return chosen ?? person.channels.find((c) => c.name === 'support') ?? person.channels[0];
}

function renderPeople() {
  const tabs = $('people-tabs');
  tabs.replaceChildren(
    ...ui.state.people.map((p) =>
      el(
        'button',
        {
          type: 'button',
          class: p.id === currentPerson().id ? 'active' : undefined,
          'data-person': p.staff ? 'staff' : 'member',
          onclick: () => {
            ui.person = p.id;
            render();
          },
        },
        `${p.name} (${p.staff ? 'staff' : 'member'})`,
      ),
    ),
  );
}

function renderChannels(person, active) {
  const groups = [
    ['Channels', person.channels.filter((c) => c.kind === 'text' || c.kind === 'announcement')],
    ['Private threads', person.channels.filter((c) => c.kind === 'thread')],
    ['Direct messages', person.channels.filter((c) => c.kind === 'dm')],
  ];
  $('channels').replaceChildren(
    ...groups.flatMap(([label, list]) =>
      list.length === 0
        ? []
        : [
            el('div', { class: 'group' }, label),
            ...list.map((c) =>
              el(
                'button',
                {
                  type: 'button',
                  class: c.id === active.id ? 'active' : undefined,
                  'data-channel': c.kind === 'dm' ? 'dm' : c.name,
                  onclick: () => {
                    ui.channelByPerson[person.id] = c.id;
                    render();
                  },
                },
                `${c.kind === 'dm' ? '@ ' : c.kind === 'announcement' ? '» ' : c.kind === 'thread' ? '└ ' : '# '}${c.name}`,
                c.messages.length ? el('span', { class: 'muted small' }, ` ${c.messages.length}`) : null,
              ),
            ),
          ],
    ),
  );
}

function messageNode(m, person) {
  return el(
    'div',
    { class: `msg${m.ephemeral ? ' ephemeral' : ''}`, 'data-message': m.id },
    el(
      'div',
      {},
      el(
        'span',
        { class: 'who' },
        m.author.name,
        m.author.bot ? el('span', { class: 'badge' }, 'BOT') : null,
      ),
      el('span', { class: 'time' }, time(m.at)),
      m.edited ? el('span', { class: 'time edited' }, '(edited)') : null,
      m.author.id === person.id && !m.ephemeral ? ownMessageActions(m, person) : null,
    ),
    m.content ? el('div', { class: 'body', html: markdown(m.content) }) : null,
    ...m.embeds.map((e) =>
      el(
        'div',
        { class: 'embed' },
        e.author ? el('div', { class: 'small muted' }, e.author) : null,
        e.title
          ? el(
              'div',
              { class: 'title' },
              e.url ? el('a', { href: e.url, target: '_blank', rel: 'noopener' }, e.title) : e.title,
            )
          : null,
        e.description ? el('div', { class: 'body', html: markdown(e.description) }) : null,
        ...e.fields.map((f) => [
          el('div', { class: 'field-name' }, f.name),
          el('div', { class: 'body', html: markdown(f.value) }),
        ]),
      ),
    ),
    m.attachments.length
      ? el(
          'div',
          { class: 'small' },
          ...m.attachments.map((a) =>
            el('a', { href: a.url, target: '_blank', rel: 'noopener' }, `[file] ${a.name} `),
          ),
        )
      : null,
    m.buttons.length
      ? el(
          'div',
          { class: 'buttons' },
          ...m.buttons.map((b) =>
            el(
              'button',
              {
                type: 'button',
                class: `style-${b.style}`,
                disabled: b.disabled,
                'data-custom-id': b.customId,
                onclick: () =>
                  post('member/button', {
                    userId: person.id,
                    channelId: m.channelId,
                    messageId: m.id,
                    customId: b.customId,
                  }),
              },
              b.label,
            ),
          ),
        )
      : null,
  );
}

/** Discord lets people edit and delete their own messages; the edit happens in the composer. */
function ownMessageActions(m, person) {
  return el(
    'span',
    { class: 'msg-actions' },
    el(
      'button',
      {
        type: 'button',
        class: 'link',
        'data-action': 'edit-message',
        onclick: () => {
          ui.memberEditing = { channelId: m.channelId, messageId: m.id, personId: person.id };
          $('composer-text').value = m.content;
          $('composer-text').focus();
          renderEditing();
        },
      },
      'edit',
    ),
    el(
      'button',
      {
        type: 'button',
        class: 'link',
        'data-action': 'delete-message',
        onclick: () => post('member/delete', { userId: person.id, channelId: m.channelId, messageId: m.id }),
      },
      'delete',
    ),
  );
}

function renderEditing() {
  $('composer-editing').hidden = !ui.memberEditing;
  $('agent-editing').hidden = !ui.agentEditing;
}

function renderMessages(person, channel) {
  $('channel-title').textContent = channel.kind === 'dm' ? `@ ${channel.name}` : `# ${channel.name}`;
  $('conversation-link').href = person.conversationUrl;
  $('locale').value = person.locale;
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const key = `${person.id}:${channel.id}`;
  box.replaceChildren(
    ...(channel.messages.length
      ? channel.messages.map((m) => messageNode(m, person))
      : [el('p', { class: 'muted' }, 'No messages yet.')]),
  );
  if (atBottom || box.dataset.key !== key) box.scrollTop = box.scrollHeight;
  box.dataset.key = key;
}

function renderModal(person) {
  const dialog = $('modal');
  const modal = person.modal;
  if (!modal || ui.dismissedModals.has(modal.interactionId)) {
    if (dialog.open && dialog.dataset.interaction) dialog.close();
    return;
  }
  if (dialog.open && dialog.dataset.interaction === modal.interactionId) return;
  dialog.dataset.interaction = modal.interactionId;
  $('modal-title').textContent = modal.title;
  $('modal-fields').replaceChildren(
    ...modal.fields.map((f) =>
      el(
        'label',
        {},
        f.label,
        el(f.paragraph ? 'textarea' : 'input', {
          name: f.id,
          'data-field': f.id,
          required: f.required,
          maxlength: f.maxLength,
          rows: f.paragraph ? 3 : undefined,
        }),
      ),
    ),
  );
  dialog.showModal();
}

function parseCommand(text) {
  const [head, ...rest] = text.slice(1).trim().split(/\s+/);
  let remainder = rest.join(' ');
  let subcommand;
  const first = rest[0];
  if (first && !first.includes(':')) {
    subcommand = first;
    remainder = rest.slice(1).join(' ');
  }
  const options = {};
  for (const match of remainder.matchAll(/(\w+):(.*?)(?=\s+\w+:|$)/g)) {
    const value = match[2].trim();
    // Snowflakes (a member's id for /case block) stay strings: they do not fit a JavaScript number.
    options[match[1]] = /^\d{1,15}$/.test(value)
      ? Number(value)
      : value === 'true'
        ? true
        : value === 'false'
          ? false
          : value;
  }
  return { name: head, subcommand, options };
}

async function runCommand(text) {
  const person = currentPerson();
  const channel = currentChannel(person);
  const { name, subcommand, options } = parseCommand(text);
  await post('member/command', { userId: person.id, channelId: channel.id, name, subcommand, options });
}

// ---- Flex ----

function agentName(identity) {
  return ui.state.agents.find((a) => a.identity === identity)?.name ?? identity;
}

function renderAgents() {
  ui.agent ??= ui.state.agents[0]?.identity;
  $('agent-tabs').replaceChildren(
    ...ui.state.agents.map((a) =>
      el(
        'button',
        {
          type: 'button',
          class: a.identity === ui.agent ? 'active' : undefined,
          'data-agent': a.identity,
          onclick: () => {
            ui.agent = a.identity;
            ui.chat = undefined;
            render();
          },
        },
        a.name,
      ),
    ),
  );
}

function taskCard(task, actions) {
  return el(
    'div',
    { class: `card${task.conversationSid === ui.chat ? ' selected' : ''}`, 'data-task': task.sid },
    el(
      'div',
      {},
      el('b', {}, task.caseNumber ? `Case #${task.caseNumber}` : 'Task'),
      ` · ${task.customer ?? 'customer'} · `,
      el('span', { class: 'muted' }, task.status),
      task.priority ? el('span', { class: 'muted' }, ` · priority ${task.priority}`) : null,
      task.workflowUrl
        ? [' · ', el('a', { href: task.workflowUrl, target: '_blank', rel: 'noopener' }, 'workflow')]
        : null,
    ),
    task.language ? el('span', { class: 'pill lang', 'data-language': task.language }, task.language) : null,
    task.summary ? el('span', {}, ` ${task.summary}`) : null,
    task.excerpt ? el('div', { class: 'excerpt' }, task.excerpt) : null,
    task.staffNotes.length
      ? el(
          'div',
          { class: 'staff-notes small' },
          el('b', {}, 'Staff notes'),
          ...task.staffNotes.map((n) =>
            el('div', { 'data-note': n.caseNumber }, `#${n.caseNumber} · ${n.author}: ${n.text}`),
          ),
        )
      : null,
    actions,
  );
}

function renderDesk() {
  const tasks = ui.state.tasks;
  const queue = tasks.filter((t) => t.status === 'pending' || t.status === 'reserved');
  // Live chats first, then those waiting for wrap-up.
  const mine = tasks
    .filter((t) => t.agent === ui.agent && (t.status === 'assigned' || t.status === 'wrapping'))
    .sort((a, b) => (a.status === 'assigned' ? 0 : 1) - (b.status === 'assigned' ? 0 : 1));
  $('queue').replaceChildren(
    ...(queue.length
      ? queue.map((t) =>
          taskCard(
            t,
            el(
              'div',
              { class: 'row' },
              el(
                'button',
                {
                  type: 'button',
                  class: 'primary',
                  'data-action': 'accept',
                  onclick: async () => {
                    // Opened once the state shows the task as this agent's.
                    ui.acceptedChat = t.conversationSid;
                    await post('agent/accept', { conversationSid: t.conversationSid, agent: ui.agent });
                  },
                },
                'Accept',
              ),
            ),
          ),
        )
      : [el('p', { class: 'muted small' }, 'No tasks waiting.')]),
  );
  if (ui.acceptedChat && mine.some((t) => t.conversationSid === ui.acceptedChat)) {
    ui.chat = ui.acceptedChat;
    ui.acceptedChat = undefined;
  }
  if (!mine.some((t) => t.conversationSid === ui.chat)) ui.chat = mine[0]?.conversationSid;
  $('my-chats').replaceChildren(
    ...(mine.length
      ? mine.map((t) => {
          const card = taskCard(t);
          card.addEventListener('click', () => {
            ui.chat = t.conversationSid;
            render();
          });
          return card;
        })
      : [el('p', { class: 'muted small' }, 'Accept a task to chat.')]),
  );
  const task = mine.find((t) => t.conversationSid === ui.chat);
  $('chat-panel').hidden = !task;
  if (!task) return;
  const conversation = ui.state.conversations.find((c) => c.sid === task.conversationSid);
  $('chat-title').textContent =
    `${conversation?.friendlyName ?? task.conversationSid} · ${conversation?.state ?? ''}`;
  const box = $('chat-messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren(
    ...(conversation?.messages ?? []).map((m) =>
      el(
        'div',
        { class: 'msg', 'data-message': m.sid },
        el(
          'div',
          {},
          el(
            'span',
            { class: 'who' },
            m.author.startsWith('discord') ? (task.customer ?? 'customer') : agentName(m.author),
          ),
          el('span', { class: 'time' }, time(m.at)),
          m.edited ? el('span', { class: 'time edited' }, '(edited)') : null,
          m.author === ui.agent && task.status === 'assigned'
            ? el(
                'span',
                { class: 'msg-actions' },
                el(
                  'button',
                  {
                    type: 'button',
                    class: 'link',
                    'data-action': 'edit-reply',
                    onclick: () => {
                      ui.agentEditing = { conversationSid: task.conversationSid, messageSid: m.sid };
                      $('agent-text').value = m.body;
                      $('agent-text').focus();
                      renderEditing();
                    },
                  },
                  'edit',
                ),
                el(
                  'button',
                  {
                    type: 'button',
                    class: 'link',
                    'data-action': 'remove-reply',
                    onclick: () =>
                      post('agent/remove', {
                        conversationSid: task.conversationSid,
                        agent: ui.agent,
                        messageSid: m.sid,
                      }),
                  },
                  'remove',
                ),
              )
            : null,
        ),
        el('div', { class: 'body', html: markdown(m.body) }),
        ...m.media.map((f) =>
          el('a', { href: f.url, target: '_blank', rel: 'noopener', class: 'small' }, `[file] ${f.name}`),
        ),
      ),
    ),
  );
  if (atBottom || box.dataset.key !== task.sid) box.scrollTop = box.scrollHeight;
  box.dataset.key = task.sid;
  const wrapping = task.status === 'wrapping';
  $('agent-composer').hidden = wrapping;
  $('transfer').hidden = wrapping;
  $('end-chat').hidden = wrapping;
  $('complete').hidden = !wrapping;
  $('complete').dataset.task = task.sid;
}

// ---- staff ----

function renderCases() {
  const { cases, casesError } = ui.state;
  if (casesError) {
    $('cases').replaceChildren(el('p', { class: 'muted' }, casesError));
    return;
  }
  $('cases').replaceChildren(
    cases.length === 0
      ? el('p', { class: 'muted small' }, 'No cases yet.')
      : el(
          'table',
          {},
          el('tr', {}, el('th', {}, '#'), el('th', {}, 'status'), el('th', {}, 'case')),
          ...cases.map((c) =>
            el(
              'tr',
              {
                'data-case': c.number,
                class: c.number === ui.caseNumber ? 'selected' : undefined,
                onclick: (e) => {
                  if (e.target.closest('a')) return;
                  ui.caseNumber = c.number;
                  renderCases();
                  void loadCase();
                },
              },
              el(
                'td',
                {},
                String(c.number),
                c.workflowUrl
                  ? el(
                      'div',
                      {},
                      el('a', { href: c.workflowUrl, target: '_blank', rel: 'noopener' }, 'workflow'),
                    )
                  : null,
              ),
              el(
                'td',
                { class: `status-${c.status}` },
                c.status.replace('_', ' '),
                c.priority !== 'normal' ? ` (${c.priority})` : '',
              ),
              el(
                'td',
                {},
                el('b', {}, c.type),
                ` ${c.title}`,
                el(
                  'div',
                  { class: 'muted' },
                  c.reporter?.name ?? '',
                  c.assignedAgent ? ` · ${agentName(c.assignedAgent)}` : '',
                ),
              ),
            ),
          ),
        ),
  );
  renderBlocks();
  $('feed').replaceChildren(
    ...[...ui.state.feed]
      .reverse()
      .map((f) =>
        el(
          'li',
          {},
          f.title,
          el('span', { class: 'muted' }, ` · ${new Date(f.publishedAt).toLocaleDateString()}`),
        ),
      ),
  );
}

/** The selected case with its notes, read through GET /api/cases/:number (the list carries no notes). */
async function loadCase() {
  const number = ui.caseNumber;
  if (!number) return;
  const res = await fetch(`/sandbox/api/staff/cases/${number}`);
  const answer = await res.json().catch(() => ({}));
  if (number !== ui.caseNumber) return;
  if (!res.ok) {
    toast(answer.error || `case #${number} could not be read`);
    return;
  }
  const c = answer.case;
  $('case-detail').hidden = false;
  $('case-title').textContent = `Case #${c.number} · ${c.type} · ${c.title}`;
  $('case-notes').replaceChildren(
    ...(c.notes.length
      ? c.notes.map((n) =>
          el(
            'li',
            { 'data-note': 'true' },
            n.text,
            el('span', { class: 'muted' }, ` · ${n.author} · ${time(n.at)}`),
          ),
        )
      : [el('li', { class: 'muted' }, 'No notes yet.')]),
  );
}

function renderBlocks() {
  const { blocks, blocksError, people } = ui.state;
  const select = $('block-user');
  const chosen = select.value;
  select.replaceChildren(
    ...people.map((p) => el('option', { value: p.id }, `${p.name}${p.staff ? ' (staff)' : ''}`)),
  );
  if (chosen) select.value = chosen;
  if (blocksError) {
    $('blocks').replaceChildren(el('p', { class: 'muted' }, blocksError));
    return;
  }
  $('blocks').replaceChildren(
    blocks.length === 0
      ? el('p', { class: 'muted' }, 'Nobody is blocked.')
      : el(
          'table',
          {},
          el('tr', {}, el('th', {}, 'member'), el('th', {}, 'reason'), el('th', {}, 'until'), el('th', {})),
          ...blocks.map((b) =>
            el(
              'tr',
              { 'data-block-user': b.userName ?? b.userId },
              el('td', {}, b.userName ?? b.userId),
              el('td', {}, b.reason, el('div', { class: 'muted' }, `by ${b.blockedBy}`)),
              el('td', {}, b.expiresAt ? new Date(b.expiresAt).toLocaleString() : 'until unblocked'),
              el(
                'td',
                {},
                el(
                  'button',
                  {
                    type: 'button',
                    'data-action': 'unblock',
                    onclick: () => post('staff/unblock', { userId: b.userId }),
                  },
                  'Unblock',
                ),
              ),
            ),
          ),
        ),
  );
}

const duration = (seconds) => {
  if (seconds === null || seconds === undefined) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
};
const durations = (d) =>
  d.count === 0 ? '-' : `median ${duration(d.medianSeconds)} · p90 ${duration(d.p90Seconds)} (${d.count})`;
const ages = (a) => (a.count === 0 ? 'none' : `${a.count}, oldest ${duration(a.oldestAgeSeconds)}`);

/** Support analytics for the period picked, through GET /api/stats (what `flexcord stats --json` prints). */
async function loadStats() {
  ui.statsAt = Date.now();
  const since = $('stats-period').value;
  const res = await fetch(`/sandbox/api/staff/stats?since=${encodeURIComponent(since)}`);
  const stats = await res.json().catch(() => ({}));
  if (since !== $('stats-period').value) return;
  if (!res.ok) {
    $('stats').replaceChildren(el('p', { class: 'muted' }, stats.error || `stats failed (${res.status})`));
    return;
  }
  const period = el(
    'div',
    { class: 'muted', 'data-period': since, 'data-from': stats.from, 'data-to': stats.to },
    `${new Date(stats.from).toLocaleString()} – ${new Date(stats.to).toLocaleString()}`,
  );
  if (stats.guilds.length === 0) {
    $('stats').replaceChildren(period, el('p', { class: 'muted' }, 'Nothing recorded in this period.'));
    return;
  }
  $('stats').replaceChildren(
    period,
    ...stats.guilds.map((g) => {
      const c = g.conversations;
      const s = g.satisfaction;
      const r = g.reports;
      const share = c.answeredByKnowledgeBaseShare;
      const rows = [
        ['conversations', c.total, `${c.total}`],
        [
          'knowledge base alone',
          c.answeredByKnowledgeBase,
          `${c.answeredByKnowledgeBase}${share === null ? '' : ` (${Math.round(share * 100)}%)`}`,
        ],
        ['asked for a person', c.handedToHuman, `${c.handedToHuman}`],
        ['reached an agent', c.reachedAgent, `${c.reachedAgent}`],
        ['time to agent', null, durations(g.timeToAgent)],
        ['first agent response', null, durations(g.firstAgentResponse)],
        ['handle time', null, durations(g.handleTime)],
        [
          'satisfaction',
          s.count,
          s.count === 0
            ? '-'
            : `${s.average} (${s.count}) · ${['1', '2', '3', '4', '5'].map((k) => `${k}★ ${s.distribution[k]}`).join(' ')}`,
        ],
        [
          'reports',
          r.opened,
          `opened ${r.opened} · triaged ${r.triaged} · resolved ${r.resolved} · declined ${r.declined}`,
        ],
        ['time to triage', null, durations(r.timeToTriage)],
        ['waiting untriaged', null, ages(r.waiting.untriaged)],
        ['waiting triaged', null, ages(r.waiting.triaged)],
      ];
      return el(
        'table',
        { 'data-guild': g.guildId },
        el(
          'tr',
          {},
          el('th', { colspan: 2 }, g.guildId === ui.state.guild.id ? ui.state.guild.name : g.guildId),
        ),
        ...rows.map(([label, count, text]) =>
          el(
            'tr',
            { 'data-stat': label },
            el('td', {}, label),
            el('td', { 'data-count': count ?? undefined }, text),
          ),
        ),
      );
    }),
  );
}

function render() {
  if (!ui.state) return;
  const person = currentPerson();
  ui.person = person.id;
  const channel = currentChannel(person);
  $('guild-name').textContent = ui.state.guild.name;
  $('temporal-ui').href = ui.state.temporalUiUrl;
  renderPeople();
  renderChannels(person, channel);
  renderMessages(person, channel);
  renderModal(person);
  renderAgents();
  renderDesk();
  renderCases();
  renderEditing();
  // The staff's reads that are not in the pushed state: the open case's notes, and the stats (at most every 3 s).
  if (ui.caseNumber) void loadCase();
  if (Date.now() - ui.statsAt > 3000) void loadStats();
}

// ---- wiring the static controls ----

$('composer').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = $('composer-text');
  const text = input.value.trim();
  const person = currentPerson();
  const channel = currentChannel(person);
  const editing = ui.memberEditing;
  if (editing && editing.personId === person.id) {
    await post('member/edit', {
      userId: person.id,
      channelId: editing.channelId,
      messageId: editing.messageId,
      text,
    });
    ui.memberEditing = undefined;
    renderEditing();
  } else if (text.startsWith('/')) {
    await runCommand(text);
  } else {
    if (!text && ui.memberFiles.length === 0) return;
    await post('member/message', { userId: person.id, channelId: channel.id, text, files: ui.memberFiles });
  }
  input.value = '';
  ui.memberFiles = [];
  $('composer-file').value = '';
  $('composer-files').textContent = '';
});

$('composer-cancel-edit').addEventListener('click', () => {
  ui.memberEditing = undefined;
  $('composer-text').value = '';
  renderEditing();
});

$('agent-cancel-edit').addEventListener('click', () => {
  ui.agentEditing = undefined;
  $('agent-text').value = '';
  renderEditing();
});

$('locale').addEventListener('change', (e) =>
  post('member/locale', { userId: currentPerson().id, locale: e.target.value }),
);

$('composer-file').addEventListener('change', async (e) => {
  ui.memberFiles = await readFiles(e.target);
  $('composer-files').textContent = ui.memberFiles.map((f) => `[file] ${f.filename}`).join('  ');
});

$('quick-commands').addEventListener('click', (e) => {
  const command = e.target.closest('button')?.dataset.command;
  if (command) void runCommand(`/${command}`);
});

$('modal-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const person = currentPerson();
  const modal = person.modal;
  if (!modal) return;
  const fields = {};
  for (const input of $('modal-fields').querySelectorAll('[data-field]'))
    fields[input.dataset.field] = input.value;
  ui.dismissedModals.add(modal.interactionId);
  $('modal').close();
  await post('member/modal', {
    userId: person.id,
    channelId: modal.channelId,
    customId: modal.customId,
    fields,
  });
});

$('modal-cancel').addEventListener('click', () => {
  const modal = currentPerson().modal;
  if (modal) ui.dismissedModals.add(modal.interactionId);
  $('modal').close();
});

$('agent-composer').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = $('agent-text');
  const text = input.value.trim();
  if (!ui.chat || (!text && ui.agentFiles.length === 0)) return;
  const editing = ui.agentEditing;
  if (editing && editing.conversationSid === ui.chat) {
    await post('agent/edit', { ...editing, agent: ui.agent, text });
    ui.agentEditing = undefined;
    renderEditing();
    input.value = '';
    return;
  }
  await post('agent/reply', { conversationSid: ui.chat, agent: ui.agent, text, files: ui.agentFiles });
  input.value = '';
  ui.agentFiles = [];
  $('agent-file').value = '';
});

$('agent-file').addEventListener('change', async (e) => {
  ui.agentFiles = await readFiles(e.target);
});

$('transfer').addEventListener(
  'click',
  () => ui.chat && post('agent/transfer', { conversationSid: ui.chat }),
);
$('end-chat').addEventListener('click', () => ui.chat && post('agent/end', { conversationSid: ui.chat }));
$('complete').addEventListener('click', (e) => post('agent/complete', { taskSid: e.target.dataset.task }));

$('feed-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const title = $('feed-title').value.trim();
  if (!title) return;
  await post('feed/publish', { title });
  $('feed-title').value = '';
});

$('note-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const note = $('note-text').value.trim();
  if (!ui.caseNumber || !note) return;
  await post('staff/note', { caseNumber: ui.caseNumber, note });
  $('note-text').value = '';
  await loadCase();
});

$('block-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const days = $('block-days').value;
  await post('staff/block', {
    userId: $('block-user').value,
    reason: $('block-reason').value,
    ...(days ? { days: Number(days) } : {}),
  });
  $('block-reason').value = '';
  $('block-days').value = '';
});

$('stats-period').addEventListener('change', () => void loadStats());

connect();
