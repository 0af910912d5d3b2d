// Loaded first of all (`--require ./gc-counter.cjs`), before the register and the app's tracing:
// counts every major GC of the process, so the GC counts on /metrics can be bounded from above.
'use strict';
const { PerformanceObserver } = require('node:perf_hooks');

const counts = { major: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if ((entry.detail?.kind ?? entry.kind) === 4) counts.major++;
}).observe({ entryTypes: ['gc'] });
globalThis.__hostAppGcCounts = counts;
