/** Entry point of the `nabla` command (bin/nabla.js runs the compiled copy). */
import { main } from './main.js';

// A reader that goes away (`nabla train | head`) is not an error of the run: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

await main(process.argv);
