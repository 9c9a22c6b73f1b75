import type { Kernels } from '../kernels/kernels.js';

/** How the tuner spends its time (milliseconds of training). */
export interface ThreadTunerTiming {
  /** Training on all threads before the first probe (the JIT's warm-up). */
  warmupMs: number;
  /** One timed block of steps on one candidate count. */
  blockMs: number;
  /** Training on the chosen count between two probes. */
  runMs: number;
  /** Training on the count the first probe chose before the second probe checks it (default runMs / 4). */
  confirmMs: number;
}

const DEFAULT_TIMING = { warmupMs: 500, blockMs: 25, runMs: 1000 };

/**
 * In the first probe, one thread must run steps 10% faster than all of them to be chosen (all
 * threads is the default): in a process's first second two threads often run no faster than one
 * (a plain two-thread product loop on the virtual machine here ran at one core's speed for half a
 * second; V8 also compiles new code on background threads, which take a core from one of the two
 * threads every step waits for) — a smaller margin picked one thread for a while where two were
 * 25% faster a second later. Later
 * probes, soon after (confirmMs) and then every runMs, need 3%: where one thread was 10–12% faster
 * (a slow spell of the host), the first probe's margin kept two threads for whole epochs.
 */
const FIRST_MARGIN = 0.9;
const MARGIN = 0.97;
/** After one block each, one thread this much slower is not probed again this round, and the next round waits twice as long (up to 8 runs). */
const HOPELESS = 1.25;
const MAX_BACKOFF = 8;
/** Between probes, two blocks of steps in a row this much slower than the probe measured for the chosen count start a probe at once. */
const DEGRADED = 1.25;

/**
 * Picks, while `fit` runs, whether the backend's calls use all its (active) threads or one, whichever
 * makes training steps faster on the machine as it is now. Small networks on a shared machine
 * can go either way, and change: when the two cores' caches are far apart (another socket or
 * die of the host), the cache lines a step shares between threads cost twice as much and one
 * thread wins; minutes later two threads win again. A probe times blocks of steps in the order
 * all, one, one, all (so steady drift cancels), keeps the faster (one thread by a margin: 10% in
 * the first probe, then 3%), trains with it for `runMs` (`confirmMs` after the first), then
 * probes again — at once if two blocks of steps in a row on the chosen count run 25% slower than
 * the probe measured; when one thread is far slower, probes come twice as far apart each time (up
 * to 8 × runMs). Results do not depend on it: the kernels give the same bits for any thread count.
 */
export class ThreadTuner {
  private readonly all: number;
  /** The thread count of each block of a probe. */
  private readonly order: readonly number[];
  private readonly timing: ThreadTunerTiming;
  /** 'run' between probes; else the index into the probe order. */
  private at: 'run' | number = 'run';
  private runFor: number;
  private runStart: number;
  /** Milliseconds a step of the chosen count took in the last probe (Infinity before the first). */
  private reference = Infinity;
  private blockStart: number;
  private blockSteps = 0;
  /** Blocks in a row of the run so far that were DEGRADED. */
  private slowBlocks = 0;
  /** When the last step ended. */
  private lastStep: number;
  /** Milliseconds a step of each block of the current probe, in probe order. */
  private readonly perStep: number[] = [];
  /** Probes decided so far. */
  private probes = 0;

  /**
   * The tuner for `kernels`, choosing between the threads they use now (`activeThreads`) and one;
   * null where there is nothing to choose (one thread, or a backend without activeThreads).
   */
  static for(kernels: Kernels, now: () => number, timing: Partial<ThreadTunerTiming> = {}): ThreadTuner | null {
    if (kernels.activeThreads === undefined || kernels.activeThreads < 2) return null;
    const runMs = timing.runMs ?? DEFAULT_TIMING.runMs;
    return new ThreadTuner(kernels, now, { ...DEFAULT_TIMING, confirmMs: runMs / 4, ...timing });
  }

  private constructor(
    private readonly kernels: Kernels,
    private readonly now: () => number,
    timing: ThreadTunerTiming,
  ) {
    this.all = kernels.activeThreads!;
    this.order = [this.all, 1, 1, this.all];
    this.timing = timing;
    this.runFor = timing.warmupMs;
    this.runStart = this.blockStart = this.lastStep = now();
  }


  /** Leaves the time since the last step out of the block or run under way (it was not spent on steps: an epoch's evaluation). */
  restart(): void {
    const t = this.now();
    const gap = t - this.lastStep;
    this.blockStart += gap;
    this.runStart += gap;
    this.lastStep = t;
  }

  /** Counts one training step; ends a block, a probe or a run when its time is up. */
  afterStep(): void {
    const t = this.now();
    this.lastStep = t;
    this.blockSteps++;
    const elapsed = t - this.blockStart;
    if (elapsed < this.timing.blockMs) return;
    if (this.at === 'run') {
      this.slowBlocks = elapsed / this.blockSteps > DEGRADED * this.reference ? this.slowBlocks + 1 : 0;
      if (t - this.runStart >= this.runFor || this.slowBlocks >= 2) this.startBlock(0, t);
      else {
        this.blockStart = t;
        this.blockSteps = 0;
      }
      return;
    }
    this.perStep.push(elapsed / this.blockSteps);
    const next = this.at + 1;
    const hopeless = next === 2 && this.perStep[1]! > HOPELESS * this.perStep[0]!;
    if (next < this.order.length && !hopeless) this.startBlock(next, t);
    else this.decide(t, hopeless);
  }

  /** Puts back the threads the kernels used before (at the end of training). */
  finish(): void {
    this.kernels.activeThreads = this.all;
  }

  private startBlock(i: number, t: number): void {
    if (i === 0) {
      this.perStep.length = 0;
      this.slowBlocks = 0;
    }
    this.at = i;
    this.kernels.activeThreads = this.order[i]!;
    this.blockStart = t;
    this.blockSteps = 0;
  }

  private decide(t: number, hopeless: boolean): void {
    const chosen = chooseThreads(this.order, this.perStep, this.all, this.probes === 0 ? FIRST_MARGIN : MARGIN);
    this.kernels.activeThreads = chosen;
    this.reference = meanPerStep(this.order, this.perStep, chosen);
    this.at = 'run';
    // a large network's one-thread blocks only cost: probe it less and less often (a slowdown still
    // triggers one); the first choice, made with the wider margin, is checked again soon
    const next = this.probes === 0 ? this.timing.confirmMs : this.timing.runMs;
    this.runFor = hopeless ? Math.min(2 * this.runFor, MAX_BACKOFF * this.timing.runMs) : next;
    this.probes++;
    this.runStart = this.blockStart = t;
    this.blockSteps = 0;
  }
}

/**
 * The thread count whose blocks ran steps fastest on average: `order[i]` ran `perStep[i]` (time)
 * a step (a probe cut short has fewer blocks). One thread must take less than `margin` times the
 * time of all of them (0.97: 3% faster).
 */
export function chooseThreads(order: readonly number[], perStep: readonly number[], all: number, margin = MARGIN): number {
  return meanPerStep(order, perStep, 1) < margin * meanPerStep(order, perStep, all) ? 1 : all;
}

/** The mean time a step of the blocks that ran on `threads` (Infinity: none did). */
function meanPerStep(order: readonly number[], perStep: readonly number[], threads: number): number {
  const times = perStep.filter((_, i) => order[i] === threads);
  return times.length ? times.reduce((a, b) => a + b, 0) / times.length : Infinity;
}
