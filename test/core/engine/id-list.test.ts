/**
 * The id list a group gathers its event ids in (issue 10): a plain array while small, varint
 * gaps in byte chunks past that. Whatever the form, it gives back exactly the ids pushed.
 */
import { describe, expect, it } from "vitest";
import { forEachId, IdList, idsArray, idsFrom, pushId, type Ids } from "../../../src/core/engine/id-list.js";
import { prng } from "../../../scripts/prng.mjs";

function roundTrip(ids: readonly number[]): number[] {
  const list = new IdList(ids);
  expect(list.length).toBe(ids.length);
  const seen: number[] = [];
  list.forEach((id) => seen.push(id));
  expect(seen).toEqual(ids);
  return list.toArray();
}

describe("IdList", () => {
  it("gives back an empty list and a few ids as pushed", () => {
    expect(roundTrip([])).toEqual([]);
    expect(roundTrip([0, 1, 5])).toEqual([0, 1, 5]);
  });

  it("gives back ids past the small form, across chunk boundaries, consecutive or not", () => {
    const consecutive = Array.from({ length: 200_000 }, (_, i) => i);
    expect(roundTrip(consecutive)).toEqual(consecutive);
    const rnd = prng(10);
    const gapped: number[] = [];
    for (let id = 7; gapped.length < 50_000; id += 1 + Math.floor(rnd() * (rnd() < 0.1 ? 1e6 : 300))) gapped.push(id);
    expect(roundTrip(gapped)).toEqual(gapped);
  });

  it("keeps gaps above 2^31 and ids up to 2^53 - 1 exact", () => {
    const ids = [...Array.from({ length: 40 }, (_, i) => i * 3), 2 ** 31 + 5, 2 ** 40 + 1, Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER];
    expect(roundTrip(ids)).toEqual(ids);
  });

  it("refuses an id that does not ascend, in either form", () => {
    const small = new IdList([1, 2]);
    expect(() => small.push(2)).toThrow(/ascending/);
    const big = new IdList(Array.from({ length: 100 }, (_, i) => i));
    expect(() => big.push(50)).toThrow(/ascending/);
    expect(() => big.push(Number.NaN)).toThrow(/ascending/);
  });

  it("keeps a group's ids as the plain array itself up to 32 and as an IdList past that, in order", () => {
    const first = [3, 4, 9];
    let ids: Ids = idsFrom(first);
    expect(ids).toBe(first);
    for (let id = 10; id < 10 + 29; id++) ids = pushId(ids, id);
    expect(Array.isArray(ids)).toBe(true);
    ids = pushId(ids, 100);
    expect(ids).toBeInstanceOf(IdList);
    const expected = [3, 4, 9, ...Array.from({ length: 29 }, (_, i) => 10 + i), 100];
    expect(idsArray(ids)).toEqual(expected);
    const seen: number[] = [];
    forEachId(ids, (id) => seen.push(id));
    expect(seen).toEqual(expected);
  });

  it("refuses ids out of order or unsafe in either form", () => {
    expect(() => idsFrom([2, 2])).toThrow(/ascending safe integers/);
    expect(() => pushId([5], 4)).toThrow(/ascending safe integers/);
    expect(() => pushId([1], 2 ** 53)).toThrow(/ascending safe integers/);
    expect(() => idsFrom(Array.from({ length: 40 }, (_, i) => 40 - i))).toThrow(/ascending safe integers/);
  });
});
