/** Entry point of the `nabla` command (bin/nabla.js runs the compiled copy). */
import { main } from './main.js';

await main(process.argv);
