/** Small DOM helpers shared by the views: elements with attributes and children, in one call. */
export interface ElementProps {
  class?: string;
  text?: string;
  testid?: string;
  attrs?: Record<string, string>;
}

/** `el('p', { class: 'note', text: 'hello' })`: an element with its class, text, test id and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.testid) node.dataset.testid = props.testid;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** A view's <section>: a heading that labels it (aria-labelledby), a one-line explanation, and a body. */
export function viewSection(parent: HTMLElement, id: string, title: string, intro: string, testid: string): { section: HTMLElement; body: HTMLElement } {
  const headingId = `nabla-view-${id}`;
  const section = el('section', { class: `nv-view nv-view-${id}`, testid, attrs: { 'aria-labelledby': headingId } });
  section.append(el('h2', { text: title, attrs: { id: headingId } }), el('p', { class: 'nv-intro', text: intro }));
  const body = el('div', { class: 'nv-body' });
  section.append(body);
  parent.append(section);
  return { section, body };
}

/** A number as the views print it: 4 significant digits, plain ASCII (what the inspector's test parses). */
export function formatNumber(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return String(Number(v.toPrecision(4)));
  return v.toExponential(3);
}

/** Lets the browser paint and handle input between chunks of work (the library's unclamped yield). */
export { yieldToEventLoop as nextTask } from './lib.js';
