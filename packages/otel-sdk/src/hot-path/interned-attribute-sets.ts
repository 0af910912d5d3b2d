// The attribute sets our interner (attribute-set-interner.ts) produced: the only inputs the hash memo
// (attribute-hash-memo.ts) may answer from its memo. The memo replaces a function every MeterProvider on
// the same sdk-metrics copy calls, a user's included, and only these sets are known to be ours and
// never to change. A global slot, because the CommonJS and the ES module copy of this package may both
// be loaded: the memo one copy installed must recognise the sets the other copy's interner made.
import type { Attributes } from '@opentelemetry/api';

const SLOT = Symbol.for('@va/otel-sdk.interned-attribute-sets');
type GlobalWithInternedSets = typeof globalThis & { [SLOT]?: WeakSet<Attributes> };

/** The process's one registry of interned sets: the interner adds to it, the hash memo asks it. */
export function internedAttributeSets(): WeakSet<Attributes> {
  const global = globalThis as GlobalWithInternedSets;
  global[SLOT] ??= new WeakSet();
  return global[SLOT];
}
