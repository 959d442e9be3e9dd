import { type Context, context } from '@opentelemetry/api';

/*
 * Handlers only queue events; the main loop acts on them later, outside the handler. To keep one message's trace in
 * one piece (bot or webhook → signal → this workflow → its activities → Discord or Twilio), the trace context the
 * signal arrived with is remembered with its inbox item and restored while the loop handles it. Tracing context
 * never reaches commands or history: with tracing off (or on replay) this changes nothing.
 */

const arrivedWith = new WeakMap<object, Context>();

/** Called in a signal handler: remembers the handler's trace context (Temporal's HandleSignal span). */
export function rememberTraceContext(item: object): void {
  arrivedWith.set(item, context.active());
}

/** Runs the handling of an inbox item in the trace context it arrived with, if any. */
export function inTraceContextOf<T>(item: object, handle: () => Promise<T>): Promise<T> {
  const remembered = arrivedWith.get(item);
  return remembered ? context.with(remembered, handle) : handle();
}
