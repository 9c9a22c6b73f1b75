/** The playground's training worker: the library's worker helper, nothing more. */
import { serveTraining, type WorkerScope } from './nabla.js';

serveTraining(self as unknown as WorkerScope);
