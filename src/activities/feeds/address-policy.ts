import dns from 'node:dns';
import type net from 'node:net';
import ipaddr from 'ipaddr.js';

/** A range the operator allows feeds on although it is not public unicast (an intranet feed, a test server). */
export type AddressRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Parses `FEED_ALLOWED_PRIVATE_RANGES` entries: CIDR ranges (`10.20.0.0/16`, `fd00::/8`) or single addresses.
 * Throws on anything else, so a typo fails at start instead of silently allowing nothing (or everything).
 */
export function parseAddressRanges(entries: readonly string[]): AddressRange[] {
  return entries.map((entry) => {
    if (entry.includes('/')) return ipaddr.parseCIDR(entry);
    const address = ipaddr.process(entry);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  });
}

export function isAddressRange(entry: string): boolean {
  return entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry);
}

/**
 * Why a feed may not be fetched from `address`, or undefined when it may. Only public unicast addresses are fetched
 * by default: loopback, RFC 1918, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, unique-local,
 * multicast, reserved, and the IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4, Teredo) are refused
 * unless an allowed range contains them. ipaddr.js keeps the IANA special-purpose registry; we only choose which
 * of its classes count as public.
 */
export function addressRefusal(address: string, allowed: readonly AddressRange[]): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it reaches.
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  if (allowed.some(([base, bits]) => base.kind() === parsed.kind() && parsed.match(base, bits)))
    return undefined;
  return `${parsed.toString()} is a ${range} address (set FEED_ALLOWED_PRIVATE_RANGES to allow it)`;
}

/** A refused address, raised where the connection would be made (before any byte is sent). */
export class AddressRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AddressRefusedError';
  }
}

/**
 * A `lookup` for the HTTP agent: resolves like `dns.lookup` and keeps only allowed addresses, so the socket connects
 * to the very address that was checked (a name that resolves differently a moment later, DNS rebinding, gains
 * nothing). IP literals never reach a lookup; the reader checks those itself.
 */
export function guardedLookup(allowed: readonly AddressRange[]): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) {
        callback(err, '', 0);
        return;
      }
      const usable = addresses.filter((a) => !addressRefusal(a.address, allowed));
      if (usable.length === 0) {
        const reason = addresses[0] ? addressRefusal(addresses[0].address, allowed) : 'no address';
        callback(new AddressRefusedError(`${hostname} resolves to ${reason}`), '', 0);
        return;
      }
      if (options.all) callback(null, usable);
      else callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}
