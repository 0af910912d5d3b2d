import { OTHER_ERROR_TYPE } from '@va/instrumentation-base';

/**
 * A label fed by the provider's strings (an error code, a rate limit's name): the first `limit` distinct
 * values pass as they are, any later one becomes `_OTHER`, so a provider inventing codes cannot grow the
 * series without bound. Values too long to be a code are `_OTHER` from the start.
 */
export class BoundedValues {
  private readonly _seen = new Set<string>();

  constructor(
    private readonly _limit: number,
    private readonly _maxLength = 64,
  ) {}

  valueOf(candidate: string): string {
    if (this._seen.has(candidate)) return candidate;
    if (candidate.length > this._maxLength || this._seen.size >= this._limit) return OTHER_ERROR_TYPE;
    this._seen.add(candidate);
    return candidate;
  }
}
