// The application's span processor in the host-SDK fixture: one JSON line per finished span, written
// synchronously, so the file is complete when the process has exited.
'use strict';
const { appendFileSync } = require('node:fs');

function spanRecord(span) {
  const context = span.spanContext();
  const parent = span.parentSpanContext?.spanId ?? span.parentSpanId;
  return {
    name: span.name,
    kind: span.kind,
    scope: (span.instrumentationScope ?? span.instrumentationLibrary)?.name,
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: parent || undefined,
  };
}

/** A span processor (the interface is the same on both SDK lines) that writes each span as it ends. */
function spanFileProcessor(file) {
  return {
    onStart() {},
    onEnd(span) {
      appendFileSync(file, `${JSON.stringify(spanRecord(span))}\n`);
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}

module.exports = { spanFileProcessor };
