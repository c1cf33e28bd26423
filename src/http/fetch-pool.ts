/** Outbound fetches per client: each client's image-URL fetches wait their turn for a few connections of its own. */

/** Runs a client's fetches at most `perClient` at once, FIFO; other clients' fetches never wait behind them. */
export interface FetchPool {
  run<T>(client: string, fetch: () => Promise<T>): Promise<T>;
}

/** A pool allowing `perClient` concurrent fetches per client key. */
export function createFetchPool(perClient: number): FetchPool {
  const clients = new Map<string, { active: number; waiting: (() => void)[] }>();
  const leave = (client: string) => {
    const state = clients.get(client)!;
    const next = state.waiting.shift();
    if (next) return next();
    state.active -= 1;
    if (state.active === 0) clients.delete(client);
  };
  return {
    async run(client, fetch) {
      let state = clients.get(client);
      if (!state) {
        state = { active: 0, waiting: [] };
        clients.set(client, state);
      }
      if (state.active < perClient) state.active += 1;
      else await new Promise<void>((resolve) => state.waiting.push(resolve));
      try {
        return await fetch();
      } finally {
        leave(client);
      }
    },
  };
}
