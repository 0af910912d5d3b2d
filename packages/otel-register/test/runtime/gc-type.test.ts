// The v8js.gc.type of each GC kind Node reports (perf_hooks.constants, V8's GCType).

import { constants } from 'node:perf_hooks';
import { V8JS_GC_DURATION } from '@va/semconv';
import { describe, expect, it } from 'vitest';
import { gcTypeOf } from '../../src/runtime/gc-type.js';

describe('gcTypeOf', () => {
  it('names the kinds as upstream does', () => {
    expect({
      major: gcTypeOf(constants.NODE_PERFORMANCE_GC_MAJOR),
      minor: gcTypeOf(constants.NODE_PERFORMANCE_GC_MINOR),
      incremental: gcTypeOf(constants.NODE_PERFORMANCE_GC_INCREMENTAL),
      weakcb: gcTypeOf(constants.NODE_PERFORMANCE_GC_WEAKCB),
    }).toEqual({ major: 'major', minor: 'minor', incremental: 'incremental', weakcb: 'weakcb' });
  });

  it("counts V8's young-generation mark-sweep (--minor-ms, kind 2) as minor", () => {
    expect(gcTypeOf(2)).toBe('minor');
    const named = (constants as Record<string, number>).NODE_PERFORMANCE_GC_MINOR_MARK_SWEEP;
    // Node 22 and later name the constant; it must be the number we use.
    if (named !== undefined) expect(named).toBe(2);
  });

  it('leaves out kinds the conventions do not name', () => {
    expect([0, 3, 32, Number.NaN].map(gcTypeOf)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('gives only the values @va/semconv documents', () => {
    const kinds = [1, 2, 4, 8, 16];
    expect(new Set(kinds.map(gcTypeOf))).toEqual(new Set(V8JS_GC_DURATION.attributes[0]?.values));
  });
});
