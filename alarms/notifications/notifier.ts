// The contract between what decides to page (metric alarms, monitors) and what delivers the page
// (channels, the durable outbox). Deciders call `Notifier.notify` on a transition; the notifier persists
// the notification before resolving, then delivers it at least once.

/** What a notification is about. */
export type NotificationKind = 'trigger' | 'resolve' | 'no_data';

/** One notification decided by an alarm or a monitor, for one channel. */
export interface AlertNotification {
  /** The notification channel's id (`/_plugins/_notifications/configs/<id>`; an SNS topic name in alarm actions). */
  channelId: string;
  kind: NotificationKind;
  source: 'metric_alarm' | 'monitor';
  /** The alarm name, or the monitor name (with trigger name). */
  name: string;
  /**
   * Stable identity of the incident's subject across its trigger and resolve: the alarm ARN, or monitor
   * id + trigger id (+ bucket key for bucket monitors). PagerDuty's `dedup_key` is derived from it.
   */
  dedupKey: string;
  /**
   * Unique per decided notification (e.g. dedupKey + transition time): sent as the idempotency key so a
   * receiver can drop a repeat delivery.
   */
  idempotencyKey: string;
  state: string;
  previousState: string;
  reason: string;
  /** When the transition was decided, epoch ms. */
  time: number;
  severity?: string;
  /** A link to the alarm or monitor in the UI. */
  link?: string;
  /** Rendered mustache subject and message, when the action defines them (monitors); otherwise the channel renders the standard event. */
  subject?: string;
  message?: string;
  /** Anything else worth showing (reason data, bucket keys, trigger values). */
  details?: Record<string, unknown>;
}

/** What alarm deciders hand notifications to (NotificationService; a fake in unit tests). */
export interface Notifier {
  /**
   * Records the notification durably (so a crash after this resolves still delivers it) and schedules
   * delivery. Resolves `{ muted: true }` without queueing when a mute window covers it, so the caller
   * can keep the muted transition in its history.
   */
  notify(n: AlertNotification): Promise<{ muted: boolean; notificationId?: string }>;
}
