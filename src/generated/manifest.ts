/**
 * Generated from models/manifest.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.
 */

/**
 * The contract between the training module (writes it) and the API server (reads it). Both validate against this file.
 */
export type ManifestDocument = {
  format_version: 1;
  name: string;
  version: string;
  /**
   * caption: classes are WordNet synsets with a hierarchy; nsfw: free class ids, no hierarchy; detect: an object detector, classes are WordNet synsets, no hierarchy; face_detect: an anchor-based face detector, classes background and face, boxes decoded by the caller from the output's priors; text_detect: a per-pixel text probability map, classes background and text; text_recognize: a CTC text-line recogniser, classes are its characters in output order, index 0 the CTC blank.
   */
  task: "caption" | "nsfw" | "detect" | "face_detect" | "text_detect" | "text_recognize";
  description?: string;
  model_file: string;
  sha256: string;
  precision?: "fp32" | "fp16" | "int8";
  input: {
    name: string;
    dtype: "uint8";
    layout: "NHWC";
    channels: "RGB";
    height: number;
    width: number;
    resize:
      | {
          method: "shorter_side_center_crop";
          shorter_side: number;
        }
      | {
          method: "stretch";
        }
      | {
          method: "letterbox";
          fill: number;
        }
      | {
          method: "text_line";
          fill: number;
          /**
           * Ascending; the first and last bound the padded width of a line (the server runs one line per session.run, at its own width).
           *
           * @minItems 1
           */
          widths: number[];
        };
    interpolation: "bilinear" | "bicubic" | "nearest";
    /**
     * Informational: done inside the graph. x = (pixel/255 - mean) / std, per channel.
     */
    normalization?: {
      /**
       * @minItems 3
       * @maxItems 3
       */
      mean: number[];
      /**
       * @minItems 3
       * @maxItems 3
       */
      std: number[];
    };
  };
  output:
    | {
        name: string;
        dtype: "float32";
        kind: "probabilities";
        /**
         * softmax(logits / T); 1 until calibrated.
         */
        temperature: number;
      }
    | {
        name: string;
        dtype: "float32";
        kind: "detections";
        /**
         * Rows per image.
         */
        anchors: number;
        box_format: "xyxy";
        /**
         * x across the width, y down the height, clipped to [0, 1].
         */
        box_coordinates: "normalized";
        /**
         * Independent per-class scores, not a softmax over classes.
         */
        score_activation: "sigmoid";
        /**
         * Informational: how rows map to strides and grid cells.
         */
        anchor_layout?: string;
      }
    | {
        name: string;
        dtype: "float32";
        kind: "face_priors";
        /**
         * Input pixels per grid cell, one per feature level, in output order.
         *
         * @minItems 1
         */
        strides: number[];
        /**
         * Per feature level, the prior side lengths in input pixels.
         *
         * @minItems 1
         */
        prior_sizes: number[][];
        /**
         * Scales of the centre and of the log-size offsets.
         *
         * @minItems 2
         * @maxItems 2
         */
        variances: number[];
      }
    | {
        name: string;
        dtype: "float32";
        kind: "probability_map";
      }
    | {
        name: string;
        dtype: "float32";
        kind: "ctc_best_path";
        /**
         * Input width divided by time steps.
         */
        downsampling: number;
      };
  /**
   * In output order.
   *
   * @minItems 2
   */
  classes: {
    /**
     * WordNet 3.0 offset id (n02123045) for caption models.
     */
    id: string;
    /**
     * Display name fit for a sentence.
     */
    name: string;
  }[];
  /**
   * Detector defaults for the caller's thresholding and non-maximum suppression.
   */
  postprocess?: {
    /**
     * Keep (anchor, class) pairs scoring above this.
     */
    score_threshold: number;
    /**
     * Drop a box that overlaps a higher-scored kept box by more than this IoU.
     */
    iou_threshold: number;
    max_detections: number;
    /**
     * class_agnostic: boxes of any classes suppress each other; per_class: only boxes of one class do.
     */
    nms: "class_agnostic" | "per_class";
    /**
     * Class ids whose detections are dropped before NMS.
     */
    suppressed_classes?: string[];
    /**
     * Where these defaults come from.
     */
    source?: string;
  };
  /**
   * WordNet 3.0 hypernym graph of every class and every ancestor up to the root.
   */
  hierarchy?: {
    root: string;
    nodes: {
      id: string;
      name: string;
      parents: string[];
    }[];
  };
  provenance: {
    source: {
      registry?: string;
      package: string;
      version: string;
      file?: string;
      file_sha256?: string;
    };
    license: string;
    training_data?: string;
    export_command: string;
    exported_at: string;
    tools?: {
      [k: string]: string;
    };
  };
  /**
   * Verification numbers measured at export time (parity, real-photo checks, int8 agreement, latency).
   */
  metrics?: {
    [k: string]: unknown;
  };
};
