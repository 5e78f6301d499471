// A minimal XML element tree and its deterministic serialization: the writers build a tree,
// elements without content vanish, and the same tree always gives the same bytes.

export interface XmlElement {
  name: string;
  attributes: [string, string][];
  children: XmlElement[];
  text?: string;
}

/** What a group takes: elements, nothing (dropped), or nested lists of them. */
export type XmlChild = XmlElement | undefined | false | readonly XmlChild[];

function flatten(children: readonly XmlChild[]): XmlElement[] {
  return children.flatMap((child) =>
    Array.isArray(child) ? flatten(child) : child ? [child as XmlElement] : [],
  );
}

/** An element with children; undefined when it has no child left (so optional groups vanish). */
export function group(
  name: string,
  children: readonly XmlChild[],
  attributes: Record<string, string | undefined> = {},
): XmlElement | undefined {
  const kept = flatten(children);
  if (kept.length === 0) return undefined;
  return { name, attributes: definedAttributes(attributes), children: kept };
}

/** A leaf element with text; undefined when the text is undefined or empty. */
export function leaf(
  name: string,
  text: string | undefined,
  attributes: Record<string, string | undefined> = {},
): XmlElement | undefined {
  if (text === undefined || text === '') return undefined;
  return { name, attributes: definedAttributes(attributes), children: [], text };
}

function definedAttributes(attributes: Record<string, string | undefined>): [string, string][] {
  return Object.entries(attributes).filter((entry): entry is [string, string] => !!entry[1]);
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

function render(element: XmlElement, indent: string, out: string[]): void {
  const attributes = element.attributes
    .map(([key, value]) => ` ${key}="${escapeAttribute(value)}"`)
    .join('');
  if (element.children.length === 0) {
    out.push(
      `${indent}<${element.name}${attributes}>${escapeText(element.text ?? '')}</${element.name}>`,
    );
    return;
  }
  out.push(`${indent}<${element.name}${attributes}>`);
  for (const child of element.children) render(child, `${indent}  `, out);
  out.push(`${indent}</${element.name}>`);
}

/** The UTF-8 document text of a root element, two-space indented, ending in a newline. */
export function serializeXml(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  render(root, '', out);
  return `${out.join('\n')}\n`;
}
