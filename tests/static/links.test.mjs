import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { isDemoFragment, linkGroup, readFragment } = await load("links.js");

const demo = (id, controls) => ({ id, hasControl: (name) => controls.includes(name) });
const EVERYTHING = ["play", "step", "step_size", "proportional", "double_samples"];

test("each demo=ID starts the settings of one demo", () => {
  const warnings = [];
  const wanted = readFragment(
    "#demo=a&step=0.1&prop=1&demo=b&double=2&play=1",
    [demo("a", EVERYTHING), demo("b", EVERYTHING)],
    (w) => warnings.push(w),
  );
  assert.deepEqual(Object.fromEntries(wanted), { a: { step: 0.1, prop: true }, b: { double: 2, play: true } });
  assert.deepEqual(warnings, []);
});

test("bad parts are skipped with a warning each, the rest applies", () => {
  const warnings = [];
  const wanted = readFragment(
    "#demo=a&step=-1&step=0.5&prop=yes&double=99&colour=red&demo=nowhere&step=1&demo=b&step=1&demo=a&step=2",
    [demo("a", EVERYTHING), demo("b", ["play"])],
    (w) => warnings.push(w),
  );
  assert.deepEqual(Object.fromEntries(wanted), { a: { step: 0.5 }, b: {} });
  assert.equal(warnings.length, 7, warnings.join("\n"));
  assert.ok(warnings.some((w) => w.includes('"nowhere"')));
  assert.ok(warnings.some((w) => w.includes('"b" has no control for "step"')));
  assert.ok(warnings.some((w) => w.includes("linked twice")));
});

test("a reader's own anchor is not a demo link", () => {
  assert.ok(!isDemoFragment("#a-heading"));
  assert.deepEqual(readFragment("#a-heading", [demo("a", EVERYTHING)], () => {}).size, 0);
});

test("a link writes only what differs from the author's settings, in the contract's order", () => {
  const defaults = { step: 0.03, prop: true, double: 0, play: false };
  const a = demo("a", EVERYTHING);
  assert.equal(linkGroup(a, { ...defaults }, defaults, false), "");
  assert.equal(linkGroup(a, { ...defaults }, defaults, true), "demo=a");
  const changed = { step: 0.02, prop: false, double: 2, play: true };
  assert.equal(linkGroup(a, changed, defaults, false), "demo=a&step=0.02&prop=0&double=2&play=1");
  assert.equal(linkGroup(demo("a", ["play"]), changed, defaults, false), "demo=a&play=1");
});
