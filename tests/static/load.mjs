// The page scripts as a built site ships them (contract.js included), from the folder
// tests/static/test_page_scripts.py writes them to.
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";

const folder = process.env.EXPLAINER_STATIC;
if (!folder) throw new Error("EXPLAINER_STATIC is not set: run these tests through pytest");

/** The module `name` of the page scripts. */
export function load(name) {
  return import(pathToFileURL(`${folder}/${name}`).href);
}

/** A fixture file of the repository's tests, as text. */
export function fixture(path) {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), "utf-8");
}
