import type { Meter, ObservableResult } from '@opentelemetry/api';
import { PROCESS_CPU_TIME, PROCESS_MEMORY_USAGE } from '@va/semconv';

/**
 * CPU time and resident memory of this process, read at collection time only: nothing runs
 * between scrapes. `process.cpuUsage()` reports microseconds; the convention wants seconds.
 */
export function recordProcessMetrics(meter: Meter): { stop(): void } {
  const cpuTime = meter.createObservableCounter(PROCESS_CPU_TIME.name, {
    unit: PROCESS_CPU_TIME.unit,
    description: PROCESS_CPU_TIME.description,
  });
  const memoryUsage = meter.createObservableUpDownCounter(PROCESS_MEMORY_USAGE.name, {
    unit: PROCESS_MEMORY_USAGE.unit,
    description: PROCESS_MEMORY_USAGE.description,
  });
  const observeCpuTime = (result: ObservableResult): void => {
    const usage = process.cpuUsage();
    result.observe(usage.user / 1e6, { 'cpu.mode': 'user' });
    result.observe(usage.system / 1e6, { 'cpu.mode': 'system' });
  };
  const observeMemoryUsage = (result: ObservableResult): void => {
    result.observe(process.memoryUsage.rss());
  };
  cpuTime.addCallback(observeCpuTime);
  memoryUsage.addCallback(observeMemoryUsage);
  return {
    stop() {
      cpuTime.removeCallback(observeCpuTime);
      memoryUsage.removeCallback(observeMemoryUsage);
    },
  };
}
