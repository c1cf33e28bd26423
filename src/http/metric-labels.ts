/** The HTTP labels of the request metrics: a bounded set of values whatever path or method a client sends. */

// The methods Node's parser accepts are a fixed set, but only these mean anything here; the rest share one label value.
const METHOD_LABELS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The `method` label: the request's method, or OTHER, so the label set stays small whatever a client sends. */
export function methodLabel(method: string): string {
  return METHOD_LABELS.has(method) ? method : 'OTHER';
}

/**
 * The `route` label: the matched route's pattern, never the raw path (a scan of random paths must not make series).
 * A route mounted on several paths (the 405 catch-all, the demo's files) is labelled with the one that matched; a
 * request that matched no route is `unmatched`, told apart only by its `method` label.
 */
export function routeLabel(route: { path?: unknown } | undefined, path: string): string {
  const pattern = route?.path;
  if (typeof pattern === 'string') return pattern;
  if (Array.isArray(pattern)) {
    const canonical = path.length > 1 ? path.replace(/\/$/, '').toLowerCase() : path;
    const matched = pattern.find((candidate) => candidate === canonical);
    if (typeof matched === 'string') return matched;
  }
  return 'unmatched';
}
