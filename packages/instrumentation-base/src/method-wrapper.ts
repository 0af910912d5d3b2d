// How @va wraps a method of someone else's object. The usual tool, shimmer (through
// @opentelemetry/instrumentation's `_wrap`), marks its wrappers with `__wrapped`, and the upstream
// instrumentations test that mark and UNWRAP whatever carries it before wrapping themselves: with
// upstream's pg instrumentation loaded by an application's NodeSDK, its patch removed ours, or ours
// theirs, depending on which came first. So:
// - over a plain method, our wrapper carries no shimmer mark: to others it is the method itself,
//   which they may wrap in turn;
// - over a shimmer wrapper, ours shows that wrapper's marks, and its `__unwrap` removes THAT wrapper
//   from beneath ours. Upstream pg patches a method twice (when pg/lib/client.js loads and when pg
//   does), unwrapping its first wrapper before the second; with ours between the two, it would
//   otherwise have kept both and made every query two spans;
// - we never unwrap a wrapper that is not ours, and a wrapper of ours that someone wrapped over is
//   switched off in place instead of being removed.

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

interface WrapperState {
  /** What our wrapper calls: the original method, until a shimmer wrapper beneath ours is unwrapped. */
  inner: AnyFunction;
  readonly wrapper: AnyFunction;
  /** What the property was before: restored as it was, or deleted where the method was inherited. */
  readonly descriptor: PropertyDescriptor | undefined;
  /** A switched-off wrapper calls the original and nothing else. */
  active: boolean;
}

/** Our wrappers, by the function object installed on the target. */
const byWrapper = new WeakMap<AnyFunction, WrapperState>();
/** Our latest wrapper of each method, by target and name. */
const byTarget = new WeakMap<object, Map<PropertyKey, WrapperState>>();

/** Whether `candidate` is a wrapper made by {@link wrapMethod} that is switched on. */
export function isWrappedByVa(candidate: unknown): boolean {
  return typeof candidate === 'function' && byWrapper.get(candidate as AnyFunction)?.active === true;
}

/**
 * Replaces `target[name]` with `createWrapper(original)`, unless it already is a wrapper of ours (a
 * second load of the same patch: it is switched on again). The wrapper keeps the original's `name`
 * and `length`, and the property keeps its enumerability. Returns whether the method is now wrapped
 * by us.
 */
export function wrapMethod(
  target: object,
  name: PropertyKey,
  createWrapper: (original: AnyFunction) => AnyFunction,
): boolean {
  const current = (target as Record<PropertyKey, unknown>)[name];
  if (typeof current !== 'function') return false;
  const known = byWrapper.get(current as AnyFunction);
  if (known !== undefined) {
    known.active = true;
    remember(target, name, known);
    return true;
  }
  const original = current as AnyFunction;
  const callInner = function (this: unknown, ...args: unknown[]): unknown {
    return Reflect.apply(state.inner, this, args);
  };
  const patched = createWrapper(callInner);
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    return state.active ? Reflect.apply(patched, this, args) : Reflect.apply(state.inner, this, args);
  };
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  showShimmerMarksOfInner(wrapper, () => state);
  const descriptor = Object.getOwnPropertyDescriptor(target, name);
  const state: WrapperState = { inner: original, wrapper, descriptor, active: true };
  Object.defineProperty(target, name, {
    configurable: true,
    writable: descriptor?.writable ?? true,
    enumerable: descriptor?.enumerable ?? false,
    value: wrapper,
  });
  byWrapper.set(wrapper, state);
  remember(target, name, state);
  return true;
}

interface ShimmerWrapper extends AnyFunction {
  __wrapped: true;
  __original: AnyFunction;
  __unwrap: () => void;
}

/** shimmer's own test (@opentelemetry/instrumentation's `isWrapped`). */
function isShimmerWrapper(candidate: unknown): candidate is ShimmerWrapper {
  const fields = candidate as Partial<ShimmerWrapper> | undefined;
  return (
    typeof candidate === 'function' &&
    typeof fields?.__original === 'function' &&
    typeof fields.__unwrap === 'function' &&
    fields.__wrapped === true
  );
}

/** Our wrapper's shimmer marks: those of the shimmer wrapper directly beneath it, if there is one. */
function showShimmerMarksOfInner(wrapper: AnyFunction, state: () => WrapperState): void {
  const beneath = (): ShimmerWrapper | undefined => {
    const inner = state().inner;
    return isShimmerWrapper(inner) ? inner : undefined;
  };
  Object.defineProperties(wrapper, {
    __wrapped: { configurable: true, get: () => (beneath() === undefined ? undefined : true) },
    __original: { configurable: true, get: () => beneath()?.__original },
    __unwrap: {
      configurable: true,
      get: () =>
        beneath() === undefined
          ? undefined
          : () => {
              const shimmer = beneath();
              if (shimmer !== undefined) state().inner = shimmer.__original;
            },
    },
  });
}

function remember(target: object, name: PropertyKey, state: WrapperState): void {
  let methods = byTarget.get(target);
  if (methods === undefined) {
    methods = new Map();
    byTarget.set(target, methods);
  }
  methods.set(name, state);
}

/**
 * Undoes {@link wrapMethod}: where our wrapper still is the method, the property is put back as it
 * was; where someone wrapped over ours, ours stays in their chain, switched off, so their wrapper
 * keeps working and ours records nothing.
 */
export function unwrapMethod(target: object, name: PropertyKey): void {
  const state = byTarget.get(target)?.get(name);
  if (state === undefined) return;
  state.active = false;
  byTarget.get(target)?.delete(name);
  if ((target as Record<PropertyKey, unknown>)[name] !== state.wrapper) return;
  if (state.descriptor === undefined) delete (target as Record<PropertyKey, unknown>)[name];
  else Object.defineProperty(target, name, { ...state.descriptor, value: state.inner });
}
