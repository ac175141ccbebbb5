// The local inspector page: polls the inspector's JSON API and shows the newest accepted and
// quarantined events. Plain browser JavaScript, served as is (no build step). Every value shown
// comes from clients, so it only ever reaches the page as `textContent`, never as HTML.

const POLL_MS = 1_000;
const LIMIT = 100;

const filters = document.querySelector('#filters');
const statusLine = document.querySelector('#status');
const summaryLine = document.querySelector('#summary');
const pauseButton = document.querySelector('#pause');
/** Keys of the detail boxes the user opened, so a refresh keeps them open. */
const opened = new Set();
let paused = false;
let timer;
let generation = 0;

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

function cell(text, className) {
  return element('td', text === null || text === undefined || text === '' ? '—' : String(text), className);
}

function timeOf(iso) {
  const date = new Date(iso ?? '');
  if (Number.isNaN(date.getTime())) return '—';
  const time = date.toLocaleTimeString([], { hour12: false });
  return `${time}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function detailsCell(key, label, value) {
  const details = element('details');
  details.open = opened.has(key);
  details.addEventListener('toggle', () => {
    if (details.open) opened.add(key);
    else opened.delete(key);
  });
  details.append(element('summary', label), element('pre', JSON.stringify(value, null, 2)));
  const td = element('td');
  td.append(details);
  return td;
}

function emptyRow(columns, text) {
  const row = element('tr');
  const td = element('td', text, 'empty');
  td.colSpan = columns;
  row.append(td);
  return row;
}

function eventRow(item, position) {
  const row = element('tr');
  row.dataset.rid = item.rid ?? '';
  row.append(
    cell(timeOf(item.receivedAt)),
    cell(item.appId),
    cell(item.eventType),
    cell(item.eventId, 'id'),
    cell(item.rid, 'id'),
    cell(item.source, item.source === 'fallback' ? 'fallback' : undefined),
    detailsCell(`event/${item.rid}/${item.eventId}/${position}`, 'JSON', item.event),
  );
  return row;
}

function quarantineRow(item, position) {
  const row = element('tr');
  row.dataset.rid = item.rid ?? '';
  const content =
    item.kind === 'rejected_body'
      ? { error: item.error, body: item.body, bodyBase64: item.bodyBase64, truncated: item.bodyTruncated }
      : item.event;
  row.append(
    cell(timeOf(item.receivedAt)),
    cell(item.appId),
    cell(item.kind.replace('_', ' ')),
    cell(item.eventType),
    cell(item.reasons.join('; '), 'reasons'),
    cell(item.rid, 'id'),
    detailsCell(`quarantine/${item.rid}/${item.index}/${position}`, 'JSON', content),
  );
  return row;
}

function fillList(id, values) {
  const list = document.querySelector(id);
  const sorted = [...new Set(values.filter((value) => typeof value === 'string'))].sort();
  list.replaceChildren(...sorted.map((value) => Object.assign(element('option'), { value })));
}

function plural(count, noun, nouns = `${noun}s`) {
  return `${count} ${count === 1 ? noun : nouns}`;
}

function showSummary(summary) {
  const { requests } = summary;
  summaryLine.textContent =
    `Since ${timeOf(summary.since)}: ${plural(summary.accepted, 'accepted event')} · ` +
    `${plural(summary.quarantined, 'quarantined event')} · ${plural(summary.rejectedBodies, 'rejected body', 'rejected bodies')} · ` +
    `${plural(requests.total, 'request')} (${requests.accepted} accepted, ${requests.rejected} rejected, ` +
    `${requests.failed} failed)`;
}

async function getJson(path, init = {}) {
  const response = await fetch(path, { cache: 'no-store', ...init });
  const body = await response.json();
  if (!response.ok) throw new Error(`${response.status} ${body.error}: ${body.message}`);
  return body;
}

function currentQuery() {
  const query = new URLSearchParams({ limit: String(LIMIT) });
  for (const name of ['appId', 'event_type']) {
    const value = filters.elements[name].value.trim();
    if (value !== '') query.set(name, value);
  }
  return query.toString();
}

async function refresh() {
  const mine = ++generation;
  const query = currentQuery();
  try {
    const [events, quarantine, summary, apps] = await Promise.all([
      getJson(`/_local/events?${query}`),
      getJson(`/_local/quarantine?${query}`),
      getJson('/_local/summary'),
      getJson('/_local/apps'),
    ]);
    // A slower, older answer must not overwrite a newer one (e.g. right after a filter change).
    if (mine !== generation) return;
    const eventRows = events.items.map(eventRow);
    const quarantineRows = quarantine.items.map(quarantineRow);
    document
      .querySelector('#events tbody')
      .replaceChildren(...(eventRows.length > 0 ? eventRows : [emptyRow(7, 'No accepted events yet.')]));
    document
      .querySelector('#quarantine tbody')
      .replaceChildren(
        ...(quarantineRows.length > 0 ? quarantineRows : [emptyRow(7, 'Nothing quarantined.')]),
      );
    showSummary(summary);
    fillList('#app-ids', [...apps.apps, ...events.items.map((item) => item.appId)]);
    fillList(
      '#event-types',
      [...events.items, ...quarantine.items].map((item) => item.eventType),
    );
    statusLine.textContent = paused ? 'Paused' : `Live · updated ${timeOf(new Date().toISOString())}`;
    statusLine.className = '';
  } catch (error) {
    if (mine !== generation) return;
    statusLine.textContent = `Cannot refresh: ${error instanceof Error ? error.message : String(error)}`;
    statusLine.className = 'error';
  }
}

function schedule() {
  clearTimeout(timer);
  if (!paused) timer = setTimeout(() => refresh().finally(schedule), POLL_MS);
}

filters.addEventListener('submit', (event) => event.preventDefault());
filters.addEventListener('input', () => {
  refresh().finally(schedule);
});
pauseButton.addEventListener('click', () => {
  paused = !paused;
  pauseButton.textContent = paused ? 'Resume' : 'Pause';
  if (paused) {
    clearTimeout(timer);
    statusLine.textContent = 'Paused';
  } else refresh().finally(schedule);
});
document.querySelector('#reset').addEventListener('click', async () => {
  try {
    await getJson('/_local/reset', { method: 'POST' });
  } finally {
    opened.clear();
    refresh().finally(schedule);
  }
});

refresh().finally(schedule);
