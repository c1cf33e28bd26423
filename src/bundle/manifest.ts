/** TypeScript view of model.json; models/manifest.schema.json is the authority and is checked at load. */

export interface ResizeShorterSideCenterCrop {
  method: 'shorter_side_center_crop';
  shorter_side: number;
}
export interface ResizeStretch {
  method: 'stretch';
}
export type ResizeRule = ResizeShorterSideCenterCrop | ResizeStretch;
export type Interpolation = 'bilinear' | 'bicubic' | 'nearest';

export interface ManifestInput {
  name: string;
  dtype: 'uint8';
  layout: 'NHWC';
  channels: 'RGB';
  height: number;
  width: number;
  resize: ResizeRule;
  interpolation: Interpolation;
}

export interface HierarchyNode {
  id: string;
  name: string;
  parents: string[];
}

export interface Manifest {
  format_version: 1;
  name: string;
  version: string;
  task: 'caption' | 'nsfw';
  description?: string;
  model_file: string;
  sha256: string;
  input: ManifestInput;
  output: { name: string; dtype: 'float32'; kind: 'probabilities'; temperature: number };
  classes: { id: string; name: string }[];
  hierarchy?: { root: string; nodes: HierarchyNode[] };
  provenance: Record<string, unknown>;
  metrics?: Record<string, unknown>;
}

/** The input geometry a model needs: what the resize stage consumes. */
export interface InputSpec {
  height: number;
  width: number;
  resize: ResizeRule;
  interpolation: Interpolation;
}
