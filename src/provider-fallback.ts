/** The requested execution provider against the one each model got: a warning by default, a refusal to start when strict. */
import type { ModelRuntimeStatus } from './runtime/inference-pool.js';

type ProviderStatus = Pick<ModelRuntimeStatus, 'name' | 'provider' | 'requested_provider' | 'fallback_reason'>;

/** One sentence per model that runs on another provider than the one requested (empty when every model got it). */
export function providerFallbacks(models: readonly ProviderStatus[]): string[] {
  return models
    .filter(({ provider, requested_provider }) => provider !== requested_provider)
    .map(({ name, provider, requested_provider, fallback_reason }) =>
      `${name}: ${requested_provider} requested, running on ${provider}${fallback_reason ? ` (${fallback_reason})` : ''}`);
}

/** EXECUTION_PROVIDER_STRICT is set and some model could not use the requested provider; the message names why. */
export class ProviderUnavailableError extends Error {
  constructor(readonly fallbacks: readonly string[]) {
    super(`EXECUTION_PROVIDER_STRICT: the requested execution provider cannot be used: ${fallbacks.join('; ')}`);
    this.name = 'ProviderUnavailableError';
  }
}
