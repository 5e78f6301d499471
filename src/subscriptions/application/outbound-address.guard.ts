import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent } from 'undici';

/**
 * SSRF guard for webhook URLs: loopback, private, link-local (cloud metadata at 169.254.169.254),
 * CGNAT, multicast, unspecified and documentation ranges are refused unless
 * KONTOR_WEBHOOK_ALLOW_PRIVATE=true. Checked when a webhook is registered AND on every
 * connection, on the address actually connected to (a DNS answer that changes between the two —
 * rebinding — is caught).
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

const ipv4MappedPattern = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

export function isPrivateAddress(address: string): boolean {
  const mapped = ipv4MappedPattern.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      `${host} resolves to ${address}, a private or loopback address (set KONTOR_WEBHOOK_ALLOW_PRIVATE=true to allow)`,
    );
  }
}

function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });
}

/**
 * At registration: an address literal or a name that resolves to a private address is refused.
 * A name that does not resolve (yet) is accepted: delivery checks again and retries.
 */
export async function checkWebhookTarget(
  url: string,
  allowPrivate: boolean,
): Promise<PrivateAddressError | undefined> {
  if (allowPrivate) return undefined;
  const host = hostOf(new URL(url));
  if (host.toLowerCase() === 'localhost' || host.toLowerCase().endsWith('.localhost'))
    return new PrivateAddressError(host, '127.0.0.1');
  if (isIP(host) !== 0)
    return isPrivateAddress(host) ? new PrivateAddressError(host, host) : undefined;
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(host);
  } catch {
    return undefined;
  }
  const bad = addresses.find((entry) => isPrivateAddress(entry.address));
  return bad ? new PrivateAddressError(host, bad.address) : undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for net.connect that refuses private answers: the check sits on the connection itself. */
function guardedLookup(
  hostname: string,
  options: { all?: boolean },
  callback: LookupCallback,
): void {
  dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const bad = addresses.find((entry) => isPrivateAddress(entry.address));
    if (bad) return callback(new PrivateAddressError(hostname, bad.address), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
}

export interface OutboundAgentOptions {
  allowPrivate: boolean;
  connectTimeoutMilliseconds: number;
}

/**
 * The HTTP agent webhook deliveries go through. Address literals skip DNS in net.connect, so
 * they are checked before connecting too (`assertTargetAllowed`).
 */
export function createOutboundAgent(options: OutboundAgentOptions): Agent {
  return new Agent({
    connect: {
      timeout: options.connectTimeoutMilliseconds,
      ...(options.allowPrivate ? {} : { lookup: guardedLookup as never }),
    },
    keepAliveTimeout: 10_000,
  });
}

/** For URLs whose host is an address literal (no DNS lookup happens for those). */
export function assertTargetAllowed(url: string, allowPrivate: boolean): void {
  if (allowPrivate) return;
  const host = hostOf(new URL(url));
  if (isIP(host) !== 0 && isPrivateAddress(host)) throw new PrivateAddressError(host, host);
  if (host.toLowerCase() === 'localhost') throw new PrivateAddressError(host, '127.0.0.1');
}
