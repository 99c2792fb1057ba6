import { useCallback, useState } from 'react';

export interface Notice {
  id: number;
  text: string;
}

let nextId = 1;

/** Error messages from user actions, each shown until dismissed (a repeated message is shown once). */
export function useNotices() {
  const [items, setItems] = useState<Notice[]>([]);
  const report = useCallback((text: string | null) => {
    if (!text) return;
    setItems((current) => [...current.filter((n) => n.text !== text), { id: nextId++, text }]);
  }, []);
  const dismiss = useCallback((id: number) => setItems((current) => current.filter((n) => n.id !== id)), []);
  return { items, report, dismiss };
}

export function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss: (id: number) => void }) {
  return (
    <div className="notices" role="alert" aria-live="assertive">
      {notices.map((notice) => (
        <div key={notice.id} className="notice">
          <p>{notice.text}</p>
          <button type="button" className="icon-button" aria-label="Dismiss message" onClick={() => onDismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
