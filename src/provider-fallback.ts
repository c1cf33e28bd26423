/** The requested execution provider against the one each model got: a warning by default, a refusal to start when strict. */
import type { ModelRuntimeStatus } from './runtime/inference-pool.js';
import { diagnoseProviderLibrary } from './runtime/provider-library.js';

type ProviderStatus = Pick<ModelRuntimeStatus, 'name' | 'provider' | 'requested_provider' | 'fallback_reason'>;

/** One sentence per model that runs on another provider than the one requested (empty when every model got it). */
export function providerFallbacks(models: readonly ProviderStatus[]): string[] {
  return models
    .filter(({ provider, requested_provider }) => provider !== requested_provider)
    .map(
      ({ name, provider, requested_provider, fallback_reason }) =>
        `${name}: ${requested_provider} requested, running on ${provider}${fallback_reason ? ` (${fallback_reason})` : ''}`,
    );
}

/** The loader's diagnosis for the provider the fallen-back models asked for (undefined when none fell back or nothing to add). */
export function fallbackDiagnosis(models: readonly ProviderStatus[]): string | undefined {
  const fallen = models.find(({ provider, requested_provider }) => provider !== requested_provider);
  return fallen && diagnoseProviderLibrary(fallen.requested_provider);
}

/** The statuses with a diagnosis appended to each fallback reason. */
export function withDiagnosis<T extends ProviderStatus>(models: readonly T[], diagnosis: string | undefined): T[] {
  if (!diagnosis) return [...models];
  return models.map((model) =>
    model.provider === model.requested_provider
      ? model
      : { ...model, fallback_reason: [model.fallback_reason, diagnosis].filter(Boolean).join(': ') },
  );
}

/** EXECUTION_PROVIDER_STRICT is set and some model could not use the requested provider; the message names why. */
export class ProviderUnavailableError extends Error {
  constructor(readonly fallbacks: readonly string[]) {
    super(`EXECUTION_PROVIDER_STRICT: the requested execution provider cannot be used: ${fallbacks.join('; ')}`);
    this.name = 'ProviderUnavailableError';
  }
}
