// The unit picker's combobox (the ARIA 1.2 combobox pattern, with a listbox popup). The server
// renders a text field holding the chosen unit's "Name (CODE)" and a hidden field with its id
// (views/partials/unit-picker.hbs); the form works without this script, the server resolving what
// is typed (server/units/picker.ts). This script asks GET /units/search as one types (debounced),
// lists name, state's code, parent and whether the unit has ended, and puts the chosen unit's label
// and id into the two fields. Every text it shows comes from the page (data-label-*) or the server:
// none is written here. Loaded as a file from /assets (the Content-Security-Policy allows no inline script).
const DEBOUNCE_MS = 250;
const MAX_QUERY = 100;

for (const root of document.querySelectorAll('[data-unit-picker]')) enhance(root);

/** @param {HTMLElement} root */
function enhance(root) {
  const input = /** @type {HTMLInputElement | null} */ (root.querySelector('[data-unit-text]'));
  const hidden = /** @type {HTMLInputElement | null} */ (root.querySelector('[data-unit-id]'));
  if (!input || !hidden) return;
  const labels = root.dataset;
  const listId = `${input.id}-listbox`;

  const box = document.createElement('div');
  box.className = 'unit-picker__box';
  input.before(box);
  box.append(input);
  const list = document.createElement('ul');
  list.id = listId;
  list.className = 'unit-picker__list';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', labels.labelList ?? '');
  list.hidden = true;
  const note = document.createElement('p');
  note.className = 'unit-picker__note';
  note.hidden = true;
  const status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  box.append(list, note, status);

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listId);

  /** @type {Array<{id: number, label: string, name: string, code: string, officialCode: string | null, kindName: string, parentName: string | null, ended: boolean, endedText: string | null}>} */
  let items = [];
  let active = -1;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {AbortController | undefined} */
  let pending;

  input.addEventListener('input', () => {
    hidden.value = ''; // the text is no longer the chosen unit's label: the server resolves it unless one is chosen
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) {
      pending?.abort();
      close();
      note.hidden = true;
      return;
    }
    timer = setTimeout(() => search(q), DEBOUNCE_MS);
  });

  input.addEventListener('keydown', (event) => {
    if (event.isComposing) return; // a Vietnamese input method composing a letter
    const open = !list.hidden;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (open) move(active + 1);
        else if (items.length) show(0);
        else if (input.value.trim()) search(input.value.trim(), 0);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (open) move(active <= 0 ? items.length - 1 : active - 1);
        else if (items.length) show(items.length - 1);
        break;
      case 'Enter':
        if (open && active >= 0) {
          event.preventDefault(); // choose, do not submit
          choose(active);
        }
        break;
      case 'Escape':
        if (open || !note.hidden) {
          event.preventDefault();
          close();
          note.hidden = true;
        }
        break;
      case 'Tab':
        close();
        break;
      default:
    }
  });

  input.addEventListener('blur', () => {
    close();
    note.hidden = true;
  });
  list.addEventListener('mousedown', (event) => event.preventDefault()); // keep the focus in the field
  list.addEventListener('click', (event) => {
    const option = /** @type {HTMLElement | null} */ (event.target instanceof Element ? event.target.closest('[role="option"]') : null);
    if (option) choose(Number(option.dataset.index));
  });

  /** @param {string} q @param {number} [then] the option to make active once the answer is shown */
  async function search(q, then = -1) {
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    const url = `${root.dataset.searchUrl}&q=${encodeURIComponent(q.slice(0, MAX_QUERY))}`;
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal: controller.signal });
      // A lapsed session answers with the login page, not JSON.
      if (!response.ok || !(response.headers.get('content-type') ?? '').includes('application/json')) throw new Error(String(response.status));
      const answer = await response.json();
      if (controller.signal.aborted || input.value.trim() !== q) return;
      items = answer.items;
      render(Boolean(answer.more));
      if (items.length) show(then);
      else close();
    } catch {
      if (controller.signal.aborted) return;
      items = [];
      close();
      say(labels.labelFailed ?? '', labels.labelFailed ?? '');
    }
  }

  /** @param {boolean} more */
  function render(more) {
    list.replaceChildren(
      ...items.map((item, index) => {
        const option = document.createElement('li');
        option.id = `${listId}-${index}`;
        option.dataset.index = String(index);
        option.dataset.unitId = String(item.id);
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', 'false');
        const name = document.createElement('span');
        name.className = 'unit-picker__name';
        name.textContent = item.name;
        const meta = document.createElement('span');
        meta.className = 'unit-picker__meta';
        const code = (labels.labelCode ?? '{code}').replace('{code}', item.officialCode ?? item.code);
        meta.textContent = [code, item.parentName, item.kindName].filter(Boolean).join(' · ');
        option.append(name, meta);
        if (item.ended && item.endedText) {
          const ended = document.createElement('span');
          ended.className = 'badge badge--ended';
          ended.textContent = item.endedText;
          option.append(ended);
        }
        return option;
      }),
    );
    const moreText = more ? labels.labelMore ?? '' : '';
    if (!items.length) say(labels.labelNone ?? '', labels.labelNone ?? '');
    else say(`${(labels.labelResults ?? '').replace(/\{count:([^{}|]*)\|([^{}]*)\}/, (_, one, other) => (items.length === 1 ? one : other)).replace('{count}', String(items.length))} ${moreText}`.trim(), moreText);
  }

  /** Announces `spoken` to a screen reader and shows `shown` under the field (nothing when empty). @param {string} spoken @param {string} shown */
  function say(spoken, shown) {
    status.textContent = spoken;
    note.textContent = shown;
    note.hidden = !shown;
  }

  /** Opens the list with the option at `index` active, or none for -1. @param {number} index */
  function show(index) {
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    if (index >= 0) move(index);
    else mark(-1);
  }

  /** Makes the option at `index` active, wrapping around past either end. @param {number} index */
  function move(index) {
    mark(items.length ? (index + items.length) % items.length : -1);
  }

  /** @param {number} index */
  function mark(index) {
    active = index;
    for (const option of list.children) option.setAttribute('aria-selected', String(Number(/** @type {HTMLElement} */ (option).dataset.index) === active));
    const current = active >= 0 ? list.children[active] : undefined;
    if (current) {
      input.setAttribute('aria-activedescendant', current.id);
      current.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  /** @param {number} index */
  function choose(index) {
    const item = items[index];
    if (!item) return;
    input.value = item.label;
    hidden.value = String(item.id);
    close();
    note.hidden = true;
  }
}
