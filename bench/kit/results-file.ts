/** Where a measurement run's record goes: one indented JSON file, named after what ran and when. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** `dir/<kind>-<at with colons as dashes>.json`, the name every results folder uses. */
export function resultPath(dir: string, kind: string, at: string): string {
  return join(dir, `${kind}-${at.replaceAll(':', '-')}.json`);
}

/** Write `record` as indented JSON with a final newline, creating the folder; returns the path. */
export async function writeResultFile(file: string, record: unknown): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
