/** Process entry: config (`--print-config` prints it and exits; old variable names warned), start, and graceful shutdown on SIGTERM/SIGINT. */
import { pino } from 'pino';
import { ENV_PREFIX } from './config-table.js';
import { ConfigError, legacyNamesIn, loadConfig, type Config } from './config.js';
import { startServer } from './server.js';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  if (process.argv.includes('--print-config')) {
    process.stdout.write(`${JSON.stringify({ settings: config.settings, serving: config.serving }, null, 2)}\n`);
    process.exit(0);
  }
  const log = pino({ level: config.logLevel });
  for (const name of legacyNamesIn(process.env)) {
    log.warn(
      { variable: name, rename_to: ENV_PREFIX + name },
      'configuration variable without the IMGSENSE_ prefix: accepted in this release only',
    );
  }
  const running = await startServer(config, log).catch((error: unknown) => {
    log.fatal({ err: error }, 'start-up failed');
    process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    running.drain({ graceMs: config.shutdownGraceMs }).then(
      (clean) => process.exit(clean ? 0 : 1),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => running.reloadApiKeys());
}

void main();
