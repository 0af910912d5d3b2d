// Node calls diagnostics-channel subscribers synchronously inside the client's own code, and turns
// an exception thrown by one into an uncaught exception (process.nextTick rethrow): a fault of ours
// would crash the app. So every subscriber body runs inside try/catch and its fault goes to `report`.
// https://nodejs.org/docs/latest-v20.x/api/diagnostics_channel.html#channelsubscribeonmessage
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ReportFault } from '@va/instrumentation-base/diagnostics';

/** A channel name and what to do with each message published on it. */
export type ChannelHandler = readonly [channel: string, onMessage: (message: unknown) => void];

/** Subscribes every handler, guarded; the function returned unsubscribes them all. */
export function subscribeGuarded(handlers: readonly ChannelHandler[], report: ReportFault): () => void {
  const subscribed: [string, (message: unknown) => void][] = [];
  for (const [channel, onMessage] of handlers) {
    const guarded = (message: unknown): void => {
      try {
        onMessage(message);
      } catch (fault) {
        report('observing a request', fault);
      }
    };
    subscribe(channel, guarded);
    subscribed.push([channel, guarded]);
  }
  return () => {
    for (const [channel, guarded] of subscribed.splice(0)) unsubscribe(channel, guarded);
  };
}
