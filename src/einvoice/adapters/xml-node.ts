// Access to the tree fast-xml-parser gives (safe-xml.ts options): every element is an array of
// objects, text under '#text', attributes under '@name', namespace prefixes removed.

export type XmlNode = { [key: string]: unknown };

/** All child elements named `name`. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

/** The first element along a path of child names. */
export function child(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let current = node;
  for (const name of path) current = children(current, name)[0];
  return current;
}

/** The text of the element along a path; undefined when absent or empty. */
export function text(node: XmlNode | undefined, ...path: string[]): string | undefined {
  const value = child(node, ...path)?.['#text'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An attribute of the element along a path. */
export function attribute(
  node: XmlNode | undefined,
  name: string,
  ...path: string[]
): string | undefined {
  const value = child(node, ...path)?.[`@${name}`];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
