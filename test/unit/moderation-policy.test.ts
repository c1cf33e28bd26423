import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { composeModeration } from '../../src/moderation/compose-moderation.js';
import { ModerationRequestError, modelsNeeded } from '../../src/moderation/moderation-request.js';
import { loadPolicy, parsePolicy, PolicyError, type ModerationPolicy } from '../../src/moderation/policy.js';
import { resolvePolicy, type ModelDescription } from '../../src/moderation/resolve-policy.js';
import { scoreCategories } from '../../src/moderation/score-categories.js';

// A small WordNet-shaped hierarchy. Firearm lies under gun, which also holds cannon; missile is a weapon and a rocket.
// Cup sits under alcohol through punch (as in WordNet 3.0) and is excluded by the policy.
const NODES = [
  ['n00001740', 'entity', []],
  ['n04565375', 'weapon', ['n00001740']],
  ['n03467984', 'gun', ['n04565375']],
  ['n03343853', 'firearm', ['n03467984']],
  ['n03948459', 'pistol', ['n03343853']],
  ['n04099429', 'rocket', ['n00001740']],
  ['n07881800', 'beverage', ['n00001740']],
  ['n07884567', 'alcohol', ['n07881800']],
  ['n07891726', 'wine', ['n07884567']],
  ['n07929519', 'punch', ['n07884567']],
  ['n07929351', 'coffee', ['n07881800']],
  ['n02876657', 'bottle', ['n00001740']],
] as const;
const CLASSES = [
  ['n04090263', 'rifle', 'n03343853'],
  ['n04086273', 'revolver', 'n03948459'],
  ['n02950826', 'cannon', 'n03467984'],
  ['n03773504', 'missile', 'n04099429,n04565375'],
  ['n07892512', 'red wine', 'n07891726'],
  ['n07930864', 'cup', 'n07929519'],
  ['n07920052', 'espresso', 'n07929351'],
  ['n02823428', 'beer bottle', 'n02876657'],
] as const;

const CAPTION: ModelDescription = {
  name: 'tiny-caption',
  version: '3',
  classes: CLASSES.map(([id, name]) => ({ id, name })),
  hierarchy: {
    nodes: [
      ...NODES.map(([id, , parents]) => ({ id, parents: [...parents] })),
      ...CLASSES.map(([id, , parents]) => ({ id, parents: parents.split(',') })),
    ],
  },
};
const NSFW: ModelDescription = {
  name: 'tiny-nsfw',
  version: '7',
  classes: ['drawing', 'hentai', 'neutral', 'porn', 'sexy'].map((id) => ({ id, name: id })),
};

// Dyadic probabilities, so that every sum below is exact in floating point.
const CAPTION_PROBS = Float32Array.from([0.25, 0.125, 0.25, 0.0625, 0.125, 0.0625, 0.0625, 0.0625]);
const NSFW_PROBS = Float32Array.from([0.0625, 0.125, 0.25, 0.5, 0.0625]);

function policyDocument(): Record<string, any> {
  return {
    format_version: 1,
    version: 'test-1',
    parents: [
      { id: 'explicit', name: 'Explicit' },
      { id: 'regulated_goods', name: 'Regulated goods' },
    ],
    categories: [
      {
        id: 'sexual',
        name: 'Sexual content',
        parent: 'explicit',
        source: { model: 'nsfw', classes: ['porn', 'hentai'] },
        threshold: 0.625,
        threshold_bounds: { min: 0.5, max: 0.9 },
      },
      {
        id: 'weapons',
        name: 'Firearms',
        parent: 'regulated_goods',
        source: { model: 'caption', subtrees: [{ id: 'n03343853', name: 'firearm' }] },
        threshold: 0.5,
        threshold_bounds: { min: 0.25, max: 0.75 },
      },
      {
        id: 'alcohol',
        name: 'Alcohol',
        parent: 'regulated_goods',
        source: { model: 'caption', subtrees: [{ id: 'n07884567' }], classes: [{ id: 'n02823428' }], exclude: [{ id: 'n07930864' }] },
        threshold: 0.25,
        threshold_bounds: { min: 0.1, max: 0.5 },
      },
    ],
  };
}

const policy = (): ModerationPolicy => parsePolicy(policyDocument(), 'test-policy.json');
const resolved = () => resolvePolicy(policy(), { nsfw: NSFW, caption: CAPTION });
const scoreOf = (result: ReturnType<typeof scoreCategories>) =>
  Object.fromEntries(result.categories.map((c) => [c.id, [c.score, c.threshold, c.flagged]]));

function writePolicyFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');
  writeFileSync(file, content);
  return file;
}

function rejectsWith(fn: () => unknown, problem: string, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ModerationRequestError);
    assert.equal(error.problem, problem);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('resolving categories against the models', () => {
  it('when a subtree is firearm, then rifle and revolver count and cannon and missile do not', () => {
    const weapons = resolved().categories.find((c) => c.id === 'weapons')!;
    assert.deepEqual(weapons.classIds, ['n04090263', 'n04086273']);
  });

  it('when alcohol lists a subtree, a class and an exclusion, then wine and beer bottle count and cup does not', () => {
    const alcohol = resolved().categories.find((c) => c.id === 'alcohol')!;
    assert.deepEqual(alcohol.classIds, ['n07892512', 'n02823428']);
  });

  it('when the nsfw category names classes, then their output indices are used', () => {
    assert.deepEqual([...resolved().categories[0]!.indices], [3, 1]);
  });

  it('when the caption model is not loaded, then its categories are unsupported, not scored', () => {
    const only = resolvePolicy(policy(), { nsfw: NSFW });
    assert.deepEqual(
      only.categories.map((c) => c.id),
      ['sexual'],
    );
    assert.deepEqual(
      only.unsupported.map((u) => u.id),
      ['weapons', 'alcohol'],
    );
    assert.deepEqual(only.models, [{ kind: 'nsfw', name: 'tiny-nsfw', version: '7' }]);
    const result = scoreCategories(only, { nsfw: NSFW_PROBS });
    assert.deepEqual(
      result.categories.map((c) => c.id),
      ['sexual'],
    );
  });

  it("when the caption model has none of a category's classes, then that category is unsupported with a reason", () => {
    const other = { ...CAPTION, classes: [{ id: 'n07920052', name: 'espresso' }] };
    const result = resolvePolicy(policy(), { nsfw: NSFW, caption: other });
    assert.deepEqual(result.unsupported, [
      { id: 'weapons', reason: 'tiny-caption has none of its classes' },
      { id: 'alcohol', reason: 'tiny-caption has none of its classes' },
    ]);
  });

  it('when the policy sums an nsfw class the model lacks, then resolution fails naming the class and the file', () => {
    const document = policyDocument();
    document.categories[0].source.classes = ['porn', 'nude'];
    const bad = parsePolicy(document, 'bad.json');
    assert.throws(() => resolvePolicy(bad, { nsfw: NSFW }, 'bad.json'), /moderation policy bad.json: .*'nude', which tiny-nsfw lacks/);
  });
});

describe('scoring categories', () => {
  it('sums the probabilities of each category and flags a score that reaches its threshold', () => {
    const result = scoreCategories(resolved(), { nsfw: NSFW_PROBS, caption: CAPTION_PROBS });
    assert.deepEqual(scoreOf(result), {
      sexual: [0.625, 0.625, true],
      weapons: [0.375, 0.5, false],
      alcohol: [0.1875, 0.25, false],
    });
    assert.equal(result.flagged, true);
    assert.deepEqual(result.categories[1], {
      id: 'weapons',
      name: 'Firearms',
      parent: 'regulated_goods',
      score: 0.375,
      threshold: 0.5,
      flagged: false,
    });
  });

  it('when no category reaches its threshold, then the image is not flagged', () => {
    const calm = Float32Array.from([0.5, 0, 0.5, 0, 0]);
    const result = scoreCategories(resolved(), { nsfw: calm, caption: CAPTION_PROBS });
    assert.equal(result.flagged, false);
    assert.equal(result.categories[0]!.score, 0);
  });

  it('when the request names a subset, then only those come back, in policy order', () => {
    const result = scoreCategories(resolved(), { nsfw: NSFW_PROBS, caption: CAPTION_PROBS }, { categories: ['alcohol', 'weapons'] });
    assert.deepEqual(
      result.categories.map((c) => c.id),
      ['weapons', 'alcohol'],
    );
    assert.equal(result.flagged, false);
  });

  it('when the request lowers a threshold within bounds, then that threshold decides', () => {
    const outputs = { nsfw: NSFW_PROBS, caption: CAPTION_PROBS };
    const result = scoreCategories(resolved(), outputs, { thresholds: { weapons: 0.25, alcohol: 0.1875, sexual: 0.75 } });
    assert.deepEqual(scoreOf(result), {
      sexual: [0.625, 0.75, false],
      weapons: [0.375, 0.25, true],
      alcohol: [0.1875, 0.1875, true],
    });
  });

  it('accepts thresholds exactly at the bounds', () => {
    const result = scoreCategories(
      resolved(),
      { nsfw: NSFW_PROBS, caption: CAPTION_PROBS },
      { thresholds: { weapons: 0.75, sexual: 0.5 } },
    );
    assert.deepEqual(
      result.categories.map((c) => c.threshold),
      [0.5, 0.75, 0.25],
    );
  });
});

describe('planning and composing the answer', () => {
  it('when only nsfw categories are asked for, then only the nsfw model needs to run', () => {
    assert.deepEqual(modelsNeeded(resolved(), { categories: ['sexual'] }), ['nsfw']);
    assert.deepEqual(modelsNeeded(resolved(), { categories: ['alcohol', 'weapons'] }), ['caption']);
    assert.deepEqual(modelsNeeded(resolved()), ['nsfw', 'caption']);
  });

  it('the response carries the policy version and the models that ran, for audit', () => {
    const request = { categories: ['weapons'] };
    const result = scoreCategories(resolved(), { caption: CAPTION_PROBS }, request);
    assert.deepEqual(composeModeration(resolved(), result, modelsNeeded(resolved(), request)), {
      flagged: false,
      categories: [{ id: 'weapons', name: 'Firearms', parent: 'regulated_goods', score: 0.375, threshold: 0.5, flagged: false }],
      policy: { version: 'test-1' },
      models: [{ name: 'tiny-caption', version: '3' }],
    });
  });
});

describe('rejecting bad requests', () => {
  const outputs = { nsfw: NSFW_PROBS, caption: CAPTION_PROBS };
  it('when a threshold is below its bounds, then threshold_out_of_bounds names the bounds', () => {
    rejectsWith(
      () => scoreCategories(resolved(), outputs, { thresholds: { weapons: 0.2 } }),
      'threshold_out_of_bounds',
      /threshold 0.2 for 'weapons' is outside the policy's bounds \[0.25, 0.75\]/,
    );
  });
  it('when a threshold is above its bounds, then threshold_out_of_bounds', () => {
    rejectsWith(() => scoreCategories(resolved(), outputs, { thresholds: { sexual: 0.95 } }), 'threshold_out_of_bounds', /\[0.5, 0.9\]/);
  });
  it('when a threshold is not a number, then invalid_threshold', () => {
    const thresholds = { alcohol: Number.NaN };
    rejectsWith(() => scoreCategories(resolved(), outputs, { thresholds }), 'invalid_threshold', /must be a number/);
  });
  it('when a category is unknown, then unknown_category lists the known ones', () => {
    rejectsWith(
      () => scoreCategories(resolved(), outputs, { categories: ['gore'] }),
      'unknown_category',
      /unknown category 'gore' \(policy test-1 has sexual, weapons, alcohol\)/,
    );
  });
  it('when a threshold names an unknown category, then unknown_category', () => {
    rejectsWith(() => scoreCategories(resolved(), outputs, { thresholds: { gore: 0.5 } }), 'unknown_category', /'gore'/);
  });
  it('when a threshold names a category the request leaves out, then threshold_not_requested', () => {
    const request = { categories: ['sexual'], thresholds: { weapons: 0.5 } };
    rejectsWith(() => scoreCategories(resolved(), outputs, request), 'threshold_not_requested', /'weapons'/);
  });
  it('when the categories list is empty, then no_categories', () => {
    rejectsWith(() => scoreCategories(resolved(), outputs, { categories: [] }), 'no_categories', /at least one/);
  });
  it('when a category is defined but its model is not loaded, then unsupported_category says why', () => {
    const only = resolvePolicy(policy(), { nsfw: NSFW });
    rejectsWith(
      () => scoreCategories(only, { nsfw: NSFW_PROBS }, { categories: ['weapons'] }),
      'unsupported_category',
      /'weapons' is not available here: no caption model is loaded/,
    );
  });
});

describe('loading and validating the policy file', () => {
  it('loads the default policy and resolves sexual to porn + hentai of the shipped nsfw bundle', () => {
    const shipped = loadPolicy();
    const nsfw = JSON.parse(readFileSync('models/nsfw-mobilenetv2/model.json', 'utf8')) as ModelDescription;
    const sexual = resolvePolicy(shipped, { nsfw }).categories.find((c) => c.id === 'sexual')!;
    assert.deepEqual(sexual.classIds, ['porn', 'hentai']);
  });

  it('loads a policy file from another path (a deployment override)', () => {
    const file = writePolicyFile(JSON.stringify({ ...policyDocument(), version: 'site-42' }));
    assert.equal(loadPolicy(file).version, 'site-42');
  });

  const invalid: Array<[string, (d: Record<string, any>) => void, RegExp]> = [
    [
      'a threshold outside its bounds',
      (d) => {
        d.categories[1].threshold = 0.9;
      },
      /\/categories\/1 \('weapons'\) threshold 0.9 lies outside its bounds \[0.25, 0.75\]/,
    ],
    [
      'bounds with min above max',
      (d) => {
        d.categories[2].threshold_bounds = { min: 0.6, max: 0.4 };
      },
      /min 0.6 is above max 0.4/,
    ],
    [
      'an unknown parent',
      (d) => {
        d.categories[0].parent = 'adult';
      },
      /names unknown parent 'adult'/,
    ],
    [
      'a duplicated category id',
      (d) => {
        d.categories[2].id = 'weapons';
      },
      /category id 'weapons' is defined twice/,
    ],
    [
      'a missing version',
      (d) => {
        delete d.version;
      },
      /\(top level\) must have required property 'version'/,
    ],
    [
      'a threshold above 1',
      (d) => {
        d.categories[0].threshold = 1.5;
      },
      /\/categories\/0\/threshold must be <= 1/,
    ],
    [
      'an unknown source model',
      (d) => {
        d.categories[0].source.model = 'clip';
      },
      /\/categories\/0\/source\/model must be equal to one of the allowed values/,
    ],
    [
      'a malformed WordNet id',
      (d) => {
        d.categories[1].source.subtrees[0].id = 'firearm';
      },
      /\/categories\/1\/source\/subtrees\/0\/id must match pattern/,
    ],
    [
      'an unexpected field',
      (d) => {
        d.categories[0].treshold = 0.5;
      },
      /must NOT have additional properties 'treshold'/,
    ],
    [
      'a caption source with nothing to sum',
      (d) => {
        d.categories[1].source = { model: 'caption' };
      },
      /names no subtrees and no classes/,
    ],
  ];
  for (const [what, mutate, message] of invalid) {
    it(`when the file has ${what}, then start-up fails naming the file and the problem`, () => {
      const document = policyDocument();
      mutate(document);
      const file = writePolicyFile(JSON.stringify(document));
      assert.throws(
        () => loadPolicy(file),
        (error: unknown) => {
          assert.ok(error instanceof PolicyError);
          assert.ok(error.message.startsWith(`moderation policy ${file}: `), error.message);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('when the file is not JSON, then the error says so', () => {
    const file = writePolicyFile('{"version": ');
    assert.throws(() => loadPolicy(file), new RegExp(`moderation policy ${file}: not valid JSON`));
  });

  it('when the file does not exist, then the error names it', () => {
    assert.throws(
      () => loadPolicy('/nonexistent/policy.json'),
      /moderation policy \/nonexistent\/policy.json: cannot read the file \(ENOENT\)/,
    );
  });
});
