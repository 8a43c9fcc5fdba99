// Runs once before the tests: the tests that need a real process (exit statuses, kills, pipes,
// time zones) start the compiled CLI in lib/, so lib/ must be the build of the current src/.
'use strict';
const path = require('path');
const { buildIfStale } = require('../../scripts/build-if-stale');

module.exports = async () => {
  buildIfStale(path.resolve(__dirname, '../..'));
};
