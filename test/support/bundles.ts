/** The default serving file's bundle directories (models/serving.json), for tests that load a bundle by itself. */
import { loadConfig } from '../../src/config.js';
import { slotOf } from '../../src/serving.js';

const { serving } = loadConfig({});

/** The bundle directory of a slot of the default serving file. */
export const bundleDir = (slot: string): string => slotOf(serving, slot).bundle;
