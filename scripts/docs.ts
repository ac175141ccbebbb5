import { readFileSync, writeFileSync } from 'node:fs';
import { withSettingsDocs } from '../settings/docs';

/** `npm run docs`: rewrites the README's configuration tables from the settings table. */
const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withSettingsDocs(before);
if (after === before) console.log('README.md: configuration tables are up to date');
else {
  writeFileSync(path, after);
  console.log('README.md: configuration tables rewritten from the settings table');
}
