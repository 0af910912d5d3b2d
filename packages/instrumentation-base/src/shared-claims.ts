/**
 * A claim on objects that exactly one measurer may count: the first caller with an object gets true (it
 * measures it), every later one false. The set lives on the global object under `Symbol.for(key)`, so
 * every copy of a package (CommonJS and ESM, an explicit call and the register's patch) shares it.
 * Weakly held: a claimed object is still collected.
 */
export function sharedClaims(key: string): (target: object) => boolean {
  const slot = Symbol.for(key);
  const global = globalThis as { [slot]?: WeakSet<object> };
  global[slot] ??= new WeakSet<object>();
  const claimed = global[slot];
  return (target) => {
    if (claimed.has(target)) return false;
    claimed.add(target);
    return true;
  };
}
