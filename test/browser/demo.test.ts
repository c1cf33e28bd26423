/** The demo page at / and the reference at /docs in Debian's headless Chromium (puppeteer-core, no browser download). */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { projectPath } from '../../src/project-root.js';
import type { RunningServer } from '../../src/server.js';
import { boot } from '../support/service.js';
import { photo, photoPath } from '../support/photos.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = projectPath('test', 'artifacts');
const AXE = readFileSync(projectPath('node_modules', 'axe-core', 'axe.min.js'), 'utf8');
// Bounds against a hang, not speed targets: on a busy machine (load 33 on 2 cores) a boot and Chromium's start took over 40 s.
const STEP_MS = 60_000;

let service: RunningServer;
let browser: Browser;

/** A fresh page that records every URL it asks for, so a request to another origin fails the test. */
async function openPage(path: string): Promise<{ page: Page; requested: string[] }> {
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_MS);
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(`${service.url}${path}`, { waitUntil: 'load', timeout: STEP_MS });
  return { page, requested };
}

function assertOwnOrigin(requested: string[]): void {
  const elsewhere = requested.filter((url) => !url.startsWith(`${service.url}/`) && !/^(data|blob):/.test(url));
  assert.deepEqual(elsewhere, [], 'the page asked another origin for something');
}

/** Put an image on the page's clipboard-paste or drop path, as a user's paste or drag would. */
async function sendAs(page: Page, how: 'paste' | 'drop', file: string): Promise<void> {
  const base64 = photo(file).toString('base64');
  // A string, not a function: the project's tsconfig has no DOM types, and this runs in the page.
  await page.evaluate(`(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], ${JSON.stringify(file)}, { type: 'image/png' }));
    const init = { bubbles: true, cancelable: true };
    document.dispatchEvent(${how === 'paste' ? "new ClipboardEvent('paste', { ...init, clipboardData: data })" : "new DragEvent('drop', { ...init, dataTransfer: data })"});
  })()`);
}

async function waitForResult(page: Page): Promise<{ altText: string; status: string; boxes: string[] }> {
  await page.waitForSelector('#result[data-state="done"]:not([aria-busy])', { timeout: STEP_MS });
  return {
    altText: await page.$eval('#alt-text', (dd) => dd.textContent ?? ''),
    status: await page.$eval('#status', (div) => div.textContent ?? ''),
    boxes: await page.$$eval('#boxes .box:not(.text-box)', (boxes) => boxes.map((box) => box.textContent ?? '')),
  };
}

describe('the demo page and the API reference in Chromium', { timeout: 600_000 }, () => {
  // Kept as promises so that `after` closes what starts late too: a timed-out hook once left Chromium and a server
  // running, and the file never ended.
  let booting: Promise<RunningServer>;
  let launching: Promise<Browser>;
  before(
    async () => {
      booting = boot();
      launching = puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        // Root in a container has no user namespace for Chromium's sandbox; the pages are our own.
        args: ['--no-sandbox', '--disable-gpu', '--window-size=1200,900'],
        defaultViewport: { width: 1200, height: 900 },
        timeout: STEP_MS,
        protocolTimeout: STEP_MS,
      });
      [service, browser] = await Promise.all([booting, launching]);
      mkdirSync(ARTIFACTS, { recursive: true });
    },
    { timeout: 180_000 },
  );
  after(
    async () => {
      await (await launching?.catch(() => undefined))?.close();
      await (await booting?.catch(() => undefined))?.drain({ graceMs: 0 });
    },
    { timeout: 60_000 },
  );

  it('when a photo is chosen, pasted and dropped, and a screenshot chosen, then the alt-text, the boxes, the text read and the moderation result are shown, and axe finds no violations', async () => {
    const { page, requested } = await openPage('/');
    const focused = (): Promise<unknown> => page.evaluate('document.activeElement && document.activeElement.id');
    for (let i = 0; i < 5 && (await focused()) !== 'image'; i++) await page.keyboard.press('Tab');
    assert.equal(await focused(), 'image', 'the file chooser is reached with Tab');

    const input = await page.$('input#image');
    await input!.uploadFile(photoPath('astronaut.png'));
    const astronaut = await waitForResult(page);
    assert.equal(astronaut.altText, 'May be an image of a person.');
    assert.match(astronaut.status, /^Alt-text: May be an image of a person\. Moderation: Not flagged\.$/);
    assert.equal(await page.$eval('#preview', (img) => img.alt), 'May be an image of a person.');
    assert.equal(await page.$eval('#people', (dd) => dd.textContent), '1');

    await sendAs(page, 'drop', 'motorcycle_right.png');
    assert.deepEqual((await waitForResult(page)).boxes, ['motorcycle']);

    await sendAs(page, 'paste', 'chelsea.png');
    const cat = await waitForResult(page);
    assert.equal(cat.altText, 'Probably a domestic cat.');
    assert.deepEqual(cat.boxes, ['cat'], 'the detected cat is outlined');
    assert.ok((await page.$$('#moderation tbody tr')).length >= 2, 'the moderation categories are listed');
    await page.screenshot({ path: join(ARTIFACTS, 'demo.png'), fullPage: true });

    await input!.uploadFile(join('test', 'fixtures', 'text-terminal-03.png'));
    const terminal = await waitForResult(page);
    assert.match(terminal.altText, /^A screenshot with text that says '\$ git status/);
    assert.equal(await page.$eval('#kind', (dd) => dd.textContent), 'screenshot');
    const lines = await page.$$eval('#text-lines li', (items) => items.map((li) => li.textContent ?? ''));
    assert.equal(lines.length, 3, lines.join(' | '));
    assert.match(lines[2]!, /^nothing to commit, working tree clean \(score /);
    assert.equal((await page.$$('#boxes .text-box')).length, 3, 'each line read is outlined');
    await page.screenshot({ path: join(ARTIFACTS, 'demo-text.png'), fullPage: true });

    await page.evaluate(AXE);
    const violations = (await page.evaluate(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: code that the page evaluates, with its own template.
      'axe.run().then((result) => result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`))',
    )) as string[];
    assert.deepEqual(violations, [], 'axe-core violations');
    assertOwnOrigin(requested);
    await page.close();
  });

  it('when a phone-width page (390 px) asks for French, objects only and a precision target, then the answer, its JSON and a curl for it are shown without overflow', async () => {
    const { page, requested } = await openPage('/');
    await page.setViewport({ width: 390, height: 844 });
    await page.select('#lang', 'fr');
    await page.click('input[name=features][value=text]');
    await page.type('#precision', '0.9');
    await (await page.$('input#image'))!.uploadFile(projectPath('test', 'fixtures', 'cat.jpg'));
    const { altText } = await waitForResult(page);
    assert.match(altText, /chat/);
    const json = JSON.parse(await page.$eval('#json', (pre) => pre.textContent ?? '')) as {
      alt_text: string;
      lang: string;
      text?: unknown;
    };
    assert.deepEqual([json.alt_text, json.lang, json.text], [altText, 'fr', undefined]);
    assert.equal(await page.$eval('#text-summary', (p) => p.textContent), 'Not asked for (see Look for).');
    const curl = await page.$eval('#curl', (pre) => pre.textContent ?? '');
    assert.equal(curl, `curl -s -F image=@cat.jpg '${service.url}/caption?lang=fr&features=objects&precision_target=0.9'`);
    const widths = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
    assert.ok(widths[0] <= widths[1], `the page is ${widths[0]} px wide in a ${widths[1]} px viewport`);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-390.png'), fullPage: true });
    await page.evaluate(AXE);
    const violations = (await page.evaluate(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: code that the page evaluates, with its own template.
      'axe.run().then((r) => r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`))',
    )) as string[];
    assert.deepEqual(violations, [], 'axe-core violations at 390 px');
    assertOwnOrigin(requested);
    await page.close();
  });

  it('when /docs is opened, then the reference renders with nothing fetched from another origin', async () => {
    const html = await (await fetch(`${service.url}/docs`)).text();
    const external = [
      /<script\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?\/\//gi,
      /<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?\/\//gi,
      /<(?:img|iframe|source|video|audio)\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?\/\//gi,
      /@import\s+(?:url\()?\s*["']?\s*(?:https?:)?\/\//gi,
      /url\(\s*["']?\s*(?:https?:)?\/\//gi,
      /https?:\/\/cdn\.[^\s"'`)]*/gi,
    ].flatMap((pattern) => html.match(pattern) ?? []);
    assert.deepEqual(external, [], 'script, link, font or image references to another origin');

    const { page, requested } = await openPage('/docs');
    await page.waitForFunction("document.body.innerText.includes('imgsense image-understanding API')", { timeout: STEP_MS });
    await page.waitForFunction("document.body.innerText.includes('/caption')", { timeout: STEP_MS });
    await page.screenshot({ path: join(ARTIFACTS, 'docs.png') });
    assert.ok(
      String(await page.evaluate('document.body.innerText')).includes(service.url),
      'the server box names the origin the page came from',
    );
    await page.evaluate(AXE);
    // Redoc's own markup: h4 under h2 in request panels, a media-type dropdown labelled "Payload media type" that shows
    // "image/jpeg", and its sidebar outside a landmark. Everything else, colour contrast above all, must pass.
    const violations = (await page.evaluate(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: code that the page evaluates, with its own template.
      "axe.run().then((r) => r.violations.filter((v) => !['heading-order', 'label-content-name-mismatch', 'region'].includes(v.id)).map((v) => `${v.id}: ${v.help} (${v.nodes.length})`))",
    )) as string[];
    assert.deepEqual(violations, [], 'axe-core violations on /docs');
    assertOwnOrigin(requested);
    await page.close();
  });

  it('when a menu link of /docs is opened in a new tab, or /docs/other/caption is typed, then that section is shown', async () => {
    const { page } = await openPage('/docs');
    const href = (await page.$eval('a[href*="other/moderate"]', (a) => a.href)) as string;
    assert.equal(href, `${service.url}/docs#/other/moderate`);
    await page.close();
    for (const path of [href.slice(service.url.length), '/docs/other/moderate']) {
      const tab = (await openPage(path)).page;
      await tab.waitForFunction("Math.abs(document.getElementById('other/moderate')?.getBoundingClientRect().top ?? 1e9) < 50", {
        timeout: STEP_MS,
      });
      assert.equal(await tab.evaluate('location.pathname + location.hash'), '/docs#/other/moderate');
      await tab.close();
    }
  });
});

describe('a deployment with DEMO_ENABLED=false and DOCS_ENABLED=false', { timeout: 300_000 }, () => {
  let bare: RunningServer;
  before(
    async () => {
      bare = await boot({ DEMO_ENABLED: 'false', DOCS_ENABLED: 'false', DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false' });
    },
    { timeout: 180_000 },
  );
  after(() => bare?.drain({ graceMs: 0 }), { timeout: 60_000 });

  for (const path of ['/', '/demo.js', '/docs', '/openapi.yaml', '/openapi.json']) {
    it(`when ${path} is asked for, then 404 problem+json`, async () => {
      const response = await fetch(`${bare.url}${path}`);
      assert.equal(response.status, 404);
      assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    });
  }
});
