import { isIP } from 'node:net';

/**
 * Small, dependency-free IP helpers for the client-IP policy. Node can validate addresses
 * (`isIP`) but has no canonical formatter, and anonymised addresses land in the archive where
 * analysts group by them, so one address must always be written one way (RFC 5952).
 */

/**
 * Reads one address as it appears in an X-Forwarded-For entry or a request context: trims it,
 * strips an IPv4 `:port` and IPv6 brackets (with or without `:port`), and validates it.
 * Returns null for anything that is not an IP literal (`unknown`, RFC 7239 obfuscated names, junk).
 */
export function parseIpLiteral(raw: string): string | null {
  let candidate = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(candidate);
  if (bracketed?.[1] !== undefined) {
    candidate = bracketed[1];
  } else {
    // Only an IPv4 address can carry an unbracketed port: in IPv6 the colons are the address.
    const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(candidate);
    if (v4WithPort?.[1] !== undefined) candidate = v4WithPort[1];
  }
  // A zone index belongs to the sender's interfaces, not to the address (and is unbounded text).
  const address = candidate.split('%')[0] ?? '';
  return isIP(address) === 0 ? null : address;
}

function parseIpv4(address: string): number[] | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  const octets = parts.map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : Number.NaN));
  return octets.every((octet) => octet >= 0 && octet <= 255) ? octets : null;
}

/** Parses a valid IPv6 literal (as accepted by `isIP`) into its eight 16-bit groups. */
function parseIpv6(address: string): number[] | null {
  // A zone index (`fe80::1%eth0`) names a local interface; it is not part of the address.
  let text = address.split('%')[0] ?? '';
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    const octets = parseIpv4(maybeV4);
    if (octets === null) return null;
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    tail.push((a << 8) | b, (c << 8) | d);
    // Keep the text before the dotted quad; a lone trailing `:` separated it, `::` is a real gap.
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const toGroups = (part: string | undefined): number[] =>
    part === undefined || part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const head = toGroups(halves[0]);
  const rest = toGroups(halves[1]);
  const explicit = head.length + rest.length + tail.length;
  if (halves.length === 1) {
    const groups = [...head, ...tail];
    return groups.length === 8 ? groups : null;
  }
  if (explicit > 7) return null;
  return [...head, ...new Array<number>(8 - explicit).fill(0), ...rest, ...tail];
}

/** RFC 5952 text form: lower-case hex, no leading zeros, the first longest run (≥ 2) of zero groups as `::`. */
function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < groups.length; ) {
    if (groups[start] !== 0) {
      start += 1;
      continue;
    }
    let end = start;
    while (end < groups.length && groups[end] === 0) end += 1;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), else null. */
function mappedIpv4(groups: readonly number[]): number[] | null {
  const isMapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (!isMapped) return null;
  const high = groups[6] ?? 0;
  const low = groups[7] ?? 0;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff];
}

/**
 * Truncates an address so it no longer identifies a host: IPv4 keeps its /24 (last octet 0),
 * IPv6 keeps its /48 (the site prefix) in canonical compressed form. An IPv4-mapped IPv6 address
 * is an IPv4 client seen through a dual-stack socket, so it is truncated (and written) as IPv4.
 */
export function truncateIp(address: string): string | null {
  const family = isIP(address.split('%')[0] ?? '');
  if (family === 4) {
    const octets = parseIpv4(address);
    return octets === null ? null : `${octets[0]}.${octets[1]}.${octets[2]}.0`;
  }
  if (family !== 6) return null;
  const groups = parseIpv6(address);
  if (groups === null) return null;
  const v4 = mappedIpv4(groups);
  if (v4 !== null) return `${v4[0]}.${v4[1]}.${v4[2]}.0`;
  return formatIpv6([...groups.slice(0, 3), 0, 0, 0, 0, 0]);
}
