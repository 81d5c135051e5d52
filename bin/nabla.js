#!/usr/bin/env node
// The `nabla` command: runs the compiled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
import '../dist/cli/main.js';
