/** Classifier kinds: the output is already one probability per manifest class (softmax inside the graph). */
import type { ModelKind } from './served-model.js';

/** The caption classifier: WordNet classes with a hierarchy, hedged by the caption use case. */
export const captionClassifier: ModelKind<Float32Array> = { task: 'caption', interpret: (raw) => raw };

/** The NSFW classifier: free class ids, read by the moderation policy. */
export const nsfwClassifier: ModelKind<Float32Array> = { task: 'nsfw', interpret: (raw) => raw };
