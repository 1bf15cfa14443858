import { writeFileSync } from 'node:fs';
import { variableListMarkdown } from '../worker/features/variable-list.js';

writeFileSync(new URL('../docs/variables.md', import.meta.url), variableListMarkdown());
console.log('wrote docs/variables.md');
