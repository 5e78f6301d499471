import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readFailure, type ReadOutcome } from './invoice-read-error.js';
import type { XmlNode } from './xml-node.js';

// The only way Kontor parses untrusted XML: size-bounded, no DTD at all (so no entity
// expansion, no external entities), bounded nesting, node count and attribute length.

export const xmlLimits = {
  /** Bytes of one XML document (an XRechnung with 1,000 lines is about 2 MiB). */
  xmlBytesMax: 10 * 1024 * 1024,
  /** Element nesting depth (UBL and CII invoices nest about 10 deep). */
  xmlDepthMax: 64,
  /** Start tags, comments and processing instructions in one document. */
  xmlNodesMax: 200_000,
  /** Characters of one attribute value. */
  xmlAttributeLengthMax: 4_096,
} as const;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  alwaysCreateTextNode: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  // No DOCTYPE ever reaches the parser, so only the five XML entities and character references
  // remain; htmlEntities makes the parser decode the numeric references (&#228;).
  processEntities: true,
  htmlEntities: true,
  // fast-xml-parser allows one level more than maxNestedTags (its stack holds the document).
  maxNestedTags: xmlLimits.xmlDepthMax - 1,
});

export interface ParsedXml {
  /** Local name of the root element (namespace prefix removed). */
  rootName: string;
  root: XmlNode;
  /** The document text as read (UTF-8, BOM removed). */
  text: string;
}

function attributeTooLong(node: XmlNode): boolean {
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@')) {
      if (typeof value === 'string' && value.length > xmlLimits.xmlAttributeLengthMax) return true;
    } else if (Array.isArray(value)) {
      if (value.some((child) => typeof child === 'object' && attributeTooLong(child as XmlNode)))
        return true;
    }
  }
  return false;
}

function preflight(text: string): ReturnType<typeof readFailure> | undefined {
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    return readFailure(
      'xml-limit-exceeded',
      'the document has a DOCTYPE or entity declaration; invoices need none and Kontor refuses them (entity expansion)',
      'doctype',
    );
  let nodes = 0;
  for (let at = text.indexOf('<'); at >= 0; at = text.indexOf('<', at + 1)) {
    if (text[at + 1] !== '/' && ++nodes > xmlLimits.xmlNodesMax)
      return readFailure(
        'xml-limit-exceeded',
        `more than xmlNodesMax = ${xmlLimits.xmlNodesMax} nodes`,
        'xmlNodesMax',
      );
  }
  return undefined;
}

/** Parses untrusted XML within xmlLimits; never throws. */
export function parseXmlSafely(input: Uint8Array | string): ReadOutcome<ParsedXml> {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > xmlLimits.xmlBytesMax)
    return readFailure(
      'too-large',
      `${size} bytes, more than xmlBytesMax = ${xmlLimits.xmlBytesMax}`,
      'xmlBytesMax',
    );
  const text = (typeof input === 'string' ? input : Buffer.from(input).toString('utf8')).replace(
    /^\uFEFF/,
    '',
  );
  const refused = preflight(text);
  if (refused) return refused;
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    return readFailure('not-xml', `not well-formed XML (line ${valid.err.line}): ${valid.err.msg}`);
  let document: XmlNode;
  try {
    document = parser.parse(text) as XmlNode;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/nested/i.test(message))
      return readFailure(
        'xml-limit-exceeded',
        `elements nest deeper than xmlDepthMax = ${xmlLimits.xmlDepthMax}`,
        'xmlDepthMax',
      );
    return readFailure('not-xml', `not readable XML: ${message}`);
  }
  const rootName = Object.keys(document).find(
    (key) => !key.startsWith('#') && !key.startsWith('?'),
  );
  const root = rootName ? (document[rootName] as XmlNode[] | undefined)?.[0] : undefined;
  if (!rootName || !root) return readFailure('not-xml', 'the document has no root element');
  if (attributeTooLong(root))
    return readFailure(
      'xml-limit-exceeded',
      `an attribute value is longer than xmlAttributeLengthMax = ${xmlLimits.xmlAttributeLengthMax}`,
      'xmlAttributeLengthMax',
    );
  return { ok: true, value: { rootName, root, text } };
}
