/** Reading environment variables by their rows of the configuration table: prefixed or old names, typed, range-checked. */
import { isIP } from 'node:net';
import { CONFIG_TABLE, ENV_PREFIX, settingRow, type SettingName, type SettingRow } from './config-table.js';

export type Env = Record<string, string | undefined>;
const HOST_ENTRY = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;
/** An allow-list entry as URL parsing writes the host (lower case; ::ffff:127.0.0.1 is [::ffff:7f00:1]) and its port, if any. */
function urlHost(entry: string): string | undefined {
  const wildcard = entry.startsWith('*.') ? '*.' : '';
  const rest = entry.slice(wildcard.length).toLowerCase();
  if (!HOST_ENTRY.test(rest)) return undefined;
  try {
    const url = new URL(`http://${rest}`);
    return wildcard + url.hostname + (url.port ? `:${url.port}` : '');
  } catch {
    return undefined;
  }
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

const BOOLEANS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

function isOrigin(entry: string): boolean {
  try {
    const url = new URL(entry);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry;
  } catch {
    return false;
  }
}

type Row<N extends SettingName> = Extract<(typeof CONFIG_TABLE)[number], { name: N }>;
type ValueOf<R> = R extends { type: 'int' | 'number' }
  ? number
  : R extends { type: 'bool' }
    ? boolean
    : R extends { type: 'enum'; values: readonly (infer V)[] }
      ? V
      : R extends { type: 'origins' | 'hosts' | 'proxies' }
        ? string[]
        : string;
/** A variable's parsed type: undefined where it has no default and is unset (lists are empty instead). */
type Read<N extends SettingName> =
  Row<N> extends { default: unknown } | { type: 'origins' | 'hosts' | 'proxies' } ? ValueOf<Row<N>> : ValueOf<Row<N>> | undefined;

/** The comma-separated list types: each entry parsed (undefined: bad), and what a good entry is. */
const LISTS = {
  origins: { parse: (entry: string) => (isOrigin(entry) ? entry : undefined), what: 'an origin (scheme://host[:port])' },
  hosts: { parse: urlHost, what: 'a host name or IP literal' },
  proxies: {
    parse: (entry: string) => (PROXY_NAMES.includes(entry) || isProxyRange(entry) ? entry : undefined),
    what: `an IP address, CIDR range or ${PROXY_NAMES.join(' / ')}`,
  },
} as const;

const listOf = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

/** Reads each variable by its row of the table: the prefixed name first, then the old bare name. */
export class Reader {
  readonly problems: string[] = [];
  /** Every value returned, by name: the effective configuration. */
  readonly values = new Map<SettingName, unknown>();
  constructor(private readonly env: Env) {}

  /** The raw value and the name it was found under (undefined when unset or empty). */
  private raw(name: SettingName): { raw?: string; as: string } {
    const prefixed = ENV_PREFIX + name;
    if (this.env[prefixed] !== undefined && this.env[prefixed] !== '') return { raw: this.env[prefixed], as: prefixed };
    if (this.env[name] !== undefined && this.env[name] !== '') return { raw: this.env[name], as: name };
    return { as: prefixed };
  }

  get<N extends SettingName>(name: N): Read<N> {
    const value = this.parse(name);
    this.values.set(name, value);
    return value;
  }

  private parse<N extends SettingName>(name: N): Read<N> {
    const row: SettingRow = settingRow(name);
    const { raw, as } = this.raw(name);
    if (row.type in LISTS) return this.list(row, raw, as) as Read<N>;
    if (raw === undefined) return row.default as Read<N>;
    const value = parseValue(row, raw);
    if (value === undefined) this.problems.push(`${as}=${JSON.stringify(raw)}: expected ${expected(row)}`);
    return (value ?? row.default) as Read<N>;
  }

  private list(row: SettingRow, raw: string | undefined, as: string): string[] {
    const entries = listOf(raw);
    const parsed = entries.map(LISTS[row.type as keyof typeof LISTS].parse);
    const bad = entries.filter((_entry, i) => parsed[i] === undefined);
    if (bad.length > 0)
      this.problems.push(
        `${as}: ${bad.map((entry) => JSON.stringify(entry)).join(', ')} not ${LISTS[row.type as keyof typeof LISTS].what}`,
      );
    return parsed.filter((entry) => entry !== undefined);
  }
}

/** A raw value parsed by its row; undefined when it is out of type or range. */
function parseValue(row: SettingRow, raw: string): number | boolean | string | undefined {
  const inRange = (value: number) => value >= (row.min ?? -Infinity) && value <= (row.max ?? Infinity);
  switch (row.type) {
    case 'int': {
      const value = Number(raw);
      return /^-?\d+$/.test(raw.trim()) && Number.isSafeInteger(value) && inRange(value) ? value : undefined;
    }
    case 'number': {
      const value = Number(raw);
      return raw.trim() !== '' && Number.isFinite(value) && inRange(value) ? value : undefined;
    }
    case 'bool':
      return BOOLEANS[raw.trim().toLowerCase()];
    case 'enum':
      return row.values!.includes(raw) ? raw : undefined;
    default:
      return raw;
  }
}

function expected(row: SettingRow): string {
  if (row.type === 'int') return `an integer in [${row.min}, ${row.max}]`;
  if (row.type === 'number') return `a number in [${row.min}, ${row.max}]`;
  if (row.type === 'bool') return 'true or false';
  return `one of ${row.values!.join(', ')}`;
}

/** The table's variables set under their old bare names (without IMGSENSE_), each once. */
export function legacyNamesIn(env: Env = process.env): string[] {
  return CONFIG_TABLE.map((row) => row.name).filter(
    (name) => env[name] !== undefined && env[name] !== '' && (env[ENV_PREFIX + name] ?? '') === '',
  );
}

const REDACTED = '(redacted)';

/** Each variable under its prefixed name with the value in force (secrets redacted; null: unset, no default). */
export function effectiveSettings(
  values: ReadonlyMap<string, unknown>,
  rows: readonly SettingRow[] = CONFIG_TABLE,
): Readonly<Record<string, unknown>> {
  return Object.freeze(
    Object.fromEntries(
      rows.map(({ name, secret }) => {
        const value = values.get(name) ?? null;
        return [ENV_PREFIX + name, secret && value !== null ? REDACTED : value];
      }),
    ),
  );
}
