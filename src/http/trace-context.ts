/** W3C Trace Context: the ids of an incoming `traceparent` header, so log lines join the caller's trace. */

// version-traceid-parentid-flags, lower-case hex (https://www.w3.org/TR/trace-context/#traceparent-header).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

export interface TraceIds {
  readonly trace_id: string;
  /** The caller's span: the parent of whatever this request does. */
  readonly parent_span_id: string;
}

/** The trace ids of a `traceparent` value; undefined when absent or invalid (version ff, all-zero ids, bad form). */
export function parseTraceparent(header: string | undefined): TraceIds | undefined {
  const match = header === undefined ? null : TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, , rest] = match;
  // Version 00 has exactly four fields; a later version may append more, which this reader ignores.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId!) || /^0+$/.test(parentId!)) return undefined;
  return { trace_id: traceId!, parent_span_id: parentId! };
}
