// A tiny typed DOM builder. Every string child becomes a text node, so user-typed text is
// never parsed as markup. There is deliberately no way to set raw markup here.

export type Child = Node | string | number | null | undefined | false | Child[];

type EventMap = HTMLElementEventMap;
type Handlers = { [K in keyof EventMap as `on${Capitalize<K & string>}`]?: (ev: EventMap[K]) => void };

export interface Props extends Handlers {
  /** The stable `data-testid` end-to-end tests address. */
  testid?: string;
  class?: string | (string | false | null | undefined)[];
  /** Other `data-*` attributes, without the prefix. */
  data?: Record<string, string | number>;
  /** Plain attributes (aria-*, role, type, name, for, tabindex, placeholder …). */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  /** DOM properties set directly (value, checked, disabled, draggable …). */
  props?: Record<string, unknown>;
  style?: Partial<CSSStyleDeclaration>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) applyProps(el, props);
  append(el, ...children);
  return el;
}

function applyProps(el: HTMLElement, props: Props): void {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'testid') {
      el.dataset['testid'] = String(value);
    } else if (key === 'class') {
      const cls = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
      if (cls) el.className = cls;
    } else if (key === 'data') {
      for (const [k, v] of Object.entries(value as Record<string, string | number>)) el.dataset[k] = String(v);
    } else if (key === 'attrs') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined || v === null || v === false) continue;
        el.setAttribute(k, v === true ? '' : String(v));
      }
    } else if (key === 'props') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        (el as unknown as Record<string, unknown>)[k] = v;
      }
    } else if (key === 'style') {
      Object.assign(el.style, value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    }
  }
}

export function append(el: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, ...child);
    else if (typeof child === 'string' || typeof child === 'number') el.appendChild(document.createTextNode(String(child)));
    else el.appendChild(child);
  }
}

/** Replaces all children of `el`. */
export function replace(el: Node, ...children: Child[]): void {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, ...children);
}

export function text(value: string): Text {
  return document.createTextNode(value);
}

/** Local date and time of an ISO/RFC 3339 stamp (or the raw text when it cannot be read). */
export function formatDateTime(stamp: string): string {
  const date = new Date(stamp);
  if (Number.isNaN(date.getTime())) return stamp;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Finds the element with this test id (and optional data-* match) inside `root`. */
export function byTestId<T extends HTMLElement = HTMLElement>(root: ParentNode, testid: string): T | null {
  return root.querySelector<T>(`[data-testid="${testid}"]`);
}

export function isTextEntry(target: EventTarget | null): target is HTMLInputElement | HTMLTextAreaElement {
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'range', 'color'].includes(target.type);
  }
  return target instanceof HTMLElement && target.isContentEditable;
}

/** A drop-down list; `onChange` gets the value chosen. */
export function selectInput(testid: string, label: string, onChange: (value: string) => void, ...options: Child[]): HTMLSelectElement {
  const select = h('select', { testid, class: 'input', attrs: { 'aria-label': label }, onChange: () => onChange(select.value) }, ...options);
  return select;
}

/** A view's root: its test id (`view-NAME`) is its class too, `label` its accessible name. */
export function viewRoot(testid: string, label: string, ...children: Child[]): HTMLElement {
  return h('section', { class: `view ${testid}`, testid, attrs: { 'aria-label': label } }, ...children);
}

/** A form that runs `submit` when it is sent, instead of reloading the page. */
export function submitForm(props: Props, submit: () => void, ...children: Child[]): HTMLFormElement {
  const onSubmit = (ev: SubmitEvent) => {
    ev.preventDefault();
    submit();
  };
  return h('form', { ...props, onSubmit }, ...children);
}

/** What a one-line rename field does with the text: saved on Enter or when the field is left
 * while still being edited, dropped on Escape. */
export interface EditField {
  testid: string;
  value: string;
  label: string;
  save: (value: string) => void;
  cancel: () => void;
  stillEditing: () => boolean;
}

export function editField(opts: EditField): HTMLInputElement {
  const input = h('input', {
    testid: opts.testid,
    class: 'input',
    props: { value: opts.value },
    attrs: { type: 'text', 'aria-label': opts.label },
    onKeydown: (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        opts.save(input.value);
      } else if (ev.key === 'Escape') {
        ev.preventDefault();
        opts.cancel();
      }
    },
    onBlur: () => {
      if (opts.stillEditing()) opts.save(input.value);
    },
  });
  return input;
}

/** A label wrapping a control, with visible text. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, hint ? h('span', { class: 'field-hint' }, hint) : null);
}

export function button(label: Child, testid: string, onClick: (ev: MouseEvent) => void, opts: { kind?: 'primary' | 'danger' | 'ghost' | 'small'; title?: string; disabled?: boolean; data?: Record<string, string | number> } = {}): HTMLButtonElement {
  return h(
    'button',
    {
      testid,
      class: ['btn', opts.kind ? `btn-${opts.kind}` : null],
      attrs: { type: 'button', title: opts.title, 'aria-label': opts.title && typeof label !== 'string' ? opts.title : undefined },
      props: { disabled: Boolean(opts.disabled) },
      data: opts.data,
      onClick,
    },
    label,
  );
}

// ---------------------------------------------------------------------------------------
// In-app modal dialogs (WebDriver handles window.confirm poorly).

export interface ConfirmOptions {
  title: string;
  message: string;
  confirmLabel?: string;
  danger?: boolean;
}

/** Shows a modal confirmation dialog; resolves true when confirmed. */
export function confirmDialog(opts: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const titleId = `dlg-title-${Math.random().toString(36).slice(2)}`;
    const close = (result: boolean) => {
      overlay.remove();
      document.removeEventListener('keydown', onKey, true);
      if (previous && previous.isConnected) previous.focus();
      resolve(result);
    };
    const ok = button(opts.confirmLabel ?? 'OK', 'confirm-ok', () => close(true), { kind: opts.danger ? 'danger' : 'primary' });
    const cancel = button('Cancel', 'confirm-cancel', () => close(false));
    const dialog = h(
      'div',
      { class: 'dialog', testid: 'confirm-dialog', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId } },
      h('h2', { class: 'dialog-title', attrs: { id: titleId } }, opts.title),
      h('p', { class: 'dialog-message', testid: 'confirm-message' }, opts.message),
      h('div', { class: 'dialog-actions' }, cancel, ok),
    );
    const overlay = h('div', { class: 'overlay', onMousedown: (ev) => { if (ev.target === overlay) close(false); } }, dialog);
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key === 'Escape') {
        ev.preventDefault();
        ev.stopPropagation();
        close(false);
      } else if (ev.key === 'Tab') {
        // Keep focus inside the dialog.
        const items = [cancel, ok];
        const index = items.indexOf(document.activeElement as HTMLButtonElement);
        ev.preventDefault();
        const next = ev.shiftKey ? (index <= 0 ? items.length - 1 : index - 1) : (index + 1) % items.length;
        items[next]?.focus();
      } else if (ev.ctrlKey || ev.metaKey) {
        // No app shortcuts while a dialog is open.
        ev.stopPropagation();
      }
    };
    document.addEventListener('keydown', onKey, true);
    document.body.appendChild(overlay);
    (opts.danger ? cancel : ok).focus();
  });
}
