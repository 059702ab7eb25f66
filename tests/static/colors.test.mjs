import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { legible, nextColor, runDash, withFreeColors } = await load("colors.js");

test("a new run takes the first colour no saved run uses, the blues last", () => {
  assert.equal(nextColor([]), "#D55E00");
  assert.equal(nextColor([{ color: "#d55e00" }]), "#009E73");
  assert.equal(nextColor([{ color: "#009E73" }]), "#D55E00");
});

test("imported runs keep their colour unless it is taken", () => {
  const merged = withFreeColors([{ color: "#D55E00" }], [{ color: "#D55E00" }, { color: "#0072B2" }]);
  assert.deepEqual(merged.map((e) => e.color), ["#D55E00", "#009E73", "#0072B2"]);
});

test("runs are solid lines until a colour is taken twice", () => {
  const entries = ["#D55E00", "#009E73", "#D55E00", "#D55E00"].map((color) => ({ color }));
  assert.deepEqual([0, 1].map((i) => runDash(entries, i)), [null, null]);
  assert.ok(Array.isArray(runDash(entries, 2)));
  assert.notDeepEqual(runDash(entries, 2), runDash(entries, 3));
});

test("light colours are darkened on a light page and lightened on a dark one", () => {
  assert.equal(legible("#0072B2", "#ffffff").toLowerCase(), "#0072b2");
  assert.notEqual(legible("#F0E442", "#ffffff").toLowerCase(), "#f0e442");
  assert.notEqual(legible("#1a1a80", "rgb(17, 17, 17)").toLowerCase(), "#1a1a80");
});
