// Alerting's mustache: the monitor's query (`{{period_end}}`) and its actions' subject and message are
// rendered with the run's ctx. Templates are checked when a monitor is parsed, so a broken one is a 400
// at PUT/POST/_execute, not a failed run.

import Mustache from 'mustache';

/** Renders a template without HTML escaping (the output is JSON or a chat message, not HTML). */
export function renderTemplate(template: string, view: Record<string, unknown>): string {
  return Mustache.render(template, view, undefined, { escape: (s: string) => s });
}

/** Why a template cannot be rendered (an unclosed or unopened section…), or null when it can. */
export function templateError(template: string): string | null {
  try {
    Mustache.parse(template);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
