/**
 * Generated from policies/policy.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.
 */

/**
 * This interface was referenced by `PolicyDocument`'s JSON-Schema
 * via the `definition` "slug".
 */
export type Slug = string;
/**
 * This interface was referenced by `PolicyDocument`'s JSON-Schema
 * via the `definition` "probability".
 */
export type Probability = number;

/**
 * Which content categories /moderate reports, which model outputs each one sums, and when it is flagged. Validated at start-up; cross-references (parents, bounds) are checked by the loader.
 */
export interface PolicyDocument {
  $schema?: string;
  format_version: 1;
  /**
   * Echoed in every response so that a decision can be audited later. Change it whenever the file changes.
   */
  version: string;
  description?: string;
  /**
   * Top level of the two-level taxonomy.
   *
   * @minItems 1
   */
  parents: {
    id: Slug;
    name: string;
  }[];
  /**
   * @minItems 1
   */
  categories: {
    id: Slug;
    name: string;
    parent: Slug;
    description?: string;
    source: NsfwSource | CaptionSource;
    /**
     * Flagged when the summed score is >= threshold.
     */
    threshold: number;
    /**
     * The range a request may move this category's threshold within.
     */
    threshold_bounds: {
      min: Probability;
      max: Probability;
    };
  }[];
}
/**
 * This interface was referenced by `PolicyDocument`'s JSON-Schema
 * via the `definition` "wordnetRef".
 */
export interface WordnetRef {
  /**
   * WordNet 3.0 noun offset id.
   */
  id: string;
  /**
   * For people reading the file; not used.
   */
  name?: string;
}
/**
 * Sum of the NSFW model's probabilities for these class ids.
 *
 * This interface was referenced by `PolicyDocument`'s JSON-Schema
 * via the `definition` "nsfwSource".
 */
export interface NsfwSource {
  model: "nsfw";
  /**
   * @minItems 1
   */
  classes: string[];
}
/**
 * Sum of the caption model's probabilities for its classes at or below any subtree root, plus listed classes, minus excluded ones.
 *
 * This interface was referenced by `PolicyDocument`'s JSON-Schema
 * via the `definition` "captionSource".
 */
export interface CaptionSource {
  model: "caption";
  subtrees?: WordnetRef[];
  classes?: WordnetRef[];
  exclude?: WordnetRef[];
}
