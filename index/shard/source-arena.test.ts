import { describe, expect, it } from 'vitest';
import { SourceArena, sharedSlots, slotBytes, sourcesOf, type ArenaSlot } from './source-arena.ts';

describe('SourceArena', () => {
  it('copies sources into shared chunks and gives them back in order, whatever their size', () => {
    const arena = new SourceArena();
    const inputs = Array.from({ length: 300 }, (_, i) => Buffer.from(JSON.stringify({ i, pad: 'x'.repeat(i * 7) })));
    inputs.push(Buffer.alloc(300_000, 'y')); // larger than a quarter chunk: a chunk of its own
    const slots = inputs.map((b) => {
      const slot: ArenaSlot = { chunk: Buffer.alloc(0), start: 0, end: 0 };
      arena.place(slot, b);
      return slot;
    });
    const copies = slots.map(slotBytes);
    copies.forEach((c, i) => {
      expect(c.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(c.equals(inputs[i])).toBe(true);
    });
    // Not views of the request: changing the input leaves the copy alone.
    inputs[0][0] = 0x20;
    expect(copies[0][0]).toBe(0x7b);
    const shared = sharedSlots(slots);
    expect(shared.chunks.length).toBeGreaterThan(2);
    expect(shared.chunks.length).toBeLessThan(copies.length);
    const back = sourcesOf(structuredClone(shared));
    expect(back.map((b) => b.toString())).toEqual(copies.map((b) => b.toString()));
  });

  it('places bytes and JSON text (as UTF-8) into slots, whatever their size and characters, and describes them for a worker', () => {
    const arena = new SourceArena();
    const texts = Array.from({ length: 400 }, (_, i) => JSON.stringify({ i, s: ['é', '😀', '\ud800', 'x', '€'][i % 5].repeat(i * 3) }));
    texts.push('z'.repeat(20_000)); // could need more than a quarter chunk as UTF-8: encoded on its own
    texts.push('w'.repeat(300_000)); // a chunk of its own
    const slots: ArenaSlot[] = texts.map((t, i) => {
      const slot: ArenaSlot = { chunk: Buffer.alloc(0), start: 0, end: 0 };
      if (i % 3 === 0) arena.place(slot, Buffer.from(t));
      else arena.placeString(slot, t);
      return slot;
    });
    slots.forEach((slot, i) => {
      expect(slot.chunk.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(slotBytes(slot).equals(Buffer.from(texts[i]))).toBe(true);
    });
    const shared = sharedSlots(slots);
    expect(shared.chunks.length).toBeLessThan(slots.length);
    const back = sourcesOf(structuredClone(shared));
    expect(back.map((b) => b.toString())).toEqual(texts.map((t) => Buffer.from(t).toString()));
  });
});
