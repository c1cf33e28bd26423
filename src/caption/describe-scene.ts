/** The scene's facts from detections (people first, then salient objects) and the hedged label: what the alt-text says, in no language yet. */
import type { Detection } from '../models/detector.js';
import type { Face } from '../models/face-detector.js';
import type { HedgedLabel } from './hedge.js';
import type { PlaceScene } from './place-scene.js';

/** WordNet 3.0 person, individual, someone (the detector's "person" class). */
export const PERSON_ID = 'n00007846';
/** Up to this many people are counted exactly; more are "a group of people". */
export const EXACT_PEOPLE_UP_TO = 5;
/**
 * Objects other than people are said with their number up to this, more as a plural without one ("boats"): the
 * detector misses small and crowded objects, and on the tuning part its one count of 2+ objects said was wrong (3
 * clocks for a tray of coins); people have their own counting rule.
 */
export const EXACT_OBJECTS_UP_TO = 1;
/** Objects named in the one-breath alt-text. */
export const OBJECTS_IN_ALT_TEXT = 2;

/** Bigger, more central and more certain objects first. */
function salience(d: Detection): number {
  const cx = d.box.x + d.box.width / 2;
  const cy = d.box.y + d.box.height / 2;
  const offCentre = Math.hypot(cx - 0.5, cy - 0.5);
  return d.box.width * d.box.height * d.score * (1.2 - offCentre);
}

interface ObjectGroup {
  name: string;
  count: number;
  best: Detection;
}

/** Non-person detections grouped by class, most salient group first. */
function objectGroups(objects: readonly Detection[]): ObjectGroup[] {
  const groups = new Map<string, ObjectGroup>();
  for (const d of [...objects].sort((a, b) => salience(b) - salience(a))) {
    const group = groups.get(d.id);
    if (group) group.count += 1;
    else groups.set(d.id, { name: d.name, count: 1, best: d });
  }
  return [...groups.values()];
}

export interface SceneText {
  alt_text: string;
  description: string;
}

type Box = Detection['box'];

/** One group of objects as said: the detector's class, or the classifier's finer concept under it. */
export interface ObjectFact {
  readonly id: string;
  /** The English name. */
  readonly name: string;
  readonly count: number;
  /** False when the count is not to be said (above EXACT_OBJECTS_UP_TO): a plural without a number. */
  readonly countSaid?: false;
  readonly at: Box;
}

/** What the alt-text says before it is put into any language: one hedged label, people and objects, or where the photo was taken. */
export type SceneFacts =
  | { readonly form: 'label'; readonly label: HedgedLabel; readonly tooAbstract?: ReadonlySet<string>; readonly at?: Box }
  | { readonly form: 'list'; readonly people: number; readonly peopleAt?: Box; readonly objects: readonly ObjectFact[] }
  | { readonly form: 'scene'; readonly scene: PlaceScene };

/** The classifier's label replaces the detector's name of one object when the label lies under that class in WordNet. */
function refined(group: ObjectGroup, label: HedgedLabel | undefined): ObjectFact {
  const finer = group.count === 1 && label && label.path.includes(group.best.id) && label.id !== group.best.id;
  const counted = group.count > EXACT_OBJECTS_UP_TO ? { countSaid: false as const } : {};
  return {
    id: finer ? label.id : group.best.id,
    name: finer ? label.name : group.name,
    count: group.count,
    ...counted,
    at: group.best.box,
  };
}

/** People, from the detector's person boxes and the faces (selected already): the larger count, and where the first is. */
function peopleSeen(persons: readonly Detection[], faces: readonly Face[]): { count: number; at?: Box } {
  const at = persons[0]?.box ?? faces[0]?.box;
  return { count: Math.max(persons.length, faces.length), ...(at ? { at } : {}) };
}

/**
 * Detections (and faces, which count people too) lead when there are any; otherwise the scene, when one is given (a
 * photo's scene that says more than the label: place-scene.ts), else the hedged label alone.
 */
export function sceneFacts(
  detections: readonly Detection[],
  label: HedgedLabel,
  tooAbstract?: ReadonlySet<string>,
  scene?: PlaceScene,
  faces: readonly Face[] = [],
): SceneFacts {
  const people = peopleSeen(
    detections.filter((d) => d.id === PERSON_ID),
    faces,
  );
  const groups = objectGroups(detections.filter((d) => d.id !== PERSON_ID));
  if (people.count === 0 && groups.length === 0)
    return scene ? { form: 'scene', scene } : { form: 'label', label, ...(tooAbstract ? { tooAbstract } : {}) };
  // The classifier only names a subject it agrees with; with people in view, it never names them.
  const subject = people.count === 0 ? label : undefined;
  const sole = groups.length === 1 && groups[0]!.count === 1 ? groups[0]! : undefined;
  if (subject && sole && subject.path.includes(sole.best.id) && !tooAbstract?.has(subject.id) && !subject.isRoot) {
    // One object, and the classifier agrees at the same or a finer concept: its hedged sentence says it best.
    return { form: 'label', label: subject, ...(tooAbstract ? { tooAbstract } : {}), at: sole.best.box };
  }
  return {
    form: 'list',
    people: people.count,
    ...(people.at ? { peopleAt: people.at } : {}),
    objects: groups.map((g) => refined(g, subject)),
  };
}
