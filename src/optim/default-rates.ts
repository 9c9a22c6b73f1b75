/**
 * PyTorch's default learning rate of each update rule (`torch.optim`): the rules read theirs from
 * here, and so does whatever needs a default before an optimizer exists (a schedule's base rate).
 */
export const DEFAULT_LEARNING_RATES = { sgd: 1e-3, adagrad: 1e-2, rmsprop: 1e-2, adam: 1e-3 } as const;
