#!/usr/bin/env node
// The installed `tenancy` command: runs the compiled CLI (`npm run build` writes lib/).
process.exitCode = require('../lib/cli/main').main(process.argv.slice(2));
