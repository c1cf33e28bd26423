/** The requested execution provider against the one each model got: a warning by default, a refusal to start when strict. */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ModelRuntimeStatus } from './runtime/inference-pool.js';

type ProviderStatus = Pick<ModelRuntimeStatus, 'name' | 'provider' | 'requested_provider' | 'fallback_reason'>;

/** One sentence per model that runs on another provider than the one requested (empty when every model got it). */
export function providerFallbacks(models: readonly ProviderStatus[]): string[] {
  return models
    .filter(({ provider, requested_provider }) => provider !== requested_provider)
    .map(({ name, provider, requested_provider, fallback_reason }) =>
      `${name}: ${requested_provider} requested, running on ${provider}${fallback_reason ? ` (${fallback_reason})` : ''}`);
}

/** The loader's diagnosis for the provider the fallen-back models asked for (undefined when none fell back or nothing to add). */
export function fallbackDiagnosis(models: readonly ProviderStatus[]): string | undefined {
  const fallen = models.find(({ provider, requested_provider }) => provider !== requested_provider);
  return fallen && diagnoseProviderLibrary(fallen.requested_provider);
}

/** The statuses with a diagnosis appended to each fallback reason. */
export function withDiagnosis<T extends ProviderStatus>(models: readonly T[], diagnosis: string | undefined): T[] {
  if (!diagnosis) return [...models];
  return models.map((model) => (model.provider === model.requested_provider
    ? model
    : { ...model, fallback_reason: [model.fallback_reason, diagnosis].filter(Boolean).join(': ') }));
}

/** EXECUTION_PROVIDER_STRICT is set and some model could not use the requested provider; the message names why. */
export class ProviderUnavailableError extends Error {
  constructor(readonly fallbacks: readonly string[]) {
    super(`EXECUTION_PROVIDER_STRICT: the requested execution provider cannot be used: ${fallbacks.join('; ')}`);
    this.name = 'ProviderUnavailableError';
  }
}

const PROVIDER_LIBRARIES: Partial<Record<string, string>> = {
  cuda: 'libonnxruntime_providers_cuda.so',
  tensorrt: 'libonnxruntime_providers_tensorrt.so',
};

/**
 * Why onnxruntime-node could not load a provider's library, which ORT's own error leaves out ("Failed to load shared
 * library"): not installed, or the loader's message (a missing libcuda.so.1 is a host with no NVIDIA driver). Undefined
 * when there is nothing to add: another provider, or the library loads and ORT failed later (no device visible).
 */
export function diagnoseProviderLibrary(provider: string): string | undefined {
  const file = PROVIDER_LIBRARIES[provider];
  if (!file || process.platform !== 'linux') return undefined;
  const bin = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json')), 'bin');
  const napi = existsSync(bin) ? readdirSync(bin).find((name) => name.startsWith('napi-v')) : undefined;
  const dir = join(bin, napi ?? 'napi-v6', 'linux', process.arch);
  const path = join(dir, file);
  if (!existsSync(path)) return `${file} is not installed in ${dir} (scripts/install-gpu.sh installs it)`;
  try {
    // Not an addon: a library that loads fails only at registration, which is no diagnosis.
    process.dlopen({ exports: {} }, path);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0]!;
    if (!/self-register/i.test(message)) return message;
  }
  return undefined;
}
