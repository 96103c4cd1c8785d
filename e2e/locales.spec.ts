/**
 * The interface strings: zh-CN and en carry the same keys, and every key the viewer asks for exists.
 * (Node only; no browser.)
 */
import { expect, test } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROAD_CLASSES } from '../sim-core/cim/types.ts';
import { BUILDING_USE_COLORS } from '../viewer/palette.ts';

const VIEWER = fileURLToPath(new URL('../viewer', import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
/** A language's resources as the viewer loads them: `locales/<lang>.json` plus every `locales/<feature>.<lang>.json` under its feature key. */
function load(lang: string): Record<string, unknown> {
  const tree = readJson(join(VIEWER, 'locales', `${lang}.json`));
  for (const f of readdirSync(join(VIEWER, 'locales'))) {
    const m = /^([a-zA-Z0-9-]+)\.([a-zA-Z-]+)\.json$/.exec(f);
    if (m && m[2] === lang) tree[m[1]!] = readJson(join(VIEWER, 'locales', f));
  }
  return tree;
}
/** Every .ts and .html file of the viewer, sub-folders included (tests and locales left out). */
function viewerSources(dir = VIEWER): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'locales' && e.name !== 'node_modules') out.push(...viewerSources(path));
    } else if ((e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) || e.name.endsWith('.html')) out.push(path);
  }
  return out;
}

/** Flattens nested resources to dotted keys, folding i18next plural suffixes (_one, _other) into the base key. */
function keysOf(tree: Record<string, unknown>, prefix = ''): Set<string> {
  const keys = new Set<string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = `${prefix}${k.replace(/_(zero|one|two|few|many|other)$/, '')}`;
    if (v && typeof v === 'object') for (const sub of keysOf(v as Record<string, unknown>, `${key}.`)) keys.add(sub);
    else keys.add(key);
  }
  return keys;
}

const zh = keysOf(load('zh-CN'));
const en = keysOf(load('en'));

test('zh-CN and en have the same keys', () => {
  expect([...zh].sort()).toEqual([...en].sort());
});

test('every key the viewer uses is defined', () => {
  const used = new Set<string>();
  for (const file of viewerSources()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/data-i18n(?:-title)?="([a-zA-Z]+\.[a-zA-Z.]+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/\b(?:t|setStatus|section)\('([a-zA-Z]+\.[a-zA-Z.]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/\[[A-Z_]+, '([a-zA-Z]+\.[a-zA-Z.]+)', (?:true|false)\]/g)) used.add(m[1]);
  }
  for (const use of Object.keys(BUILDING_USE_COLORS)) used.add(`use.${use}`);
  for (const roadClass of ROAD_CLASSES) used.add(`road.${roadClass}`);
  expect(used.size).toBeGreaterThan(20);
  expect([...used].filter((k) => !zh.has(k))).toEqual([]);
});
