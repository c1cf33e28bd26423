// The demo page: send one image to /caption and /moderate on this server, then show the answer as text and boxes.
'use strict';

const $ = (id) => document.getElementById(id);
const status = $('status');
const result = $('result');
let current = 0; // a newer image makes the answers for an older one stale
let previewUrl;

function setStatus(text, isError = false) {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function percent(value) {
  return `${Math.round(value * 100)} %`;
}

function listItems(list, items) {
  list.replaceChildren(...items.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
}

/** The problem document's title and detail, or the status line when the body is not one. */
async function problemText(response) {
  try {
    const problem = await response.json();
    return [problem.title, problem.detail].filter(Boolean).join(' ') || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

/** The /caption query the options ask for (only what differs from the service's defaults). */
function captionQuery() {
  const query = new URLSearchParams();
  if ($('lang').value) query.set('lang', $('lang').value);
  const features = [...document.querySelectorAll('input[name=features]:checked')].map((box) => box.value);
  if (features.join(',') !== 'objects,text') query.set('features', features.join(','));
  const precision = $('precision').value.trim();
  if (precision !== '' && $('precision').checkValidity()) query.set('precision_target', precision);
  return query.toString();
}

function post(route, file, query = '') {
  const body = new FormData();
  body.append('image', file, file.name || 'pasted-image');
  const key = $('api-key').value.trim();
  return fetch(query ? `${route}?${query}` : route, { method: 'POST', body, headers: key ? { Authorization: `Bearer ${key}` } : {} });
}

/** A shell word: single-quoted unless it is plainly safe. */
const shellWord = (text) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`);

/** The curl command that sends the same request from a terminal (the key left as a variable, never printed). */
function curlCommand(file, query) {
  const url = `${location.origin}/caption${query ? `?${query}` : ''}`;
  const auth = $('api-key').value.trim() ? ` -H "Authorization: Bearer $IMGSENSE_API_KEY"` : '';
  return `curl -s${auth} -F ${shellWord(`image=@${file.name || 'image.png'}`)} ${shellWord(url)}`;
}

function boxElement(at, className, label) {
  const box = document.createElement('div');
  box.className = className;
  Object.assign(box.style, {
    left: `${at.x * 100}%`,
    top: `${at.y * 100}%`,
    width: `${at.width * 100}%`,
    height: `${at.height * 100}%`,
  });
  if (label) box.append(Object.assign(document.createElement('span'), { textContent: label }));
  return box;
}

function drawBoxes(objects, lines) {
  $('boxes').replaceChildren(
    ...objects.map((object) => boxElement(object.box, 'box', object.name)),
    ...lines.map((line) => boxElement(line.box, 'box text-box')),
  );
}

function showText(text, asked) {
  if (!text) {
    $('text-summary').textContent = asked ? 'Not read (no OCR in this deployment).' : 'Not asked for (see Look for).';
    listItems($('text-lines'), []);
    return [];
  }
  $('text-summary').textContent = !text.read
    ? 'Not read: the image looks like a photo without text.'
    : text.lines.length === 0
      ? 'No legible text found.'
      : `${text.lines.length} line${text.lines.length === 1 ? '' : 's'}, in reading order:`;
  listItems(
    $('text-lines'),
    text.lines.map((l) => `${l.text} (score ${l.score.toFixed(2)})`),
  );
  return text.lines;
}

function showCaption(caption, query) {
  $('alt-text').textContent = caption.alt_text;
  $('preview').alt = caption.alt_text;
  $('description').textContent = caption.description ?? caption.alt_text;
  $('people').textContent = caption.people ? String(caption.people.count) : 'not counted';
  const objects = caption.objects ?? [];
  listItems(
    $('objects'),
    objects.length === 0
      ? ['None located.']
      : objects.map(
          (o) =>
            `${o.name} (score ${o.score.toFixed(2)}): from ${percent(o.box.x)} across and ${percent(o.box.y)} down, ` +
            `${percent(o.box.width)} wide and ${percent(o.box.height)} high`,
        ),
  );
  listItems(
    $('labels'),
    caption.labels.map((l) => `${l.name} (score ${l.score.toFixed(2)})`),
  );
  $('kind').textContent = caption.kind;
  const features = new URLSearchParams(query).get('features');
  drawBoxes(objects, showText(caption.text, features === null || features.split(',').some((f) => f.startsWith('text'))));
}

async function showModeration(response) {
  const table = $('moderation');
  table.hidden = true;
  if (response.status === 404) return 'Moderation is turned off in this deployment.';
  if (!response.ok) return `Moderation failed: ${await problemText(response)}`;
  const moderation = await response.json();
  table.tBodies[0].replaceChildren(
    ...moderation.categories.map((c) => {
      const row = document.createElement('tr');
      for (const text of [c.name, c.score.toFixed(3), c.threshold.toFixed(2), c.flagged ? 'yes' : 'no']) {
        row.append(Object.assign(document.createElement('td'), { textContent: text }));
      }
      if (c.flagged) row.className = 'flagged';
      return row;
    }),
  );
  table.hidden = false;
  const flagged = moderation.categories.filter((c) => c.flagged).map((c) => c.name);
  return flagged.length > 0 ? `Flagged: ${flagged.join(', ')}.` : 'Not flagged.';
}

/** Send one image and show what the service says about it. */
async function describe(file) {
  if (!(file instanceof Blob) || file.size === 0) return;
  const request = ++current;
  result.setAttribute('aria-busy', 'true');
  result.dataset.state = 'busy';
  setStatus(`Describing ${file.name || 'the pasted image'}…`);
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = URL.createObjectURL(file);
  try {
    const query = captionQuery();
    const [caption, moderation] = await Promise.all([post('/caption', file, query), post('/moderate', file)]);
    if (request !== current) return;
    if (!caption.ok) {
      $('output').hidden = true;
      setStatus(`Could not describe the image: ${await problemText(caption)}`, true);
      result.dataset.state = 'error';
      return;
    }
    const body = await caption.json();
    const moderationText = await showModeration(moderation);
    if (request !== current) return;
    $('preview').src = previewUrl;
    showCaption(body, query);
    $('json').textContent = JSON.stringify(body, null, 2);
    $('curl').textContent = curlCommand(file, query);
    $('copy-status').textContent = '';
    $('moderation-summary').textContent = moderationText;
    $('output').hidden = false;
    setStatus(`Alt-text: ${body.alt_text} Moderation: ${moderationText}`);
    result.dataset.state = 'done';
  } catch (error) {
    if (request !== current) return;
    setStatus(`Could not reach the service: ${error.message}`, true);
    result.dataset.state = 'error';
  } finally {
    if (request === current) result.removeAttribute('aria-busy');
  }
}

function firstImage(dataTransfer) {
  if (!dataTransfer) return undefined;
  const files = [...dataTransfer.files];
  return files.find((f) => f.type.startsWith('image/')) ?? files[0];
}

$('image').addEventListener('change', (event) => describe(event.target.files[0]));
$('copy-curl').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('curl').textContent);
    $('copy-status').textContent = 'Copied.';
  } catch {
    getSelection().selectAllChildren($('curl'));
    $('copy-status').textContent = 'Selected: press Ctrl+C (or ⌘C) to copy.';
  }
});
document.addEventListener('paste', (event) => {
  const file = firstImage(event.clipboardData);
  if (file) {
    event.preventDefault();
    $('image').value = '';
    void describe(file);
  }
});
const zone = $('drop-zone');
document.addEventListener('dragover', (event) => {
  event.preventDefault();
  zone.classList.add('over');
});
document.addEventListener('dragleave', (event) => {
  if (event.relatedTarget === null) zone.classList.remove('over');
});
document.addEventListener('drop', (event) => {
  event.preventDefault();
  zone.classList.remove('over');
  $('image').value = '';
  void describe(firstImage(event.dataTransfer));
});
