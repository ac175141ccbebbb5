import type { HttpRequest } from '../../core/ports';

/**
 * Finds the caller's token without judging it beyond its shape: an explicit
 * `Authorization: Bearer` header first (a server or mobile client chose it deliberately), then the
 * configured cookie (browsers, where the web SDK cannot add headers of its own).
 */

export type TokenLookup =
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'found'; readonly token: string };

/** Real ID tokens are 1–2 KB; a cap keeps absurd inputs away from base64 and JSON parsing. */
const MAX_TOKEN_LENGTH = 8192;
/** JWS compact serialisation: three base64url segments (the signature may not be empty for us). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const BEARER = /^Bearer[ \t]+(\S*)[ \t]*$/i;

function cookieValues(request: HttpRequest, name: string): string[] {
  const pairs = [...request.cookies];
  // Some transports (ALB, REST API, the local server) leave cookies in the header only.
  const header = request.headers.cookie;
  if (header !== undefined) pairs.push(...header.split(';'));
  const values: string[] = [];
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    if (separator < 0) continue;
    if (pair.slice(0, separator).trim() !== name) continue;
    let value = pair.slice(separator + 1).trim();
    // RFC 6265 allows a cookie value wrapped in double quotes.
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    values.push(value);
  }
  return values;
}

function judge(candidate: string): TokenLookup {
  if (candidate === '') return { kind: 'missing' };
  if (candidate.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(candidate)) return { kind: 'malformed' };
  return { kind: 'found', token: candidate };
}

export function extractToken(request: HttpRequest, cookieName: string): TokenLookup {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const bearer = BEARER.exec(authorization.trim());
    // Another scheme (Basic, AWS SigV4) is not ours to judge: fall through to the cookie.
    if (bearer !== null) return judge(bearer[1] ?? '');
  }
  // With several same-named cookies (parent-domain and host cookies), the first one sent wins.
  const [cookie] = cookieValues(request, cookieName);
  return cookie === undefined ? { kind: 'missing' } : judge(cookie);
}
