/** One generated hostile request to a write endpoint: its path, headers, body and key. */
import fc from 'fast-check';
import {
  hostileHeaderValue,
  hostileString,
  hostileValue,
  hostileVariant,
  malformedJson,
  pathLike,
  sqlLike,
  wrongContentTypes,
} from './hostile.js';
import { EndpointSpec, Fixtures } from './hostile-fields.js';

/** Sent as they are: broken or sneaky percent-encoding. */
const rawPathSegments = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%2e%2e',
  '%2F',
  '%00',
  '%C0%AE%C0%AE',
  '%ff',
  '..;',
  '%5C..%5C',
];

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a client library would send it). */
function encodePathSegment(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

export interface HostileRequest {
  path: string;
  contentType?: string;
  headers: Record<string, string>;
  /** JSON text, raw text, or nothing. */
  body?: string;
  key: 'admin' | 'none' | 'hostile';
}

export function requestArbitrary(
  method: string,
  route: string,
  spec: EndpointSpec,
  fixtures: Fixtures,
): fc.Arbitrary<HostileRequest> {
  const paramNames = [...route.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const good = spec.params(fixtures);
  const paramArbitraries = Object.fromEntries(
    paramNames.map((name) => {
      const values = good[name] ?? [];
      const hostile = fc.oneof(
        hostileString.map(encodePathSegment),
        fc.constantFrom(...sqlLike, ...pathLike).map(encodePathSegment),
        fc.constantFrom(...rawPathSegments),
      );
      if (values.length === 0) return [name, hostile];
      return [
        name,
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...values.map(encodePathSegment)) },
          { weight: 1, arbitrary: hostile },
        ),
      ];
    }),
  );
  const sample = spec.body?.(fixtures);
  const bodies: fc.Arbitrary<string | undefined>[] = [
    malformedJson,
    hostileValue.map((value) => JSON.stringify(value)),
    fc.constant(undefined),
  ];
  if (sample) {
    bodies.push(
      sample.map((value) => JSON.stringify(value)),
      sample
        .chain((value) => hostileVariant(value))
        .map((value) => (value === undefined ? undefined : JSON.stringify(value))),
      sample
        .chain((value) => hostileVariant(value))
        .map((value) => (value === undefined ? undefined : JSON.stringify(value))),
    );
  } else {
    bodies.push(fc.constant(undefined), fc.constant('{}'));
  }
  const extraHeaders = Object.entries(spec.headers ?? {});
  return fc
    .record({
      params: fc.record(paramArbitraries),
      body: fc.oneof(...bodies),
      contentType: fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/json') },
        { weight: 1, arbitrary: fc.constantFrom(...wrongContentTypes) },
      ),
      headers: fc.record(Object.fromEntries(extraHeaders), { requiredKeys: [] }),
      correlationId: fc.option(hostileHeaderValue, { nil: undefined }),
      key: fc.oneof(
        { weight: 12, arbitrary: fc.constant('admin' as const) },
        fc.constant('none' as const),
        fc.constant('hostile' as const),
      ),
    })
    .map(({ params, body, contentType, headers, correlationId, key }) => {
      const path = route.replace(/\{(\w+)\}/g, (_match, name: string) => params[name] as string);
      return {
        path,
        ...(body === undefined ? {} : { body, contentType }),
        headers: {
          ...(headers as Record<string, string>),
          ...(correlationId === undefined ? {} : { 'x-correlation-id': correlationId }),
        },
        key,
      };
    })
    .map((request) => ({ ...request, method }) as HostileRequest & { method: string });
}
