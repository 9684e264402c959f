// The breaking-change report of the GraphQL contract (graphql-inspector), run by .ci/schema-diff.
// Usage: node diff.mjs <old schema.graphql> <new schema.graphql> <graphql/CHANGELOG.md>
// Prints every change by criticality. Fails when a BREAKING change's coordinate (e.g.
// `UserError.code`) is not listed in the CHANGELOG's "## Unreleased" section: a breaking change
// must be announced to front-end teams (and should have gone through a deprecation first).
import { readFileSync } from 'node:fs';
import { diff, CriticalityLevel } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

const [oldFile, newFile, changelogFile] = process.argv.slice(2);
if (!oldFile || !newFile || !changelogFile) {
  console.error('usage: node diff.mjs <old.graphql> <new.graphql> <CHANGELOG.md>');
  process.exit(2);
}
const load = (file) => buildSchema(readFileSync(file, 'utf8'));
const changes = await diff(load(oldFile), load(newFile));
const changelog = readFileSync(changelogFile, 'utf8');
const unreleased = (changelog.split(/^## /m).find((s) => s.startsWith('Unreleased')) ?? '');

const marks = { [CriticalityLevel.Breaking]: 'BREAKING', [CriticalityLevel.Dangerous]: 'dangerous', [CriticalityLevel.NonBreaking]: 'safe' };
const unannounced = [];
for (const change of changes) {
  const level = change.criticality.level;
  const coordinate = change.path ?? '';
  const announced = level !== CriticalityLevel.Breaking || (coordinate && unreleased.includes(`\`${coordinate}\``));
  if (!announced) unannounced.push(change);
  console.log(`${marks[level].padEnd(9)} ${announced ? ' ' : '!'} ${change.message}`);
}
const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking).length;
console.log(`\n${changes.length} changes, ${breaking} breaking, ${unannounced.length} breaking and not in the CHANGELOG's Unreleased section`);
if (unannounced.length) {
  console.error('Announce each breaking change (its `Type.field` coordinate) under "## Unreleased" in graphql/CHANGELOG.md, or deprecate instead of removing.');
  process.exit(1);
}
