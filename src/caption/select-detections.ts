/** Which detections the alt-text may state: people by a mention and a count threshold, faces by theirs, other classes by their thresholds or agreement. */
import type { Hierarchy } from '../bundle/hierarchy.js';
import type { Box, Detection, PostProcess } from '../models/detector.js';
import type { Face } from '../models/face-detector.js';
import { PERSON_ID } from './describe-scene.js';
import { apiKind } from './fold-kind.js';
import type { ImageKind } from './image-kind.js';
import rules from './evidence-rules.json' with { type: 'json' };

const CLASS_THRESHOLDS: Record<string, number> = rules.class_thresholds;

/** The detector post-processing the caption use case asks for (it replaces the manifest's defaults). */
export const CAPTION_POSTPROCESS: Partial<PostProcess> = {
  scoreThreshold: rules.nms.score_threshold,
  iouThreshold: rules.nms.iou_threshold,
  maxDetections: rules.nms.max_detections,
  nms: rules.nms.nms as PostProcess['nms'],
};

/** The score a detection of a non-person class needs on its own. */
export function thresholdFor(id: string): number {
  return CLASS_THRESHOLDS[id] ?? rules.default_threshold;
}

/** The classifier's probability for a WordNet concept (0 when its hierarchy lacks it). */
function classifierScore(hierarchy: Hierarchy, concepts: Float64Array, id: string): number {
  const node = hierarchy.ids.indexOf(id);
  return node < 0 ? 0 : concepts[node]!;
}

/** The best person's score that mentions people, and the animal probability that vetoes them, for an image of this kind (a painting or a map is a drawing here). */
function mentionRules(kind: ImageKind | undefined): { mentionFrom: number; animalVetoFrom: number } {
  // A drawn person scores lower with the photo-trained detector, and a drawn animal lower with the classifier.
  return kind && apiKind(kind, false) === 'drawing'
    ? { mentionFrom: rules.people_in_drawings.mention_from, animalVetoFrom: rules.people_in_drawings.animal_veto_from }
    : { mentionFrom: rules.people.mention_from, animalVetoFrom: rules.animal_veto_from };
}

/** People to count: none unless the best one is sure enough (or two corroborate) and no confident animal contradicts them. */
function people(persons: readonly Detection[], animal: number, kind: ImageKind | undefined): Detection[] {
  const { mentionFrom, animalVetoFrom } = mentionRules(kind);
  const best = Math.max(0, ...persons.map((d) => d.score));
  const corroborated = persons.filter((d) => d.score >= rules.people.two_from).length >= 2;
  if (best < mentionFrom && !corroborated) return [];
  if (animal >= animalVetoFrom && best < rules.person_veto_below) return [];
  // So many candidates are a crowd, most of it too small or hidden to score high: every candidate counts.
  if (persons.length >= rules.people.crowd_from) return [...persons];
  return persons.filter((d) => d.score >= rules.people.count_from);
}

/** The detections confident enough to state, given the classifier's concept scores and (when known) the image's kind. */
export function selectDetections(
  detections: readonly Detection[],
  hierarchy: Hierarchy,
  concepts: Float64Array,
  kind?: ImageKind,
): Detection[] {
  const animal = classifierScore(hierarchy, concepts, rules.animal);
  const things = detections.filter((d) => {
    if (d.id === PERSON_ID) return false;
    if (d.score >= thresholdFor(d.id)) return true;
    return d.score >= rules.agreement_threshold && classifierScore(hierarchy, concepts, d.id) >= rules.classifier_agrees_from;
  });
  return [
    ...people(
      detections.filter((d) => d.id === PERSON_ID),
      animal,
      kind,
    ),
    ...things,
  ];
}

/** Whether the centre of a face lies inside a box. */
function holds(box: Box, face: Face): boolean {
  const [cx, cy] = [face.box.x + face.box.width / 2, face.box.y + face.box.height / 2];
  return cx >= box.x && cx <= box.x + box.width && cy >= box.y && cy <= box.y + box.height;
}

/** The middling faces that a person candidate vouches for: each box one face, and none in a box that holds a sure face already. */
function vouchedFaces(faces: readonly Face[], candidates: readonly Detection[]): Face[] {
  const sure = faces.filter((f) => f.score >= rules.faces.count_from);
  const free = candidates.filter((d) => d.id === PERSON_ID && d.score >= rules.faces.person_box_from && !sure.some((f) => holds(d.box, f)));
  const vouched: Face[] = [];
  for (const face of faces.filter((f) => f.score < rules.faces.count_from && f.score >= rules.faces.with_person_from)) {
    const at = free.findIndex((d) => holds(d.box, face));
    if (at < 0) continue;
    free.splice(at, 1);
    vouched.push(face);
  }
  return vouched;
}

/**
 * The faces that count people: a face scoring rules.faces.count_from or more is evidence of a person on its own, and
 * one scoring rules.faces.with_person_from or more is too where its centre lies in a person candidate scoring
 * rules.faces.person_box_from or more that holds no other counted face (two weak models agreeing on one person); the
 * people said are the larger of these and the detector's count (describe-scene.ts). The detector's animal veto applies
 * to faces too: where the classifier is sure of an animal and the detector counted no one, faces count no one, for an
 * animal's face (a monkey's, a squirrel's) can be a face to the face detector.
 */
export function selectFaces(
  faces: readonly Face[],
  hierarchy: Hierarchy,
  concepts: Float64Array,
  detectorPeople: number,
  candidates: readonly Detection[] = [],
): Face[] {
  if (detectorPeople === 0 && classifierScore(hierarchy, concepts, rules.animal) >= rules.animal_veto_from) return [];
  return [...faces.filter((f) => f.score >= rules.faces.count_from), ...vouchedFaces(faces, candidates)];
}
