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
  const first = forwardedFor(request)[0];
  const parsed = first === undefined ? null : parseIpLiteral(first);
  return parsed ?? sourceIp(request);
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

/**
 * The client IP to write into the record's `ip` field, already anonymised as configured.
 * Returns null when no address is known or when the policy drops it.
 */
export function resolveClientIp(
  request: HttpRequest,
  policy: IpPolicy,
  anonymization: IpAnonymization,
): string | null {
  if (anonymization === 'drop') return null;
  const ip = policy === 'trusted-hop' ? trustedHop(request) : firstForwarded(request);
  if (ip === null) return null;
  return anonymization === 'truncate' ? truncateIp(ip) : ip;
}
