/**
 * Scenario directives: how a test asks one request for a behaviour (an error, a slow first chunk,
 * a cut connection…). They come from the `x-test-scenario` header, or from a model name suffix
 * after '@' for callers that cannot set headers (`gpt-4o-mini@error:500`).
 */

export const SCENARIO_HEADER = 'x-test-scenario';
/** Requests that share this header's value share one `fail-times` counter. */
export const SCENARIO_KEY_HEADER = 'x-test-scenario-key';

export interface Scenario {
  /** The directives as received (header first, then model suffix), or undefined when none. */
  raw?: string;
  /** `error:<status>`. */
  error?: number;
  /** `fail-times:<n>`: only the first n requests with the same key fail. */
  failTimes?: number;
  /** `slow-first-chunk:<ms>`. */
  slowFirstChunkMs?: number;
  /** `chunk-delay:<ms>`. */
  chunkDelayMs?: number;
  /** `chunks:<n>`: words in the reply. */
  chunks?: number;
  /** `cut-after:<n>`: destroy the socket after n streamed data events (non-streaming: at once). */
  cutAfter?: number;
  /** `overloaded-after:<n>`: an Anthropic stream ends with an `overloaded_error` event after n events. */
  overloadedAfter?: number;
  /** `hang`: never answer. */
  hang: boolean;
  /** `cached:<n>` (or `cache-read:<n>`): cached input tokens read (clamped to the input tokens). */
  cached?: number;
  /** `cache-write:<n>`: input tokens written to the cache (Anthropic), clamped to the uncached input. */
  cacheWrite?: number;
  /** `reasoning:<n>` (or `thoughts:<n>`, Gemini's name): reasoning tokens, counted inside the output tokens. */
  reasoning?: number;
  /** `no-usage`: never report usage. */
  noUsage: boolean;
}

/** Thrown for a directive the server does not know, so a typo in a test fails loudly (400). */
export class ScenarioError extends Error {}

const NUMERIC = {
  error: 'error',
  'fail-times': 'failTimes',
  'slow-first-chunk': 'slowFirstChunkMs',
  'chunk-delay': 'chunkDelayMs',
  chunks: 'chunks',
  'cut-after': 'cutAfter',
  'overloaded-after': 'overloadedAfter',
  cached: 'cached',
  'cache-read': 'cached',
  'cache-write': 'cacheWrite',
  reasoning: 'reasoning',
  thoughts: 'reasoning',
} as const satisfies Record<string, keyof Scenario>;

const FLAGS = { hang: 'hang', 'no-usage': 'noUsage' } as const satisfies Record<string, keyof Scenario>;

/** Parses comma-separated `key` / `key:value` directives; later ones win over earlier ones. */
export function parseScenario(raw: string | undefined): Scenario {
  const scenario: Scenario = { hang: false, noUsage: false };
  if (raw === undefined || raw.trim() === '') return scenario;
  scenario.raw = raw;
  readDirectives(raw, FLAGS, NUMERIC, scenario);
  if (scenario.error !== undefined && (scenario.error < 400 || scenario.error > 599)) {
    throw new ScenarioError(`Scenario directive 'error' needs an HTTP error status (400-599)`);
  }
  return scenario;
}

/**
 * Reads comma-separated `key` / `key:value` directives into `target`: a flag sets its field to true,
 * a numeric key its field to the value; anything else throws ScenarioError. Later ones win.
 */
export function readDirectives<T extends object>(
  raw: string,
  flags: Readonly<Record<string, keyof T>>,
  numeric: Readonly<Record<string, keyof T>>,
  target: T,
): void {
  for (const part of raw.split(',')) {
    const directive = part.trim();
    if (directive === '') continue;
    const colon = directive.indexOf(':');
    const key = (colon === -1 ? directive : directive.slice(0, colon)).trim();
    const value = colon === -1 ? undefined : directive.slice(colon + 1).trim();
    const fields = target as Record<keyof T, unknown>;
    if (Object.hasOwn(flags, key)) {
      if (value !== undefined) throw new ScenarioError(`Scenario directive '${key}' takes no value`);
      fields[flags[key]!] = true;
    } else if (Object.hasOwn(numeric, key)) {
      if (value === undefined || !/^\d+$/.test(value)) {
        throw new ScenarioError(`Scenario directive '${key}' needs a non-negative integer, as in '${key}:3'`);
      }
      fields[numeric[key]!] = Number(value);
    } else {
      throw new ScenarioError(`Unknown scenario directive '${key}'`);
    }
  }
}

/** Splits `gpt-4o-mini@error:500` into the model to echo and the directives it carries. */
export function splitModel(model: string): { model: string; directives?: string } {
  const at = model.indexOf('@');
  if (at === -1) return { model };
  return { model: model.slice(0, at), directives: model.slice(at + 1) };
}

/** The header directives and the model-suffix directives as one raw string (header first). */
export function joinDirectives(
  header: string | undefined,
  fromModel: string | undefined,
): string | undefined {
  const parts = [header, fromModel].filter(
    (part): part is string => part !== undefined && part.trim() !== '',
  );
  return parts.length === 0 ? undefined : parts.join(',');
}

/**
 * Counts requests per scenario key, for `fail-times`: the first n requests with a key fail and the
 * later ones succeed, which is what a client's retry loop needs to be tested against.
 */
export class FailureCounter {
  private readonly _seen = new Map<string, number>();

  /** Counts this request and says whether it is among the first `times` with `key`. */
  shouldFail(key: string, times: number): boolean {
    const seen = this._seen.get(key) ?? 0;
    this._seen.set(key, seen + 1);
    return seen < times;
  }

  clear(): void {
    this._seen.clear();
  }
}

/**
 * The error status the scenario asks for on this request, or undefined to answer normally.
 * `fail-times` without `error` fails with 500, the most common retryable error.
 */
export function scenarioErrorStatus(
  scenario: Scenario,
  key: string | undefined,
  counter: FailureCounter,
): number | undefined {
  if (scenario.failTimes !== undefined) {
    const failing = counter.shouldFail(key ?? scenario.raw ?? '', scenario.failTimes);
    return failing ? (scenario.error ?? 500) : undefined;
  }
  return scenario.error;
}
