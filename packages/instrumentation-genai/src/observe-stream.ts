import type { GenAICall } from './genai-call.js';

/**
 * Reads one streamed item (a chunk or an event) into the call before the caller sees it. Returns `false`
 * for an item the caller must not see (the usage-only chunk the openai instrumentation asked for on
 * their behalf).
 */
export type StreamItemObserver = (call: GenAICall, item: unknown) => boolean;

type AsyncIteratorLike = AsyncIterator<unknown> & {
  return?: (value?: unknown) => Promise<IteratorResult<unknown>>;
};

function observeSafely(call: GenAICall, observeItem: StreamItemObserver, item: unknown): boolean {
  try {
    return observeItem(call, item);
  } catch (error) {
    call.recorder.reportFault('reading a stream chunk', error);
    return true;
  }
}

/**
 * Wraps the iterator of one stream consumption. Every item reaches the caller unchanged and in
 * order, every error is rethrown as the same object; the call is finished by the end of the
 * stream, its first error, or the caller's `return()` (a `break` out of `for await`).
 */
export function observeIterator(
  inner: AsyncIteratorLike,
  call: GenAICall,
  observeItem: StreamItemObserver,
  wasAborted: () => boolean = () => false,
): AsyncIterableIterator<unknown> {
  const onError = (error: unknown): never => {
    call.fail(error);
    throw error;
  };
  const onResult = (
    result: IteratorResult<unknown>,
  ): IteratorResult<unknown> | Promise<IteratorResult<unknown>> => {
    if (result.done) {
      // The SDK ends a stream quietly when its controller is aborted; that is a cancellation.
      if (wasAborted()) call.cancel();
      else call.succeed();
      return result;
    }
    // An item the caller must not see is consumed here: read the next one instead.
    return observeSafely(call, observeItem, result.value) ? result : iterator.next();
  };
  const iterator: AsyncIterableIterator<unknown> = {
    next(...args: [] | [unknown]) {
      let pending: Promise<IteratorResult<unknown>>;
      try {
        pending = inner.next(...args);
      } catch (error) {
        return onError(error);
      }
      return pending.then(onResult, onError);
    },
    return(value?: unknown) {
      call.cancel();
      return typeof inner.return === 'function'
        ? inner.return(value)
        : Promise.resolve({ done: true as const, value });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  if (typeof inner.throw === 'function') {
    const innerThrow = inner.throw.bind(inner);
    iterator.throw = (error?: unknown) => {
      call.fail(error);
      return innerThrow(error);
    };
  }
  return iterator;
}

/**
 * Instruments a Stainless-generated client's `Stream` (`openai`, `@anthropic-ai/sdk`) in place. The
 * `Stream` keeps its iterator factory in an `iterator` field that `[Symbol.asyncIterator]`, `tee()` and
 * `toReadableStream()` all go through, so wrapping that one field covers every way of reading the stream.
 */
export function observeStream(stream: object, call: GenAICall, observeItem: StreamItemObserver): boolean {
  const holder = stream as { iterator?: unknown; controller?: { signal?: { aborted?: unknown } } };
  const wasAborted = () => holder.controller?.signal?.aborted === true;
  const factory = holder.iterator;
  if (typeof factory === 'function') {
    holder.iterator = function observedIterator(this: unknown, ...args: unknown[]) {
      return observeIterator(
        Reflect.apply(factory, this, args) as AsyncIteratorLike,
        call,
        observeItem,
        wasAborted,
      );
    };
    return true;
  }
  const ownIterator = (stream as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator];
  if (typeof ownIterator !== 'function') return false;
  Object.defineProperty(stream, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function observedAsyncIterator(this: unknown, ...args: unknown[]) {
      return observeIterator(
        Reflect.apply(ownIterator, this, args) as AsyncIteratorLike,
        call,
        observeItem,
        wasAborted,
      );
    },
  });
  return true;
}
