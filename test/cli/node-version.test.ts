import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';

// Makes the Node that runs bin/lpa.js report itself as 20.1.0, as this machine's system Node would.
// Passed as an --import flag (not NODE_OPTIONS), so a process lpa.js starts does not inherit it.
const OLD_NODE = `data:text/javascript,${encodeURIComponent(
  'Object.defineProperty(process, "versions", { value: { ...process.versions, node: "20.1.0" } });' +
    'Object.defineProperty(process, "version", { value: "v20.1.0" });',
)}`;

const runOnOldNode = (bin: string, args: readonly string[]) =>
  spawnSync(process.execPath, ['--import', OLD_NODE, bin, ...args], { encoding: 'utf8', timeout: 60_000 });

const temporary: string[] = [];
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** bin/lpa.js and package.json in a directory of their own, with or without a project Node. */
const checkout = (ownNode?: string): string => {
  const root = mkdtempSync(join(tmpdir(), 'lpa-node-'));
  temporary.push(root);
  mkdirSync(join(root, 'bin'));
  copyFileSync(BIN, join(root, 'bin', 'lpa.js'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ engines: { node: '>=22' } }));
  if (ownNode !== undefined) {
    mkdirSync(join(root, 'node_modules', 'node', 'bin'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'node', 'bin', 'node'), ownNode);
    chmodSync(join(root, 'node_modules', 'node', 'bin', 'node'), 0o755);
  }
  return root;
};

describe('bin/lpa.js on a Node older than the project needs', () => {
  it('re-runs itself on the project Node from node_modules, with the same arguments and exit status', () => {
    // Prepare: a stand-in for node_modules/node/bin/node that shows how it was called.
    const root = checkout('#!/bin/sh\necho "project node: $*"\nexit 7\n');

    // Act
    const result = runOnOldNode(join(root, 'bin', 'lpa.js'), ['validate', 'so.yaml']);

    // Assess
    expect(result.stdout).toBe(`project node: ${join(root, 'bin', 'lpa.js')} validate so.yaml\n`);
    expect(result.status).toBe(7);
  });

  it('works end to end: the repository re-runs on the Node 22 that npm ci installed', () => {
    // Act
    const result = runOnOldNode(BIN, ['validate', 'examples/orders-worker.yaml']);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('ok  examples/orders-worker.yaml: shop/orders-worker');
    expect(result.status).toBe(0);
  });

  it('says which Node it needs, and how to get it, when the project has none installed', () => {
    // Prepare
    const root = checkout();

    // Act
    const result = runOnOldNode(join(root, 'bin', 'lpa.js'), ['validate', 'so.yaml']);

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('lpa needs Node.js 22 or newer; this is Node.js v20.1.0');
    expect(result.stderr).toContain('Run `npm ci`');
  });
});
