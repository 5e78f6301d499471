// Builds DOM nodes from data with createElement and textContent only: no markup is ever parsed
// from data (no innerHTML), so nothing a record holds can become script.

/**
 * h('button', { type: 'button', onClick: fn, 'aria-label': 'x' }, 'text', otherNode)
 * Attributes starting with "on" become listeners; false/null/undefined attributes are left out;
 * children are nodes or strings (as text), arrays are flattened, null/false skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'value' && 'value' in element) {
      element.value = String(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content with the given children. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let idCounter = 0;
/** A fresh id for label/aria wiring. */
export function uid(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled input: returns { row, input }. */
export function field(label, attributes = {}, hint) {
  const id = attributes.id ?? uid('f');
  const input = h(attributes.tag ?? 'input', { ...attributes, tag: undefined, id });
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  const row = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('small', { id: hintId, class: 'hint' }, hint) : null,
  );
  return { row, input };
}

/** A form of field() rows and one submit button (the report and filter forms' layout). */
export function fieldsForm(attributes, rows, submitLabel) {
  return h(
    'form',
    { class: 'card filters', ...attributes },
    h('div', { class: 'field-grid' }, rows),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, submitLabel)),
  );
}

const svgNamespace = 'http://www.w3.org/2000/svg';

/** Like h(), for SVG elements (charts): attributes set as given, children appended. */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/** Offers a downloaded answer (an export, a PDF) as a file to save. */
export function saveFile(blob, fileName) {
  const link = h('a', { href: URL.createObjectURL(blob), download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}
