// The few messages a cluster primary and its workers exchange over Node's IPC channel (or a child process
// and its parent's hub, over a socket: child-process-hub.ts). Every one is an
// object with a `va.metrics` key, so the application's own messages (which share the channel, and which
// its `process.on('message')` / `cluster.on('message')` listeners also see ours beside) are never taken
// for ours, and ours are easy for an application to skip.
//
//   worker → primary  { 'va.metrics': 'hello', pid }                the worker answers metric requests
//   primary → worker  { 'va.metrics': 'welcome' }                   the primary will ask
//   primary → worker  { 'va.metrics': 'collect', id, timeoutMillis }
//   worker → primary  { 'va.metrics': 'snapshot', id, snapshot }    a MetricsSnapshot
//   worker → primary  { 'va.metrics': 'error', id, message }        collecting failed
//   worker → primary  { 'va.metrics': 'push', snapshot }            unasked, before it may exit

export const MESSAGE_KEY = 'va.metrics';

export type MetricsMessageType = 'hello' | 'welcome' | 'collect' | 'snapshot' | 'error' | 'push';

export type MetricsMessage = { readonly [MESSAGE_KEY]: MetricsMessageType } & Readonly<
  Record<string, unknown>
>;

const TYPES: ReadonlySet<unknown> = new Set<MetricsMessageType>([
  'hello',
  'welcome',
  'collect',
  'snapshot',
  'error',
  'push',
]);

/** Whether an IPC message is one of ours. */
export function isMetricsMessage(message: unknown): message is MetricsMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    TYPES.has((message as Record<string, unknown>)[MESSAGE_KEY])
  );
}

export function metricsMessage(
  type: MetricsMessageType,
  fields: Record<string, unknown> = {},
): MetricsMessage {
  return { ...fields, [MESSAGE_KEY]: type };
}
