/** The manifest types, derived from the generated view of models/manifest.schema.json (the authority, checked at load). */
import type { ManifestDocument } from '../generated/manifest.js';

export type Manifest = ManifestDocument;
export type ManifestInput = Manifest['input'];
export type ResizeRule = ManifestInput['resize'];
export type Interpolation = ManifestInput['interpolation'];
export type HierarchyNode = NonNullable<Manifest['hierarchy']>['nodes'][number];

/** The input geometry a model needs: what the resize stage consumes. */
export type InputSpec = Pick<ManifestInput, 'height' | 'width' | 'resize' | 'interpolation'>;
