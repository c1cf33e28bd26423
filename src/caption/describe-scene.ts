/** Compose alt-text and a longer description from detections (people first, then salient objects) and the hedged label. */
import type { Detection } from '../models/detector.js';
import { ALT_TEXT_MAX_CHARS, composeAltText, indefiniteArticle, isMassNoun } from './compose-alt-text.js';
import type { HedgedLabel } from './hedge.js';
import nounForms from './noun-forms.json' with { type: 'json' };

/** WordNet 3.0 person, individual, someone (the detector's "person" class). */
export const PERSON_ID = 'n00007846';
/** Up to this many people are counted exactly; more are "a group of people". */
export const EXACT_PEOPLE_UP_TO = 5;
/** Objects named in the one-breath alt-text. */
export const OBJECTS_IN_ALT_TEXT = 2;

const PLURALS: Record<string, string> = nounForms.plurals;

/** "dog" -> "dogs", "bus" -> "buses", "person" -> "people" (exceptions are data). */
export function plural(name: string): string {
  if (PLURALS[name]) return PLURALS[name];
  if (isMassNoun(name)) return name;
  if (/(s|x|z|ch|sh)$/.test(name)) return `${name}es`;
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}

/** "a dog", "2 dogs", "broccoli" (a mass noun takes no article). */
export function counted(name: string, count: number): string {
  if (isMassNoun(name)) return name;
  return count === 1 ? `${indefiniteArticle(name)} ${name}` : `${count} ${plural(name)}`;
}

function peoplePhrase(count: number): string | undefined {
  if (count === 0) return undefined;
  if (count === 1) return 'a person';
  return count <= EXACT_PEOPLE_UP_TO ? `${count} people` : 'a group of people';
}

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

/** "a", "a and b", "a, b and c". */
function list(phrases: readonly string[]): string {
  if (phrases.length <= 1) return phrases.join('');
  return `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}`;
}

/** "on the left", "in the centre", "at the top right"... from a box centre. */
export function position(box: { x: number; y: number; width: number; height: number }): string {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const col = cx < 1 / 3 ? 'left' : cx > 2 / 3 ? 'right' : '';
  const row = cy < 1 / 3 ? 'top' : cy > 2 / 3 ? 'bottom' : '';
  if (!col && !row) return 'in the centre';
  if (!row) return `on the ${col}`;
  return `at the ${row}${col ? ` ${col}` : ''}`;
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
  readonly at: Box;
}

/** What the alt-text says before it is put into any language: one hedged label, or people and objects. */
export type SceneFacts =
  | { readonly form: 'label'; readonly label: HedgedLabel; readonly tooAbstract?: ReadonlySet<string>; readonly at?: Box }
  | { readonly form: 'list'; readonly people: number; readonly peopleAt?: Box; readonly objects: readonly ObjectFact[] };

/** The classifier's label replaces the detector's name of one object when the label lies under that class in WordNet. */
function refined(group: ObjectGroup, label: HedgedLabel | undefined): ObjectFact {
  const finer = group.count === 1 && label && label.path.includes(group.best.id) && label.id !== group.best.id;
  return { id: finer ? label.id : group.best.id, name: finer ? label.name : group.name, count: group.count, at: group.best.box };
}

function fit(sentence: string): string {
  if (sentence.length <= ALT_TEXT_MAX_CHARS) return sentence;
  const cut = sentence.slice(0, ALT_TEXT_MAX_CHARS - 1);
  return `${cut.slice(0, cut.lastIndexOf(' '))}.`;
}

/** Detections lead when there are any; otherwise the hedged label alone. */
export function sceneFacts(detections: readonly Detection[], label: HedgedLabel, tooAbstract?: ReadonlySet<string>): SceneFacts {
  const people = detections.filter((d) => d.id === PERSON_ID);
  const groups = objectGroups(detections.filter((d) => d.id !== PERSON_ID));
  if (people.length === 0 && groups.length === 0) return { form: 'label', label, ...(tooAbstract ? { tooAbstract } : {}) };
  // The classifier only names a subject it agrees with; with people in view, it never names them.
  const subject = people.length === 0 ? label : undefined;
  const sole = groups.length === 1 && groups[0]!.count === 1 ? groups[0]! : undefined;
  if (subject && sole && subject.path.includes(sole.best.id) && !tooAbstract?.has(subject.id) && !subject.isRoot) {
    // One object, and the classifier agrees at the same or a finer concept: its hedged sentence says it best.
    return { form: 'label', label: subject, ...(tooAbstract ? { tooAbstract } : {}), at: sole.best.box };
  }
  return { form: 'list', people: people.length, ...(people[0] ? { peopleAt: people[0].box } : {}), objects: groups.map((g) => refined(g, subject)) };
}

/** The English alt-text and description of the facts. */
export function sayScene(facts: SceneFacts): SceneText {
  if (facts.form === 'label') {
    const alt = composeAltText(facts.label, facts.tooAbstract);
    return { alt_text: alt, description: facts.at ? `${alt.slice(0, -1)}, ${position(facts.at)}.` : alt };
  }
  const named = facts.objects.map((o) => counted(o.name, o.count));
  const who = peoplePhrase(facts.people);
  const alt = fit(`May be an image of ${list([...(who ? [who] : []), ...named.slice(0, OBJECTS_IN_ALT_TEXT)])}.`);
  const parts = [...(who && facts.peopleAt ? [`${who} ${position(facts.peopleAt)}`] : []), ...facts.objects.map((o, i) => `${named[i]} ${position(o.at)}`)];
  const description = `May be an image of ${list(parts)}.`;
  return { alt_text: alt, description: description.charAt(0).toUpperCase() + description.slice(1) };
}

/** Alt-text and description: detections lead when there are any; otherwise the hedged label alone (or "An image."). */
export function describeScene(detections: readonly Detection[], label: HedgedLabel, tooAbstract?: ReadonlySet<string>): SceneText {
  return sayScene(sceneFacts(detections, label, tooAbstract));
}
