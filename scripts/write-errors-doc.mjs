import { writeFileSync } from 'node:fs';
import { errorCatalog } from '../packages/contracts/dist/index.js';
import { renderErrorsDoc } from './errors-doc.mjs';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc(errorCatalog));
