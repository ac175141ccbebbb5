import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini ships without messages; load the English ones only (the whole locale set is ~400 KB),
// so configuration errors and quarantine reasons stay readable.
z.config(en());
