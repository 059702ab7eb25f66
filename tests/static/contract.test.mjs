import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { CONTRACT, MSG } = await load("contract.js");

test("the contract cannot be changed by a page script", () => {
  assert.ok(Object.isFrozen(CONTRACT));
  assert.ok(Object.isFrozen(CONTRACT.settings.step_size.kind));
  assert.throws(() => {
    "use strict";
    CONTRACT.runs.max_runs = 1;
  }, TypeError);
});

test("every link key names a control the directive knows", () => {
  for (const [key, link] of Object.entries(CONTRACT.links)) {
    assert.ok(link.control in CONTRACT.controls, key);
    if (link.setting) assert.equal(CONTRACT.settings[link.setting].link, key);
  }
});

test("saved runs record the settings the contract marks, each declared", () => {
  for (const name of CONTRACT.runs.settings) assert.equal(CONTRACT.settings[name].run, true, name);
  assert.equal(MSG.DEMO_INIT, "demo:init");
});
