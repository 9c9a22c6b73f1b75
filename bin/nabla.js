#!/usr/bin/env node
// The `nabla` command: runs the compiled CLI (built by `npm run build`, which npm ci / npm install run).
import '../dist/src/cli/run.js';
