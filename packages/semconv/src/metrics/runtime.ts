import { GC_DURATION_BUCKETS } from '../buckets.js';
import type { AttributeDefinition, MetricDefinition } from '../types.js';

/**
 * Node.js runtime metrics, all recorded by @va/otel-register: the event loop, GC, heap and
 * active-resource ones with the names and attributes of @opentelemetry/instrumentation-runtime-node
 * (whose instrumentation base class would hook `require`), CPU and resident memory because no
 * upstream instrumentation records them without also pulling in host metrics.
 * https://opentelemetry.io/docs/specs/semconv/runtime/nodejs-metrics/
 * https://opentelemetry.io/docs/specs/semconv/runtime/v8js-metrics/
 * https://opentelemetry.io/docs/specs/semconv/system/process-metrics/
 */

const RECORDED_BY_RUNTIME = '@va/otel-register';

const V8JS_HEAP_SPACE_NAME: AttributeDefinition = {
  key: 'v8js.heap.space.name',
  description: 'The V8 heap space.',
  values: [
    'new_space',
    'old_space',
    'code_space',
    'large_object_space',
    'new_large_object_space',
    'code_large_object_space',
    'read_only_space',
    'shared_space',
    'trusted_space',
    'shared_trusted_space',
    'trusted_large_object_space',
    'shared_large_object_space',
    'shared_trusted_large_object_space',
  ],
  requirement: 'required',
};

const V8JS_GC_TYPE: AttributeDefinition = {
  key: 'v8js.gc.type',
  description: 'The kind of garbage collection.',
  values: ['major', 'minor', 'incremental', 'weakcb'],
  requirement: 'required',
};

const NODEJS_EVENTLOOP_STATE: AttributeDefinition = {
  key: 'nodejs.eventloop.state',
  description: 'Whether the event loop was busy or waiting.',
  values: ['active', 'idle'],
  requirement: 'required',
};

const V8JS_RESOURCE_TYPE: AttributeDefinition = {
  key: 'v8js.resource.type',
  description: 'The kind of resource keeping the event loop alive (`TCPServerWrap`, `Timeout` …).',
  requirement: 'required',
};

const CPU_MODE: AttributeDefinition = {
  key: 'cpu.mode',
  description: 'Whether the CPU time was spent in user or kernel (system) mode.',
  values: ['user', 'system'],
  requirement: 'required',
};

function eventLoopDelay(statistic: string, meaning: string): MetricDefinition {
  return {
    name: `nodejs.eventloop.delay.${statistic}`,
    kind: 'observable_gauge',
    unit: 's',
    description: `Event loop delay, ${meaning}, over the interval since the previous collection.`,
    attributes: [],
    recordedBy: RECORDED_BY_RUNTIME,
    stability: 'development',
  };
}

export const NODEJS_EVENTLOOP_DELAY_MIN = eventLoopDelay('min', 'minimum');
export const NODEJS_EVENTLOOP_DELAY_MAX = eventLoopDelay('max', 'maximum');
export const NODEJS_EVENTLOOP_DELAY_MEAN = eventLoopDelay('mean', 'mean');
export const NODEJS_EVENTLOOP_DELAY_STDDEV = eventLoopDelay('stddev', 'standard deviation');
export const NODEJS_EVENTLOOP_DELAY_P50 = eventLoopDelay('p50', '50th percentile');
export const NODEJS_EVENTLOOP_DELAY_P90 = eventLoopDelay('p90', '90th percentile');
export const NODEJS_EVENTLOOP_DELAY_P99 = eventLoopDelay('p99', '99th percentile');

export const NODEJS_EVENTLOOP_UTILIZATION: MetricDefinition = {
  name: 'nodejs.eventloop.utilization',
  kind: 'observable_gauge',
  unit: '1',
  description: 'Share of time the event loop was busy since the previous collection (0 to 1).',
  attributes: [],
  recordedBy: RECORDED_BY_RUNTIME,
  stability: 'development',
};

export const NODEJS_EVENTLOOP_TIME: MetricDefinition = {
  name: 'nodejs.eventloop.time',
  kind: 'observable_counter',
  unit: 's',
  description: 'Cumulative time the event loop spent in each state.',
  attributes: [NODEJS_EVENTLOOP_STATE],
  recordedBy: RECORDED_BY_RUNTIME,
  stability: 'development',
};

export const V8JS_GC_DURATION: MetricDefinition = {
  name: 'v8js.gc.duration',
  kind: 'histogram',
  unit: 's',
  description: 'Garbage collection pauses, by kind.',
  buckets: GC_DURATION_BUCKETS,
  attributes: [V8JS_GC_TYPE],
  recordedBy: RECORDED_BY_RUNTIME,
  stability: 'development',
};

function heapSpaceGauge(name: string, kind: MetricDefinition['kind'], description: string): MetricDefinition {
  return {
    name,
    kind,
    unit: 'By',
    description,
    attributes: [V8JS_HEAP_SPACE_NAME],
    recordedBy: RECORDED_BY_RUNTIME,
    stability: 'development',
  };
}

export const V8JS_MEMORY_HEAP_USED = heapSpaceGauge(
  'v8js.memory.heap.used',
  'observable_gauge',
  'V8 heap memory in use, per heap space.',
);
export const V8JS_MEMORY_HEAP_SPACE_SIZE = heapSpaceGauge(
  'v8js.memory.heap.space.size',
  'observable_updowncounter',
  'V8 heap memory reserved, per heap space.',
);
export const V8JS_MEMORY_HEAP_SPACE_AVAILABLE_SIZE = heapSpaceGauge(
  'v8js.memory.heap.space.available_size',
  'observable_gauge',
  'V8 heap memory still available, per heap space.',
);
export const V8JS_MEMORY_HEAP_SPACE_PHYSICAL_SIZE = heapSpaceGauge(
  'v8js.memory.heap.space.physical_size',
  'observable_gauge',
  'V8 heap memory committed (physically backed), per heap space.',
);

export const V8JS_RESOURCE_ACTIVE: MetricDefinition = {
  name: 'v8js.resource.active',
  kind: 'observable_gauge',
  unit: '{resource}',
  description: 'Resources keeping the event loop alive, by type.',
  attributes: [V8JS_RESOURCE_TYPE],
  recordedBy: RECORDED_BY_RUNTIME,
  stability: 'development',
};

export const PROCESS_CPU_TIME: MetricDefinition = {
  name: 'process.cpu.time',
  kind: 'observable_counter',
  unit: 's',
  description: 'CPU time the process has used, by mode.',
  attributes: [CPU_MODE],
  recordedBy: '@va/otel-register',
  stability: 'development',
};

export const PROCESS_MEMORY_USAGE: MetricDefinition = {
  name: 'process.memory.usage',
  kind: 'observable_updowncounter',
  unit: 'By',
  description: 'Resident set size of the process: the physical memory it occupies.',
  attributes: [],
  recordedBy: '@va/otel-register',
  stability: 'development',
};

export const RUNTIME_METRICS: readonly MetricDefinition[] = [
  NODEJS_EVENTLOOP_DELAY_MIN,
  NODEJS_EVENTLOOP_DELAY_MAX,
  NODEJS_EVENTLOOP_DELAY_MEAN,
  NODEJS_EVENTLOOP_DELAY_STDDEV,
  NODEJS_EVENTLOOP_DELAY_P50,
  NODEJS_EVENTLOOP_DELAY_P90,
  NODEJS_EVENTLOOP_DELAY_P99,
  NODEJS_EVENTLOOP_UTILIZATION,
  NODEJS_EVENTLOOP_TIME,
  V8JS_GC_DURATION,
  V8JS_MEMORY_HEAP_USED,
  V8JS_MEMORY_HEAP_SPACE_SIZE,
  V8JS_MEMORY_HEAP_SPACE_AVAILABLE_SIZE,
  V8JS_MEMORY_HEAP_SPACE_PHYSICAL_SIZE,
  V8JS_RESOURCE_ACTIVE,
  PROCESS_CPU_TIME,
  PROCESS_MEMORY_USAGE,
];
