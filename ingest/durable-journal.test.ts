import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableJournal } from './durable-journal.ts';

const tempPath = () => join(mkdtempSync(join(tmpdir(), 'journal-')), 'sub', 'j.log');

describe('DurableJournal', () => {
  it('returns the complete lines and cuts a torn tail from the file', () => {
    const path = tempPath();
    DurableJournal.open(path).journal.close();
    writeFileSync(path, 'a\n\nb\n{"torn');
    const { journal, lines } = DurableJournal.open(path);
    expect(lines).toEqual(['a', 'b']);
    journal.appendSync('c\n');
    journal.close();
    expect(readFileSync(path, 'utf8')).toBe('a\n\nb\nc\n');
  });

  it('resolves concurrent appends once they are written, in order', async () => {
    const path = tempPath();
    const { journal } = DurableJournal.open(path);
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.append(`${i}\n`)));
    expect(journal.busy).toBe(false);
    journal.close();
    expect(DurableJournal.open(path).lines).toEqual(Array.from({ length: 50 }, (_, i) => `${i}`));
  });

  it('rewrites the file atomically and keeps appending to the new one', async () => {
    const path = tempPath();
    const { journal } = DurableJournal.open(path);
    await journal.append('old\n');
    journal.rewrite(['x\n', 'y\n']);
    await journal.append('z\n');
    await journal.whenIdle();
    journal.close();
    expect(readFileSync(path, 'utf8')).toBe('x\ny\nz\n');
  });

  it('refuses a rewrite while an append is in flight', async () => {
    const { journal } = DurableJournal.open(tempPath());
    const pending = journal.append('a\n');
    expect(() => journal.rewrite([])).toThrow(/in flight/);
    await pending;
    journal.close();
  });
});
