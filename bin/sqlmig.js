#!/usr/bin/env node
// The CLI is shipped as one bundled file (dist/cli.js, built from src/cli/main.ts): start-up time
// is mostly module loading, and one file loads several times faster than a tree of them.
import '../dist/cli.js';
