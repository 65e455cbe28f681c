// The ✕ button of a saved-objects list (visualizations, dashboards): asks, deletes, reports a failure
// through `onError`, then reloads the list.

import { savedObjects } from '../api/client.ts';

export function DeleteSavedObject(props: { type: string; id: string; what: string; onError: (message: string) => void; onDeleted: () => void }) {
  const { type, id, what, onError, onDeleted } = props;
  return (
    <button className="icon-btn" title="Delete" onClick={async () => {
      if (!confirm(`Delete ${what}?`)) return;
      await savedObjects.delete(type, id).catch((e: Error) => onError(e.message));
      onDeleted();
    }}>✕</button>
  );
}
