import {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  END,
  Filter,
} from '@kurrent/kurrentdb-client';
import type { KurrentClient } from './kurrentdb-client.js';

/** Wait before re-subscribing after the live subscription to `$all` was lost. */
const resubscribeDelayMilliseconds = 1000;

/**
 * Wakes onAppended listeners: at once for this instance's own appends, and through a live
 * subscription to `$all` (server-side filtered to the Kontor log, from the end) for appends of
 * other instances, which is live only once the server confirmed it: the confirmation wakes every
 * listener (also after a re-subscribe). The subscription is opened when the first listener registers and closed when
 * the last one leaves. Events this instance already announced do not wake anyone twice.
 */
export class LiveAppendNotifier {
  private readonly listeners = new Set<() => void>();
  private announcedPosition = 0n;
  private subscription: AllStreamSubscription | undefined;
  private resubscribeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly client: KurrentClient,
    private readonly filter: Filter,
  ) {}

  add(listener: () => void): () => void {
    this.listeners.add(listener);
    this.subscribe();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.unsubscribe();
    };
  }

  /** Called after this instance committed an append. */
  committed(position: bigint): void {
    if (position > this.announcedPosition) this.announcedPosition = position;
    this.wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.unsubscribe();
  }

  get subscribed(): boolean {
    return this.subscription !== undefined;
  }

  private wake(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure is its own; the others are still woken.
      }
    }
  }

  private subscribe(): void {
    if (this.closed || this.subscription || this.resubscribeTimer || this.listeners.size === 0)
      return;
    const subscription = this.client.subscribeToAll({ fromPosition: END, filter: this.filter });
    this.subscription = subscription;
    // The server announces only what is appended after it confirmed the subscription: whatever
    // another instance appended before (since the listener's last read, or while a lost
    // subscription was re-made) is found by the catch-up read this wake triggers.
    subscription.on('confirmation', () => {
      if (this.subscription === subscription) this.wake();
    });
    subscription.on('data', (resolved: AllStreamResolvedEvent) => this.onEvent(resolved));
    subscription.on('error', () => this.lost(subscription));
    subscription.on('end', () => this.lost(subscription));
  }

  private onEvent(resolved: AllStreamResolvedEvent): void {
    const position = resolved.event?.position?.commit;
    if (position !== undefined && position <= this.announcedPosition) return;
    if (position !== undefined) this.announcedPosition = position;
    this.wake();
  }

  private lost(subscription: AllStreamSubscription): void {
    if (this.subscription !== subscription) return;
    this.subscription = undefined;
    subscription.unsubscribe().catch(() => undefined);
    if (this.closed || this.listeners.size === 0) return;
    this.resubscribeTimer = setTimeout(() => {
      this.resubscribeTimer = undefined;
      this.subscribe(); // wakes everyone once the server confirms it
    }, resubscribeDelayMilliseconds);
    this.resubscribeTimer.unref();
  }

  private async unsubscribe(): Promise<void> {
    clearTimeout(this.resubscribeTimer);
    this.resubscribeTimer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.unsubscribe().catch(() => undefined);
  }
}
