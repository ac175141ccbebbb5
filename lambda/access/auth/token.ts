import type { HttpRequest } from '../../core/ports';

/**
 * Finds the caller's token without judging it beyond its shape: an explicit
 * `Authorization: Bearer` header first (a server or mobile client chose it deliberately), then the
 * configured cookie (browsers, where the web SDK cannot add headers of its own).
 */

export type TokenLookup =
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed' }
  /** One candidate from the header; from cookies, each same-named one of the right shape, in order. */
  | { readonly kind: 'found'; readonly tokens: readonly string[] };

/**
 * Same-named cookies beyond this many are not tried: a browser sends at most a host cookie and a
 * parent-domain one or two, and each try is a signature check.
 */
export const MAX_TOKEN_COOKIES = 3;

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

const wellFormed = (candidate: string): boolean =>
  candidate.length <= MAX_TOKEN_LENGTH && COMPACT_JWS.test(candidate);

function judge(candidate: string): TokenLookup {
  if (candidate === '') return { kind: 'missing' };
  return wellFormed(candidate) ? { kind: 'found', tokens: [candidate] } : { kind: 'malformed' };
}

export function extractToken(request: HttpRequest, cookieName: string): TokenLookup {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const bearer = BEARER.exec(authorization.trim());
    // Another scheme (Basic, AWS SigV4) is not ours to judge: fall through to the cookie.
    if (bearer !== null) return judge(bearer[1] ?? '');
  }
  // Several same-named cookies (a host cookie and a parent-domain one) arrive in an order the
  // server cannot choose, so a stale one may come first: each of the first few well-formed ones
  // is a candidate, and the authenticator accepts the request when any of them verifies.
  const values = cookieValues(request, cookieName).filter((value) => value !== '');
  if (values.length === 0) return { kind: 'missing' };
  const tokens = values.filter(wellFormed).slice(0, MAX_TOKEN_COOKIES);
  return tokens.length === 0 ? { kind: 'malformed' } : { kind: 'found', tokens };
}
