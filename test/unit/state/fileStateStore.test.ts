import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateConflictError } from '../../../shared/state/errors.js';
import { FileStateStore } from '../../../shared/state/fileStateStore.js';

const state = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [], failures: {} };
const fileIn = () => join(mkdtempSync(join(tmpdir(), 'lpa-state-')), 'state.json');

describe('Class: FileStateStore', () => {
  it('keeps state across instances (a second `lpa run` continues where the first stopped)', async () => {
    const path = fileIn();
    const version = await new FileStateStore(path).save('demo/shop/a', { ...state, lastActiveTime: 5 }, undefined);
    const loaded = (await new FileStateStore(path).load(['demo/shop/a'])).get('demo/shop/a');
    expect(loaded).toMatchObject({ version, state: { lastActiveTime: 5 } });
  });

  it('refuses a write against a stale version, as DynamoDB does', async () => {
    const path = fileIn();
    const store = new FileStateStore(path);
    await store.save('demo/shop/a', state, undefined);
    await expect(new FileStateStore(path).save('demo/shop/a', state, undefined)).rejects.toBeInstanceOf(StateConflictError);
  });

  it('replaces the file atomically, leaving no temporary file', async () => {
    const path = fileIn();
    await new FileStateStore(path).save('demo/shop/a', state, undefined);
    expect(readdirSync(join(path, '..'))).toEqual(['state.json']);
    expect(JSON.parse(readFileSync(path, 'utf8')).format).toBe('lpa-state/1');
  });

  it('names the file when it is not a state file', () => {
    const path = fileIn();
    writeFileSync(path, '{"hello":1}');
    expect(() => new FileStateStore(path)).toThrow(`${path}: not an LPA state file`);
  });
});
