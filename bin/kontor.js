#!/usr/bin/env node
// `npx kontor <command>`: builds on first use, then runs the compiled CLI.
require('../scripts/build-if-needed.js');
require('../dist/src/cli.js');
