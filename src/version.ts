/** The service's version, read once from package.json (logged at start, exported as imgsense_build_info). */
import { readFileSync } from 'node:fs';
import { projectPath } from './project-root.js';

export const SERVICE_VERSION: string = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string }).version;
