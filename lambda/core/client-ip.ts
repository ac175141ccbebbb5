import { parseIpLiteral, truncateIp } from './ip-address';
import type { HttpRequest } from './ports';

export type IpPolicy = 'first-forwarded' | 'trusted-hop';
export type IpAnonymization = 'keep' | 'truncate' | 'drop';

function forwardedFor(request: HttpRequest): string[] {
  const header = request.headers['x-forwarded-for'];
  if (header === undefined) return [];
  // Repeated headers arrive joined with ", ", so one split handles both forms.
  return header.split(',').map((entry) => entry.trim());
}

function sourceIp(request: HttpRequest): string | null {
  return request.sourceIp === null ? null : parseIpLiteral(request.sourceIp);
}

/**
 * 'first-forwarded' honours the Clickstream API document, which asks servers that relay client
 * requests to set X-Forwarded-For: the first entry is the original client. Anyone can forge it,
 * which is why 'trusted-hop' exists.
 */
function firstForwarded(request: HttpRequest): string | null {
  // An entry that is no address (`unknown`, an obfuscated RFC 7239 name, junk) is skipped: the next
  // one is the nearest real address to the client, and behind an ALB there is no source IP to use.
  for (const entry of forwardedFor(request)) {
    const parsed = parseIpLiteral(entry);
    if (parsed !== null) return parsed;
  }
  return sourceIp(request);
}

/**
 * 'trusted-hop' believes only what our own edge saw. An ALB (X-Forwarded-For processing mode
 * "append", its default) appends the TCP peer as the LAST entry, and Lambda gets no other view of
 * the peer; everything before it came from the client. API Gateway and function URLs put the peer
 * in the request context (`sourceIp`), so X-Forwarded-For is ignored altogether there.
 */
function trustedHop(request: HttpRequest): string | null {
  if (request.endpoint === 'alb') {
    const last = forwardedFor(request).at(-1);
    const parsed = last === undefined ? null : parseIpLiteral(last);
    return parsed ?? sourceIp(request);
  }
  return sourceIp(request);
}

/** What the record's `ip` holds when no address is known or the policy drops it. */
const NO_IP = '';

/**
 * The client IP to write into the record's `ip` field, already anonymised as configured. Always a
 * string, `NO_IP` when no address is known or the policy drops it: the downstream IP enrichment
 * looks addresses up in a cache that fails on null. An address is at most 45 characters (the
 * longest IPv6 text form); a zone index (`fe80::1%eth0`) names an interface of the sender, not an
 * address, and is never written.
 */
export function resolveClientIp(
  request: HttpRequest,
  policy: IpPolicy,
  anonymization: IpAnonymization,
): string {
  if (anonymization === 'drop') return NO_IP;
  const ip = policy === 'trusted-hop' ? trustedHop(request) : firstForwarded(request);
  if (ip === null) return NO_IP;
  return (anonymization === 'truncate' ? truncateIp(ip) : ip) ?? NO_IP;
}
