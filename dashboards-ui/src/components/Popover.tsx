// A button that opens a panel below it; clicking outside or pressing Escape closes it.

import { useEffect, useRef, useState, type ReactNode } from 'react';

export function Popover(props: {
  button: (toggle: () => void, open: boolean) => ReactNode;
  children: (close: () => void) => ReactNode;
  align?: 'left' | 'right';
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <span className="popover-anchor" ref={ref}>
      {props.button(() => setOpen((o) => !o), open)}
      {open && (
        <div className={`popover ${props.className ?? ''}`} style={props.align === 'left' ? { left: 0, right: 'auto' } : undefined}>
          {props.children(() => setOpen(false))}
        </div>
      )}
    </span>
  );
}
