/**
 * The abort signal of one remote call: aborted by the caller's signal (a cancel, a turn deadline), or by
 * the call's own time budget running out. Which of the two it was decides what the failure means: the
 * caller's reason is passed on untouched, a spent budget is the provider's failure.
 */
export class BudgetExpired extends Error {
  override name = 'BudgetExpired';
}

/** The reason a finished call's signal is aborted with: one instance, since an Error's stack costs more than the call's own bookkeeping. */
const CALL_FINISHED = new Error('call finished');

export class CallScope {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onExternalAbort: () => void;

  constructor(
    private readonly external: AbortSignal | undefined,
    readonly budgetMs: number,
  ) {
    this.onExternalAbort = () => this.controller.abort(external?.reason);
    if (external?.aborted === true) this.controller.abort(external.reason);
    else external?.addEventListener('abort', this.onExternalAbort, { once: true });
    this.timer = setTimeout(() => this.controller.abort(new BudgetExpired(`no answer within ${budgetMs} ms`)), budgetMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The caller aborted (cancel or deadline): its reason, not a provider failure. */
  get abortedByCaller(): boolean {
    return this.external?.aborted === true;
  }

  get budgetExpired(): boolean {
    return !this.abortedByCaller && this.controller.signal.reason instanceof BudgetExpired;
  }

  /** From now on only the caller's signal can stop the call (a stream that has started talking). */
  stopBudget(): void {
    clearTimeout(this.timer);
  }

  /** Stops the call's request if it is still running, and lets go of the caller's signal. */
  close(): void {
    clearTimeout(this.timer);
    this.external?.removeEventListener('abort', this.onExternalAbort);
    if (!this.controller.signal.aborted) this.controller.abort(CALL_FINISHED);
  }
}
