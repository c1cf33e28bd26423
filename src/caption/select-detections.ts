/** Which detections the alt-text may state: per-class thresholds, agreement with the classifier, and its veto on people. */
import type { Hierarchy } from '../bundle/hierarchy.js';
import type { Detection } from '../models/detector.js';
import { PERSON_ID } from './describe-scene.js';
import rules from './evidence-rules.json' with { type: 'json' };

const CLASS_THRESHOLDS: Record<string, number> = rules.class_thresholds;

/** The score a detection of this class needs on its own. */
export function thresholdFor(id: string): number {
  return CLASS_THRESHOLDS[id] ?? rules.default_threshold;
}

/** The classifier's probability for a WordNet concept (0 when its hierarchy lacks it). */
function classifierScore(hierarchy: Hierarchy, concepts: Float64Array, id: string): number {
  const node = hierarchy.ids.indexOf(id);
  return node < 0 ? 0 : concepts[node]!;
}

/** The detections confident enough to state, given the classifier's concept scores for the same image. */
export function selectDetections(detections: readonly Detection[], hierarchy: Hierarchy, concepts: Float64Array): Detection[] {
  const animal = classifierScore(hierarchy, concepts, rules.animal);
  return detections.filter((d) => {
    if (d.id === PERSON_ID && animal >= rules.animal_veto_from && d.score < rules.person_veto_below) return false;
    if (d.score >= thresholdFor(d.id)) return true;
    return d.score >= rules.agreement_threshold && classifierScore(hierarchy, concepts, d.id) >= rules.classifier_agrees_from;
  });
}
