// The hot-path shortcuts reach into sdk-metrics' internal modules, which Node loads from the package's
// CommonJS build for require and import alike (it has no "exports" map).

/**
 * The mutable exports object of a CommonJS module we imported: in our CommonJS build the namespace IS
 * that object; in our ES module build Node exposes it as the namespace's `default`.
 */
export function commonJsExports<T extends object>(namespace: unknown): Partial<T> | undefined {
  const module = namespace as { default?: unknown } | null;
  const target = module?.default ?? module;
  return typeof target === 'object' && target !== null ? (target as Partial<T>) : undefined;
}
