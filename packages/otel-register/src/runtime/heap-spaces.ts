import { getHeapSpaceStatistics } from 'node:v8';
import type { BatchObservableCallback, Meter } from '@opentelemetry/api';
import type { ReportFault } from '@va/instrumentation-base/diagnostics';
import {
  V8JS_MEMORY_HEAP_SPACE_AVAILABLE_SIZE,
  V8JS_MEMORY_HEAP_SPACE_PHYSICAL_SIZE,
  V8JS_MEMORY_HEAP_SPACE_SIZE,
  V8JS_MEMORY_HEAP_USED,
} from '@va/semconv';

/**
 * The four v8js.memory.heap.* instruments, one point per V8 heap space, from one call to
 * v8.getHeapSpaceStatistics() per collection. The spaces are V8's own names, which vary with the
 * V8 version (Node 24 adds the trusted spaces). `space.size` is an up-down counter, the rest
 * gauges, as the conventions have them.
 * Returns a function that detaches the callback.
 */
export function recordHeapSpaces(meter: Meter, report: ReportFault): () => void {
  const size = meter.createObservableUpDownCounter(V8JS_MEMORY_HEAP_SPACE_SIZE.name, {
    unit: V8JS_MEMORY_HEAP_SPACE_SIZE.unit,
    description: V8JS_MEMORY_HEAP_SPACE_SIZE.description,
  });
  const used = meter.createObservableGauge(V8JS_MEMORY_HEAP_USED.name, {
    unit: V8JS_MEMORY_HEAP_USED.unit,
    description: V8JS_MEMORY_HEAP_USED.description,
  });
  const available = meter.createObservableGauge(V8JS_MEMORY_HEAP_SPACE_AVAILABLE_SIZE.name, {
    unit: V8JS_MEMORY_HEAP_SPACE_AVAILABLE_SIZE.unit,
    description: V8JS_MEMORY_HEAP_SPACE_AVAILABLE_SIZE.description,
  });
  const physical = meter.createObservableGauge(V8JS_MEMORY_HEAP_SPACE_PHYSICAL_SIZE.name, {
    unit: V8JS_MEMORY_HEAP_SPACE_PHYSICAL_SIZE.unit,
    description: V8JS_MEMORY_HEAP_SPACE_PHYSICAL_SIZE.description,
  });
  const callback: BatchObservableCallback = (result) => {
    try {
      for (const space of getHeapSpaceStatistics()) {
        const attributes = { 'v8js.heap.space.name': space.space_name };
        result.observe(size, space.space_size, attributes);
        result.observe(used, space.space_used_size, attributes);
        result.observe(available, space.space_available_size, attributes);
        result.observe(physical, space.physical_space_size, attributes);
      }
    } catch (error) {
      report('reading the heap spaces', error);
    }
  };
  const observables = [size, used, available, physical];
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
