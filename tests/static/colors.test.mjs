import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { legible, nextColor, runDash, withFreeColors } = await load("colors.js");

test("a new run takes the first colour no saved run uses", () => {
  assert.equal(nextColor([]), "#0072B2");
  assert.equal(nextColor([{ color: "#0072b2" }]), "#D55E00");
  assert.equal(nextColor([{ color: "#D55E00" }]), "#0072B2");
});

test("imported runs keep their colour unless it is taken", () => {
  const merged = withFreeColors([{ color: "#0072B2" }], [{ color: "#0072B2" }, { color: "#009E73" }]);
  assert.deepEqual(merged.map((e) => e.color), ["#0072B2", "#D55E00", "#009E73"]);
});

test("runs differ by dash pattern too", () => {
  assert.notDeepEqual(runDash(0), runDash(1));
  assert.deepEqual(runDash(0), runDash(6));
});

test("light colours are darkened on a light page and lightened on a dark one", () => {
  assert.equal(legible("#0072B2", "#ffffff").toLowerCase(), "#0072b2");
  assert.notEqual(legible("#F0E442", "#ffffff").toLowerCase(), "#f0e442");
  assert.notEqual(legible("#1a1a80", "rgb(17, 17, 17)").toLowerCase(), "#1a1a80");
});
