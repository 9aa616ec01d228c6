// The browser suite in one process, as scripts/test-browser runs it: one
// build of the book, one Chromium and one set of jobs (support.js) serve the
// three files, whose tests run in this order.
'use strict';

require('./tabs.test.js');
require('./serve.test.js');
require('./audit.test.js');
