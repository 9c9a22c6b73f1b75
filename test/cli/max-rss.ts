/**
 * Preloaded into a CLI child (`--import`) by `nablaPeakMemory`: on exit, writes the process's
 * peak resident memory in bytes (getrusage's maxrss) to the file in NABLA_MAX_RSS_FILE.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.NABLA_MAX_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS * 1024)));
