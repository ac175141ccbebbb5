import { createHmac } from 'node:crypto';
import { base64url, type CryptoKey, type JWTPayload, SignJWT } from 'jose';
import type { AuthConfig } from '../../lambda/config';
import type { HttpRequest } from '../../lambda/core/ports';

/** JWTs and auth settings for the authenticator's tests, at a fixed clock. */

export const ISSUER = 'https://idp.example.com/';
export const AUDIENCE = 'clickstream';
/** A fixed clock: 2024-06-27T06:19:45Z. */
export const NOW_MS = 1_719_469_185_000;
export const NOW_S = NOW_MS / 1000;

export function authConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    mode: 'jwt',
    appIds: '*',
    cookieName: 'clickstream_token',
    issuer: ISSUER,
    audience: [AUDIENCE],
    jwksUrl: '',
    publicKeyPem: '',
    secretArn: '',
    algorithms: [],
    clockSkewSeconds: 60,
    jwksTimeoutMs: 2_000,
    maxTokenLifetimeSeconds: 86_400,
    ...overrides,
  };
}

export interface TokenOptions {
  readonly alg?: string;
  readonly kid?: string;
  readonly issuer?: string;
  readonly audience?: string | string[];
  /** Absolute epoch seconds; null leaves the claim out. */
  readonly exp?: number | null;
  readonly nbf?: number;
  /** Absolute epoch seconds; null leaves the claim out. @default NOW_S - 10 */
  readonly iat?: number | null;
  readonly claims?: JWTPayload;
}

/** A token that is valid at NOW unless the options say otherwise. */
export async function signToken(key: CryptoKey | Uint8Array, options: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({ sub: 'user-1', ...options.claims })
    .setProtectedHeader({
      alg: options.alg ?? 'RS256',
      typ: 'JWT',
      ...(options.kid === undefined ? {} : { kid: options.kid }),
    })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE);
  if (options.iat !== null) jwt.setIssuedAt(options.iat ?? NOW_S - 10);
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? NOW_S + 3600);
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(key);
}

function encodeJson(value: object): string {
  return base64url.encode(JSON.stringify(value));
}

function validClaims(): JWTPayload {
  return { iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: NOW_S - 10, exp: NOW_S + 3600 };
}

/** An unsecured JWT (`alg: none`, empty signature), built by hand since no library should sign one. */
export function unsecuredToken(): string {
  return `${encodeJson({ alg: 'none', typ: 'JWT' })}.${encodeJson(validClaims())}.`;
}

/**
 * The HS/RS key-confusion attack: an HS256 token whose HMAC secret is the verifier's PUBLIC key in
 * PEM text, which an algorithm-agnostic verifier would accept as a shared secret.
 */
export function hmacSignedWithPublicPem(publicPem: string, kid?: string): string {
  const header = encodeJson({ alg: 'HS256', typ: 'JWT', ...(kid === undefined ? {} : { kid }) });
  const input = `${header}.${encodeJson(validClaims())}`;
  const signature = createHmac('sha256', publicPem).update(input).digest('base64url');
  return `${input}.${signature}`;
}

export function cookie(token: string, name = 'clickstream_token'): Partial<HttpRequest> {
  return { cookies: [`${name}=${token}`] };
}

export function bearer(token: string): Partial<HttpRequest> {
  return { headers: { authorization: `Bearer ${token}` } };
}
