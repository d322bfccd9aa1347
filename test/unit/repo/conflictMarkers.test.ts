import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Parallel branches are merged often; a leftover conflict marker once reached the README and
// only a reader noticed. Git knows the tracked files, so this checks exactly what a clone holds.
const tracked = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' })
  .split('\0')
  .filter((file) => file !== '' && !file.endsWith('package-lock.json') && !/\.(png|svg|gz|der|p12)$/.test(file));

// The three markers git writes, each at the start of a line and followed by a space or line end.
const MARKER = /^(<{7}|={7}|>{7})( |$)/m;

describe('the repository', () => {
  it('has no merge conflict markers in any tracked text file', () => {
    const offenders = tracked.filter((file) => {
      const text = readFileSync(file, 'utf8');
      return MARKER.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
