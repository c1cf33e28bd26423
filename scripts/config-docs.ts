/** The README's configuration table and the Helm chart's env block, rendered from src/config-table.ts (`npm run gen:config`). */
import { CONFIG_GROUPS, CONFIG_TABLE, ENV_PREFIX, type SettingRow } from '../src/config-table.js';

export interface GeneratedBlock {
  readonly path: string;
  readonly begin: string;
  readonly end: string;
  render(): string;
}

const rows: readonly SettingRow[] = CONFIG_TABLE;
const cell = (text: string) => text.replace(/\|/g, '\\|');
const thousands = (value: number) => (Number.isInteger(value) && Math.abs(value) >= 10_000 ? value.toLocaleString('en-US') : String(value));

function defaultOf(row: SettingRow): string {
  if (row.defaultDoc) return row.defaultDoc;
  if (row.default === undefined) return '(none)';
  return row.type === 'text' || row.type === 'enum' ? `\`${row.default}\`` : String(row.default);
}

function rangeOf(row: SettingRow): string {
  switch (row.type) {
    case 'int':
      return `integer ${thousands(row.min!)}–${thousands(row.max!)}`;
    case 'number':
      return `${thousands(row.min!)}–${thousands(row.max!)}`;
    case 'bool':
      return '`true`, `false`';
    case 'enum':
      return row.values!.map((value) => `\`${value}\``).join(', ');
    case 'origins':
      return 'comma-separated origins';
    case 'hosts':
      return 'comma-separated hosts';
    default:
      return 'text';
  }
}

/** One table per group: variable (old name), default, range, meaning. */
export function readmeTable(): string {
  const out: string[] = [];
  for (const [group, title] of Object.entries(CONFIG_GROUPS)) {
    const members = rows.filter((row) => row.group === group);
    if (members.length === 0) continue;
    out.push(`**${title}**`, '', '| variable | default | values | meaning |', '| --- | --- | --- | --- |');
    for (const row of members)
      out.push(`| \`${ENV_PREFIX}${row.name}\` | ${cell(defaultOf(row))} | ${cell(rangeOf(row))} | ${cell(row.doc)} |`);
    out.push('');
  }
  return out.join('\n');
}

/** Variables the chart's templates set from other values (shutdown.*, apiKeys.*, the container port). */
const SET_BY_CHART = new Set(['PORT', 'SHUTDOWN_GRACE_MS', 'SHUTDOWN_TIMEOUT_MS', 'API_KEYS_FILE']);

const wrap = (text: string, indent: string, width = 118): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + word.length + 3 > width) {
      lines.push(`${indent}# ${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(`${indent}# ${line}`);
  return lines;
};

/** The chart's env values: the rows the chart sets, and every other variable commented out at its default. */
export function helmEnv(): string {
  const out: string[] = [];
  for (const [group, title] of Object.entries(CONFIG_GROUPS)) {
    const members = rows.filter((row) => row.group === group && !SET_BY_CHART.has(row.name));
    if (members.length === 0) continue;
    out.push(`  # ${title}`);
    for (const row of members) {
      if (row.helm) out.push(...wrap(row.helm.why, '  '), `  ${ENV_PREFIX}${row.name}: ${JSON.stringify(row.helm.value)}`);
      else out.push(`  # ${ENV_PREFIX}${row.name}: ${row.default === undefined ? '""' : JSON.stringify(String(row.default))}`);
    }
  }
  return out.join('\n');
}

export const BLOCKS: readonly GeneratedBlock[] = [
  {
    path: 'README.md',
    begin: '<!-- config:begin: generated from src/config-table.ts by `npm run gen:config`; edit the table, not this block -->',
    end: '<!-- config:end -->',
    render: readmeTable,
  },
  {
    path: 'deploy/helm/imgsense/values.yaml',
    begin: '  # config:begin: generated from src/config-table.ts by `npm run gen:config`; edit the table, not this block',
    end: '  # config:end',
    render: helmEnv,
  },
];

/** The text with the block between its markers replaced; throws when the markers are missing. */
export function withBlock(text: string, block: GeneratedBlock): string {
  const start = text.indexOf(block.begin);
  const end = text.indexOf(block.end, start);
  if (start < 0 || end < 0) throw new Error(`${block.path}: the markers of the generated configuration block are missing`);
  return `${text.slice(0, start + block.begin.length)}\n${block.render()}\n${text.slice(end)}`;
}
