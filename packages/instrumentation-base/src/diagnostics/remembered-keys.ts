/**
 * How many keys one memory of "already said" holds. Our keys name kinds (a variable, a step that
 * failed), a few dozen at most; a key built from data (a model name) must not grow the memory
 * without end, so past the bound a new key counts as already said.
 */
export const REMEMBERED_KEYS_LIMIT = 100;

/** The keys a logger has already spoken about: each is new once, for as long as the memory lives. */
export class RememberedKeys {
  private readonly _keys = new Set<string>();

  /** True the first time `key` comes; false after that, and for any new key once the memory is full. */
  isNew(key: string): boolean {
    if (this._keys.has(key) || this._keys.size >= REMEMBERED_KEYS_LIMIT) return false;
    this._keys.add(key);
    return true;
  }
}
