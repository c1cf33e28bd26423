/** Write the load photo set (bench/kit/photo-set.ts, the vegeta runner's 8 photos) where k6/imgsense.ts opens them: `npm run k6:photos [DIR]`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPhotoSet } from '../bench/kit/photo-set.js';

const dir = process.argv[2] ?? join('k6', 'photos');
mkdirSync(dir, { recursive: true });
for (const photo of await loadPhotoSet()) writeFileSync(join(dir, photo.name), photo.bytes);
console.log(`k6-photos: the load photo set -> ${dir}`);
