"""The warm-up every runner of the benchmark gets before its timed epochs (bench/nabla.ts does the same)."""
import time

WARM_UP_BATCHES = 20
WARM_UP_SECONDS = 1.0


def warm_up(train_once, cfg, *data):
    """Trains throwaway models on 20 batches, again and again until a second has passed."""
    start = time.perf_counter()
    while True:
        train_once(cfg, *data, WARM_UP_BATCHES * cfg["batchSize"])
        if time.perf_counter() - start >= WARM_UP_SECONDS:
            return
