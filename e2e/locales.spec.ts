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
const load = (lang: string) => JSON.parse(readFileSync(join(VIEWER, 'locales', `${lang}.json`), 'utf8')) as Record<string, unknown>;

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
  const sources = readdirSync(VIEWER).filter((f) => f.endsWith('.ts') || f.endsWith('.html'));
  for (const file of sources) {
    const text = readFileSync(join(VIEWER, file), 'utf8');
    for (const m of text.matchAll(/data-i18n(?:-title)?="([a-zA-Z]+\.[a-zA-Z.]+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/\b(?:t|setStatus|section)\('([a-zA-Z]+\.[a-zA-Z.]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/\[[A-Z_]+, '([a-zA-Z]+\.[a-zA-Z.]+)', (?:true|false)\]/g)) used.add(m[1]);
  }
  for (const use of Object.keys(BUILDING_USE_COLORS)) used.add(`use.${use}`);
  for (const roadClass of ROAD_CLASSES) used.add(`road.${roadClass}`);
  expect(used.size).toBeGreaterThan(20);
  expect([...used].filter((k) => !zh.has(k))).toEqual([]);
});
