/**
 * Photos stored sideways. A camera that wrote no orientation, or a tool that turned the pixels and left the tag at 1,
 * leaves people lying on their side, and the detectors miss them. When the upright look counted nobody in an opaque
 * photo, the detectors look at it turned a quarter turn each way; the turn that shows people by the same rules (the
 * most, the first on a tie) is the one the caption is made from (docs/alt-text-quality.md, photos stored sideways).
 */
import type { Hierarchy } from '../bundle/hierarchy.js';
import type { QuarterTurn } from '../image/decode.js';
import type { ImageSource } from '../image/image-source.js';
import { boxBeforeTurn, turnRaw } from '../image/turn.js';
import type { Detection } from '../models/detector.js';
import type { Face } from '../models/face-detector.js';
import { predictEach, type ServedModel } from '../models/served-model.js';
import { labelPhrase } from './compose-alt-text.js';
import { PERSON_ID, type SceneFacts } from './describe-scene.js';
import rules from './evidence-rules.json' with { type: 'json' };
import { selectDetections, selectFaces } from './select-detections.js';

/** The turns tried: a quarter clockwise, then a quarter counter-clockwise (upside down is rarer and not tried). */
export const SIDEWAYS_TURNS: readonly QuarterTurn[] = [90, 270];

/** The strongest sign of a person in the upright look that did not count one: the best person candidate and face. */
export interface PersonTrace {
  readonly person: number;
  readonly face: number;
}

/** The upright look's trace of a person: its best person candidate's score and best face's (0 where none). */
export function personTrace(candidates: readonly Detection[], faces: readonly Face[]): PersonTrace {
  return {
    person: Math.max(0, ...candidates.filter((d) => d.id === PERSON_ID).map((d) => d.score)),
    face: Math.max(0, ...faces.map((f) => f.score)),
  };
}

/**
 * True when the upright look is one a sideways look might improve: an opaque photo of which it says only a label, and
 * not a sure one (no person, no object the detector found, no scene but the scene head's, which stands only in place
 * of a fallback), and in which the detectors saw a trace of a person they did not count (a person lying on their side
 * still scores a weak box or face). A sure label or a detected object says the models already make sense of the photo
 * as stored; the trace keeps the two extra looks off most photos with nobody in them (docs/alt-text-quality.md).
 */
export function mayBeSideways(facts: SceneFacts, kind: string, source: ImageSource, trace: PersonTrace): boolean {
  const unsure =
    (facts.form === 'label' && labelPhrase(facts.label, facts.tooAbstract)?.hedge !== 'Probably') ||
    (facts.form === 'scene' && facts.scene.weak === true);
  const traced = trace.person >= rules.sideways.person_trace_from || trace.face >= rules.sideways.face_trace_from;
  return unsure && traced && kind === 'photo' && source.turn === undefined && source.working.alpha === undefined;
}

/** People counted in one look, as the caption counts them: person boxes or faces, whichever are more. */
function peopleIn(candidates: Detection[], faces: Face[], hierarchy: Hierarchy, concepts: Float64Array): number {
  const persons = selectDetections(candidates, hierarchy, concepts, 'photo').filter((d) => d.id === PERSON_ID).length;
  return Math.max(persons, selectFaces(faces, hierarchy, concepts, persons, candidates).length);
}

/** The turn under which the detectors count people (the upright classifier's concepts weigh the boxes), or undefined. */
export async function sidewaysTurn(
  source: ImageSource,
  models: { detector: ServedModel<Detection[]>; faces?: ServedModel<Face[]> | undefined },
  hierarchy: Hierarchy,
  concepts: Float64Array,
  origin: string,
): Promise<QuarterTurn | undefined> {
  let best: { turn: QuarterTurn; people: number } | undefined;
  for (const turn of SIDEWAYS_TURNS) {
    const image = await turnRaw(source.working, turn);
    const { detector, faces } = models;
    const outputs = await predictEach([detector, ...(faces ? [faces] : [])] as const, image, origin);
    const people = peopleIn(outputs[0] as Detection[], (outputs[1] ?? []) as Face[], hierarchy, concepts);
    if (people > (best?.people ?? 0)) best = { turn, people };
  }
  return best?.turn;
}

type Boxed = { box: { x: number; y: number; width: number; height: number } };

/** The response's boxes (objects, text lines), found on the turned photo, given in the upload's own frame again. */
export function fieldsBeforeTurn<F extends { objects?: Boxed[]; text?: { lines: Boxed[] } }>(fields: F, turn: QuarterTurn): F {
  const back = <T extends Boxed>(item: T): T => ({ ...item, box: boxBeforeTurn(item.box, turn) });
  return {
    ...fields,
    ...(fields.objects ? { objects: fields.objects.map(back) } : {}),
    ...(fields.text ? { text: { ...fields.text, lines: fields.text.lines.map(back) } } : {}),
  };
}
