// Optional protection of the metrics endpoint: a bearer token and/or HTTP basic auth, each given as a
// value or as a file (a mounted Kubernetes secret, the same file Prometheus reads with credentials_file or
// password_file). Comparisons are constant-time and length-blind: both sides are hashed to SHA-256 first.
// A protection that is configured but unusable (a bad token, an unreadable file) fails closed: every
// request gets 401, and one warning says why. It never falls back to serving metrics to anyone.

import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';

const diagLogger = diag.createComponentLogger({ namespace: '@va/prometheus-bridge' });

/** Who may read the metrics endpoint. Give a bearer token, basic auth, or both (either is accepted). */
export interface MetricsAuthOptions {
  /** Accept `Authorization: Bearer <token>`. RFC 6750 token characters: letters, digits, `-._~+/`, trailing `=`. */
  bearerToken?: string;
  /**
   * A file holding the bearer token (surrounding whitespace ignored). Re-read at most every 5 s while
   * requests come, so a rotated Kubernetes secret takes effect without a restart. Wins over `bearerToken`.
   */
  bearerTokenFile?: string;
  /** Accept HTTP basic auth with this username and the password (or a file holding it, which wins). */
  basicAuth?: { username: string; password?: string; passwordFile?: string };
}

/** Decides whether a request may read the metrics; answers 401 itself when not. */
export interface MetricsAuth {
  /** Calls `serve` if the request carries valid credentials; otherwise answers 401 with a challenge. */
  protect(
    serve: (request: IncomingMessage, response: ServerResponse) => void,
  ): (request: IncomingMessage, response: ServerResponse) => void;
}

/** How often a secret file may be read again: rotation within seconds, never a read per request. */
export const SECRET_FILE_REFRESH_MS = 5_000;

const REALM = 'metrics';
// RFC 6750 section 2.1, b64token.
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
// RFC 7617: the user-id cannot contain a colon; neither part may contain control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

type Digest = Buffer;

function sha256(text: string): Digest {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time, and blind to the lengths: both sides are SHA-256 digests of the same length. */
function sameSecret(presented: string, expected: Digest): boolean {
  return timingSafeEqual(sha256(presented), expected);
}

/** What a secret source holds now: the digest to compare with, or why every request is refused. */
type SecretState = { digest: Digest } | { unusable: string };

/**
 * One secret (a token, a password): a value given once, or a file read at start and again at most every
 * SECRET_FILE_REFRESH_MS. Each different problem is warned about once, and its recovery once.
 */
class SecretSource {
  private _state: SecretState;
  private _readAt = 0;
  private _reading: Promise<SecretState> | undefined;
  private _warned: string | undefined;

  constructor(
    private readonly _what: string,
    private readonly _validate: (secret: string) => string | undefined,
    value: string | undefined,
    private readonly _file: string | undefined,
  ) {
    if (_file !== undefined) {
      this._state = this._fromFile(() => readFileSync(_file, 'utf8'));
      this._readAt = performance.now();
    } else {
      this._state = this._check(value ?? '');
    }
  }

  /** The current state, re-reading the file first when it is due. */
  current(): SecretState | Promise<SecretState> {
    const file = this._file;
    if (file === undefined || performance.now() - this._readAt < SECRET_FILE_REFRESH_MS) return this._state;
    this._reading ??= readFile(file, 'utf8').then(
      (text) => this._fromFile(() => text),
      (error: unknown) =>
        this._fromFile(() => {
          throw error;
        }),
    );
    return this._reading.finally(() => {
      this._reading = undefined;
    });
  }

  private _fromFile(read: () => string): SecretState {
    let state: SecretState;
    try {
      // Prometheus trims credentials_file and password_file the same way: a trailing newline is not part of it.
      state = this._check(read().trim(), ` in ${this._file}`);
    } catch (error) {
      state = this._unusable(`${this._what} file ${this._file} cannot be read (${errorCode(error)})`);
    }
    this._state = state;
    this._readAt = performance.now();
    return state;
  }

  private _check(secret: string, where = ''): SecretState {
    const problem = this._validate(secret);
    if (problem !== undefined) return this._unusable(`the ${this._what}${where} ${problem}`);
    if (this._warned !== undefined) {
      diagLogger.info(`metrics authentication: the ${this._what} is usable again`);
      this._warned = undefined;
    }
    return { digest: sha256(secret) };
  }

  private _unusable(reason: string): SecretState {
    // Never the secret itself in a message: only what is wrong with it.
    if (this._warned !== reason) {
      this._warned = reason;
      diagLogger.warn(
        `metrics authentication: ${reason}; every request to the metrics endpoint is answered 401 until it is fixed`,
      );
    }
    return { unusable: reason };
  }
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}

function validateToken(token: string): string | undefined {
  if (token === '') return 'is empty';
  return BEARER_TOKEN.test(token)
    ? undefined
    : 'has characters a bearer token cannot have (expected letters, digits, -._~+/ and trailing =)';
}

function validatePassword(password: string): string | undefined {
  if (password === '') return 'is empty';
  return CONTROL_CHARACTERS.test(password) ? 'contains control characters' : undefined;
}

function validateUsername(username: string): string | undefined {
  if (username === '') return 'is empty';
  if (username.includes(':')) return 'contains a colon, which basic auth cannot carry in a username';
  return CONTROL_CHARACTERS.test(username) ? 'contains control characters' : undefined;
}

/** The credentials a request presents, by scheme (the scheme name is case-insensitive). */
function presented(
  request: IncomingMessage,
): { scheme: 'bearer' | 'basic'; credentials: string } | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^\s*(bearer|basic)\s+(\S+)\s*$/i.exec(header);
  if (match === null) return undefined;
  return {
    scheme: (match[1] as string).toLowerCase() as 'bearer' | 'basic',
    credentials: match[2] as string,
  };
}

/**
 * The protection `options` describe, or `undefined` when they ask for none. Invalid options are warned
 * about once and refuse every request (fail closed).
 */
export function createMetricsAuth(options: MetricsAuthOptions | undefined): MetricsAuth | undefined {
  if (options === undefined) return undefined;
  const hasBearer = options.bearerToken !== undefined || options.bearerTokenFile !== undefined;
  const basic = options.basicAuth;
  if (!hasBearer && basic === undefined) return undefined;

  const bearer = hasBearer
    ? new SecretSource('bearer token', validateToken, options.bearerToken, options.bearerTokenFile)
    : undefined;
  let basicUser: { username: Digest; password: SecretSource } | undefined;
  if (basic !== undefined) {
    const usernameProblem = validateUsername(basic.username ?? '');
    basicUser = {
      username: sha256(basic.username ?? ''),
      // A username that cannot be used makes the whole scheme unusable: a source that is never usable
      // carries the warning and the refusal, as an unusable password would.
      password:
        usernameProblem !== undefined
          ? new SecretSource('basic auth username', () => usernameProblem, '', undefined)
          : new SecretSource('basic auth password', validatePassword, basic.password, basic.passwordFile),
    };
  }

  const challenges = [
    ...(bearer !== undefined ? [`Bearer realm="${REALM}"`] : []),
    ...(basicUser !== undefined ? [`Basic realm="${REALM}", charset="UTF-8"`] : []),
  ];
  const refuse = (response: ServerResponse, invalidToken: boolean) => {
    if (response.headersSent || response.destroyed) return;
    const body = Buffer.from('Unauthorized\n', 'utf8');
    response.writeHead(401, {
      // RFC 6750 section 3.1: a token was presented and is wrong.
      'www-authenticate': challenges.map((challenge) =>
        invalidToken && challenge.startsWith('Bearer') ? `${challenge}, error="invalid_token"` : challenge,
      ),
      'content-type': 'text/plain; charset=utf-8',
      'content-length': body.length,
      'cache-control': 'no-store',
    });
    response.end(body);
  };

  const check = (
    given: ReturnType<typeof presented>,
    state: SecretState,
    basicUsername: Digest | undefined,
  ): boolean => {
    if (given === undefined || !('digest' in state)) return false;
    if (given.scheme === 'bearer') return sameSecret(given.credentials, state.digest);
    // Basic: `username:password`, UTF-8, in base64. The username has no colon, so the first one splits.
    const decoded = Buffer.from(given.credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return false;
    // Both compared, always: which of the two was wrong does not show in the time taken.
    const userMatches = basicUsername !== undefined && sameSecret(decoded.slice(0, colon), basicUsername);
    const passwordMatches = sameSecret(decoded.slice(colon + 1), state.digest);
    return userMatches && passwordMatches;
  };

  return {
    protect(serve) {
      return (request, response) => {
        const given = presented(request);
        const source =
          given?.scheme === 'bearer' ? bearer : given?.scheme === 'basic' ? basicUser?.password : undefined;
        if (given === undefined || source === undefined) {
          refuse(response, false);
          return;
        }
        const decide = (state: SecretState) => {
          if (check(given, state, basicUser?.username)) serve(request, response);
          else refuse(response, given.scheme === 'bearer');
        };
        const state = source.current();
        if ('then' in state) {
          state.then(decide, () => refuse(response, false));
        } else {
          decide(state);
        }
      };
    },
  };
}
