/** Why onnxruntime-node could not load an execution provider's library: the runtime's own files, read without loading ORT. */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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
