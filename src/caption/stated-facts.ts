/** What the alt-text states, from what the models found: claims by kind, held claims, basic-level words (caption-image.ts calls it). */
import type { Hierarchy } from '../bundle/hierarchy.js';
import type { Detection } from '../models/detector.js';
import type { Face } from '../models/face-detector.js';
import { tooAbstractConcepts, tooAbstractToHedge } from './abstract-concepts.js';
import { basicLevelLabel } from './basic-level.js';
import { detectionsByKind, labelByKind, type ClaimKind } from './claims-by-kind.js';
import { sceneFacts, type SceneFacts } from './describe-scene.js';
import type { HedgedLabel } from './hedge.js';
import { holdDetections, holdLabel } from './hold-claims.js';
import { sceneSaysMore, type PlaceScene } from './place-scene.js';

/** The root as a label: nothing said. */
function rootLabel(hierarchy: Hierarchy): HedgedLabel {
  const id = hierarchy.ids[hierarchy.root]!;
  return { id, name: hierarchy.names[hierarchy.root]!, score: 1, path: [id], isRoot: true };
}

/**
 * What the alt-text states: the response keeps the model's hedged label and objects, the sentence only the claims that
 * hold their measured precision and their kind of image's band (claims-by-kind.ts), a concept above the model's classes
 * as its basic-level word (people counted from the person boxes and the faces), and the photo's scene where it
 * says more than the label stated.
 */
export function statedFacts(
  detections: readonly Detection[],
  faces: readonly Face[],
  label: HedgedLabel,
  hierarchy: Hierarchy,
  concepts: Float64Array,
  claims: 'held' | 'all' | 'raw' | undefined,
  place: PlaceScene | undefined,
  claimKind: ClaimKind,
): SceneFacts {
  const tooAbstract = tooAbstractConcepts(hierarchy);
  const [raw, held] = [claims === 'raw', claims === 'held'];
  const hedged = tooAbstractToHedge(hierarchy).has(label.id) ? rootLabel(hierarchy) : label;
  const heldLabel = held ? holdLabel(hedged, hierarchy, concepts, tooAbstract) : hedged;
  const byKind = labelByKind(heldLabel, claimKind, hierarchy, concepts);
  // A label that is a detected object's own class stays as the detector names it ("domestic cat" is COCO's cat): said
  // as its basic-level word ("cat", the feline family) it no longer agrees with the object, and the weaker sentence led.
  const named = detections.some((d) => d.id === byKind.id);
  const stated = raw ? label : named ? byKind : basicLevelLabel(byKind, hierarchy, concepts);
  const scene = place && sceneSaysMore(place, stated, hierarchy, tooAbstract) ? place : undefined;
  const heldObjects = held ? holdDetections(detections, hierarchy, tooAbstract) : detections;
  const objects = raw ? detections : detectionsByKind(heldObjects, claimKind, hierarchy, byKind.isRoot ? [] : byKind.path);
  // An object said by a broader word is refined only by a label under its detected class: a horse said as "an animal"
  // must not become the label's "dog"; a dog said as "an animal" may.
  const renamedFrom = detections.filter((d) => objects.some((o) => o !== d && o.box === d.box));
  const disagrees = renamedFrom.some((d) => !stated.path.includes(d.id));
  return sceneFacts(objects, disagrees ? rootLabel(hierarchy) : stated, tooAbstract, scene, faces);
}
